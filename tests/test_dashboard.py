"""The Streamlit dashboard, page by page, with Streamlit's AppTest over a small serving copy.

The serving copy (tests/dashboard_warehouse.py) holds four papers with known answers; each
test opens the app as a user would, changes a filter and reads what the page shows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from pipelines.settings import REPO_ROOT
from tests.dashboard_warehouse import TITLES, build_serving_copy

APP = REPO_ROOT / "dashboard" / "main.py"
MARTS_YAML = REPO_ROOT / "dbt_project" / "models" / "marts" / "_marts__models.yml"


@pytest.fixture(scope="module")
def serving_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("serving")
    build_serving_copy(directory / "serving.duckdb")
    return directory


@pytest.fixture
def app(serving_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Open a page of the dashboard over the small serving copy: `app("screens/topics.py")`."""
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(serving_dir))

    def open_page(page: str | None = None, **query_params: str) -> AppTest:
        test = AppTest.from_file(str(APP), default_timeout=60)
        test.query_params.update(query_params)
        test.run()
        if page is not None:
            test.switch_page(page).run()
        assert not test.exception, [exception.value for exception in test.exception]
        return test

    return open_page


def titles(test: AppTest, table: int = 0) -> list[str]:
    return test.dataframe[table].value["title"].tolist()


def in_order(*paper_ids: str) -> list[str]:
    return [TITLES[paper_id] for paper_id in paper_ids]


def texts(elements) -> str:
    return "\n".join(str(element.value) for element in elements)


def test_the_small_serving_copy_has_the_columns_of_the_real_marts(serving_dir):
    import duckdb

    documented = {
        model["name"]: [column["name"] for column in model.get("columns", [])]
        for model in yaml.safe_load(MARTS_YAML.read_text(encoding="utf-8"))["models"]
    }
    with duckdb.connect(str(serving_dir / "serving.duckdb"), read_only=True) as connection:
        built = connection.execute(
            "select table_name, list(column_name order by ordinal_position) "
            "from information_schema.columns where table_schema = 'marts' group by table_name"
        ).fetchall()
    assert len(built) == 7
    for table, columns in built:
        assert columns == documented[table], table


def test_trending_ranks_the_newest_week_and_follows_the_window_and_date(app):
    test = app()
    assert "Listings up to **2025-12-02**" in texts(test.sidebar.caption)
    assert "days old" in texts(test.sidebar.warning)  # the sample is long past
    assert titles(test) == [TITLES["2512.00003"], TITLES["2512.00004"]]

    test.date_input(key="trending_date").set_value(date(2025, 11, 25)).run()
    assert titles(test) == [TITLES["2511.00001"], TITLES["2511.00002"]]

    test.radio(key="trending_window").set_value("day").run()
    assert titles(test) == [TITLES["2511.00001"]]

    test.radio(key="trending_window").set_value("month").run()
    assert titles(test) == [TITLES["2511.00001"], TITLES["2511.00002"]]
    table = test.dataframe[0].value
    first = table.iloc[0]
    assert list(first["upvote_history"]) == [100, 120]
    assert list(first["topics"]) == ["video generation", "image generation"]
    assert first["details"] == "paper?id=2511.00001"
    assert first["pdf_url"] == "https://arxiv.org/pdf/2511.00001"
    # 2511.00002's code link is `javascript:alert(1)`: it is never shown as a link.
    assert pd.isna(table.iloc[1]["github_repo"])


def test_trending_says_so_when_a_date_has_no_listings(app):
    test = app()
    test.radio(key="trending_window").set_value("day").run()
    test.date_input(key="trending_date").set_value(date(2025, 11, 28)).run()
    assert "No papers were listed in the day 2025-11-28" in texts(test.info)
    assert not test.dataframe


def test_now_reranks_with_the_score_inputs(app):
    test = app("screens/now.py")
    # At gravity 1.5 a day-old paper with 5 upvotes beats a 10-day-old one with 120.
    assert titles(test) == in_order("2512.00003", "2512.00004", "2511.00001", "2511.00002")

    test.slider(key="now_gravity").set_value(0.0).run()
    assert titles(test) == in_order("2511.00001", "2512.00003", "2511.00002", "2512.00004")

    test.number_input(key="now_min").set_value(50).run()
    assert titles(test) == [TITLES["2511.00001"], TITLES["2512.00003"]]


def test_topics_shows_rising_topics_keywords_and_a_topics_papers_for_a_week(app):
    test = app("screens/topics.py")
    assert test.selectbox(key="topics_week").value == date(2025, 12, 1)
    rising = test.dataframe[0].value
    assert rising["topic"].tolist()[:2] == ["llm reasoning", "speech and audio"]
    keywords = test.dataframe[1].value
    assert keywords["keyword"].tolist() == ["chain of thought", "speech tokenizer"]

    test.selectbox(key="topics_topic").set_value("agents").run()
    assert titles(test, 2) == [TITLES["2512.00003"]]  # agents as a secondary topic
    test.checkbox(key="topics_primary").check().run()
    assert "No paper on agents" in texts(test.info)

    test.selectbox(key="topics_week").set_value(date(2025, 11, 24)).run()
    assert test.dataframe[1].value["keyword"].tolist() == ["video diffusion"]
    assert titles(test, 2) == [TITLES["2511.00002"]]


def test_people_ranks_authors_and_organisations_by_period_and_topic(app):
    test = app("screens/people.py")
    test.selectbox(key="people_period").set_value("all time").run()
    authors = test.dataframe[0].value
    assert authors["author"].tolist() == [
        "Ada Lovelace", "Alan Turing", "Grace Hopper", "Claude Shannon"
    ]  # fmt: skip
    assert authors["upvotes"].tolist() == [195, 120, 115, 5]
    assert authors["hf_profile"].iloc[0] == "https://huggingface.co/ada"
    organizations = test.dataframe[1].value
    assert organizations["organization"].tolist() == ["acme", "voicelab"]

    test.selectbox(key="people_topic").set_value("agents").run()
    assert test.dataframe[0].value["author"].tolist() == ["Grace Hopper", "Ada Lovelace"]

    test.selectbox(key="people_topic").set_value("any topic").run()
    test.selectbox(key="people_period").set_value("last 7 days").run()  # 2025-11-26 .. 12-02
    recent = set(test.dataframe[0].value["author"])
    assert recent == {"Ada Lovelace", "Grace Hopper", "Claude Shannon"}


def test_search_ranks_matches_and_applies_the_filters(app):
    test = app("screens/find.py")
    assert len(titles(test)) == 4  # no words yet: every paper, by upvotes

    test.text_input(key="q").input("agents").run()
    assert titles(test) == [TITLES["2511.00002"], TITLES["2512.00003"]]

    test.checkbox(key="search_code").check().run()
    assert titles(test) == [TITLES["2512.00003"]]

    test.checkbox(key="search_code").uncheck().run()
    test.multiselect(key="search_topics").select("llm reasoning").run()
    assert titles(test) == [TITLES["2512.00003"]]

    test.multiselect(key="search_topics").set_value([]).run()
    test.date_input(key="search_dates").set_value((date(2025, 11, 24), date(2025, 11, 30))).run()
    assert titles(test) == [TITLES["2511.00002"]]

    test.text_input(key="q").input("quantum").run()
    assert "No paper matches" in texts(test.info)


def test_a_search_is_a_link_its_words_come_from_the_address(app):
    # The browser writes the words back to the address (Streamlit's bind="query-params").
    test = app("screens/find.py", q="agents")
    assert test.text_input(key="q").value == "agents"
    assert titles(test) == [TITLES["2511.00002"], TITLES["2512.00003"]]


def test_the_paper_page_shows_details_authors_and_history(app):
    test = app("screens/paper.py", id="2511.00001")
    # Titles are escaped for markdown, so `&`, `<` and `>` show as written.
    assert test.header[0].value == r"Diffusion \& \<Video\> Generation at Scale"
    authors = test.dataframe[0].value
    assert authors["name"].tolist() == ["Ada Lovelace", "Alan Turing"]
    assert authors["hf_profile"].tolist()[0] == "https://huggingface.co/ada"
    assert test.dataframe[1].value["listing_date"].dt.date.tolist() == [
        date(2025, 11, 24),
        date(2025, 11, 25),
    ]
    assert test.dataframe[2].value["upvotes"].tolist() == [100, 120]
    links = texts(test.markdown)
    assert "https://github.com/acme/video-diffusion" in links

    test.text_input(key="paper_id").input("9999.99999").run()
    assert "No paper '9999\\.99999' in the serving copy" in texts(test.warning)


def test_the_app_says_what_to_do_without_a_serving_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(tmp_path))
    test = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not test.exception
    assert "No serving copy" in texts(test.error) and "make demo" in texts(test.error)
    assert not test.dataframe


def test_the_app_says_so_when_the_serving_copy_is_empty(tmp_path, monkeypatch):
    build_serving_copy(tmp_path / "serving.duckdb", with_rows=False, with_marts=False)
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(tmp_path))
    test = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not test.exception
    assert "holds no listings or no marts" in texts(test.warning)
    assert not test.dataframe


def test_the_sidebar_offers_the_feeds_once_its_expander_is_opened(tmp_path, monkeypatch):
    build_serving_copy(tmp_path / "serving.duckdb")
    feeds = tmp_path / "feeds"
    (feeds / "topics").mkdir(parents=True)
    for name in ("top.atom", "top.rss", "top.json", "topics/agents.atom"):
        (feeds / name).write_text(name, encoding="utf-8")
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(tmp_path))
    test = AppTest.from_file(str(APP), default_timeout=60).run()
    assert [expander.label for expander in test.sidebar.expander] == ["Feeds"]
    assert not test.sidebar.get("download_button")  # closed: no file read, no button drawn

    test.session_state["feeds"] = True  # the visitor opens it
    test.run()
    buttons = test.sidebar.get("download_button")
    assert [button.proto.label for button in buttons] == [
        "top.atom", "top.rss", "top.json", "agents.atom"
    ]  # fmt: skip
    assert test.sidebar.selectbox[0].value == feeds / "topics" / "agents.atom"


def test_a_window_starts_on_its_day_its_monday_or_the_first_of_its_month():
    from dashboard.data import window_start

    wednesday = date(2025, 11, 26)
    assert window_start(wednesday, "day") == wednesday
    assert window_start(wednesday, "week") == date(2025, 11, 24)
    assert window_start(wednesday, "month") == date(2025, 11, 1)


def test_an_author_links_to_a_profile_only_with_a_plain_username():
    from dashboard.data import hf_profiles

    usernames = pd.Series(["ada", None, "", "a b"])
    assert hf_profiles(usernames).tolist() == ["https://huggingface.co/ada", None, None, None]


def test_only_web_links_are_shown_and_text_is_shown_as_written():
    from dashboard.data import plain, web_url

    assert web_url("https://github.com/a/b") == "https://github.com/a/b"
    for bad in ("javascript:alert(1)", "data:text/html,x", "/paper", "https://a b", None, 3):
        assert web_url(bad) is None
    assert plain("[x](javascript:1) $x$ <b>") == r"\[x\]\(javascript\:1\) \$x\$ \<b\>"


def test_every_topic_of_the_taxonomy_has_its_own_colour_whatever_is_shown():
    from dashboard.charts import topic_shares

    taxonomy = pd.read_csv(REPO_ROOT / "dbt_project" / "seeds" / "topic_taxonomy.csv")
    # As data.topics() lists them: `other` last, so the checkbox that hides it moves no colour.
    topics = sorted(taxonomy["topic"], key=lambda topic: (topic == "other", topic))
    shares = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-12-01", "2025-12-01"]),
            "topic": ["video generation", "3d and vision"],
            "papers": [3, 1],
            "share_of_papers": [0.75, 0.25],
        }
    )

    def colours(shown: list[str]) -> dict[str, str]:
        scale = topic_shares(shares, shown).to_dict()["encoding"]["color"]["scale"]
        return dict(zip(scale["domain"], scale["range"], strict=False))

    everything = colours(topics)
    assert len(topics) == 22
    assert len(set(everything.values())) == len(topics)
    without_other = colours([topic for topic in topics if topic != "other"])
    assert without_other["video generation"] == everything["video generation"]
    assert without_other["3d and vision"] != without_other["video generation"]
