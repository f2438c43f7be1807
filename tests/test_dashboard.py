"""The Streamlit dashboard, page by page, with Streamlit's AppTest over a dbt-built serving copy.

The serving copy is the session's (tests/marts_warehouse.py): six weeks of generated listings
loaded and built by dbt as the pipeline does. Each test opens the app as a user would, changes
a filter and reads what the page shows; what it should show is read from the marts (or, for
the leaderboards and the re-ranking, worked out from the papers themselves), so the tests hold
for whatever the generator writes.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.data import plain
from pipelines.settings import REPO_ROOT
from tests.dashboard_pages import cards, listed_titles, listing
from tests.marts_warehouse import (
    HOSTILE_LISTING_DATE,
    HOSTILE_PAPER_ID,
    HOSTILE_SUMMARY,
    HOSTILE_TITLE,
    write_warehouse_without_marts,
)

APP = REPO_ROOT / "dashboard" / "main.py"


@pytest.fixture
def app(serving: Path, monkeypatch: pytest.MonkeyPatch):
    """Open a page of the dashboard over the serving copy: `app("screens/topics.py")`."""
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(serving.parent))

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


def texts(elements) -> str:
    return "\n".join(str(element.value) for element in elements)


def newest_listing_date(mart) -> date:
    return mart("select max(listing_date) from marts.daily_summary")[0][0]


def trending_titles(mart, window: str, start: date, limit: int = 25) -> list[str]:
    return [
        title
        for (title,) in mart(
            'select title from marts.trending_papers where "window" = $window '
            "and window_start = $start order by rank limit $limit",
            window=window,
            start=start,
            limit=limit,
        )
    ]


def test_trending_ranks_the_newest_week_and_follows_the_window_and_date(app, mart):
    newest = newest_listing_date(mart)
    test = app()
    assert f"Listings up to **{newest}**" in texts(test.sidebar.caption)
    assert "days old" in texts(test.sidebar.warning)  # the generated weeks are long past
    newest_week = newest - timedelta(days=newest.weekday())
    assert listed_titles(test) == trending_titles(mart, "week", newest_week)
    assert len(listed_titles(test)) == 25

    earlier = date(2025, 10, 16)  # a Thursday
    test.date_input(key="trending_date").set_value(earlier).run()
    assert listed_titles(test) == trending_titles(mart, "week", date(2025, 10, 13))

    test.radio(key="trending_window").set_value("day").run()
    assert listed_titles(test) == trending_titles(mart, "day", earlier) != []

    test.radio(key="trending_window").set_value("month").run()
    assert listed_titles(test) == trending_titles(mart, "month", date(2025, 10, 1))

    test.slider(key="trending_limit").set_value(10).run()
    assert listed_titles(test) == trending_titles(mart, "month", date(2025, 10, 1), limit=10)


def test_trending_lists_each_paper_as_the_papers_page_does_plus_ours(app, mart):
    test = app()
    test.date_input(key="trending_date").set_value(HOSTILE_LISTING_DATE).run()
    first = cards(test)[0]
    assert first["paper_id"] == HOSTILE_PAPER_ID  # the week's most upvoted paper
    [(upvotes, comments, history, topics, abstract, authors, published)] = mart(
        "select p.upvotes, p.num_comments, (select list(upvotes order by fetched_at) "
        "from marts.upvote_history as h where h.paper_id = p.paper_id), p.topics, p.abstract, "
        "len(p.authors), p.published_at from marts.papers as p where paper_id = $id",
        id=HOSTILE_PAPER_ID,
    )
    # The title, as written, links to the paper's own page.
    assert first["title"] == HOSTILE_TITLE
    assert first["href"] == f"paper?id={HOSTILE_PAPER_ID}"
    # Authors, the arXiv date, upvotes and comments, and the upvote history.
    assert authors == 2 and published.date() == date(2025, 11, 3)
    assert first["meta"].startswith(f"2 authors · Published Nov 3, 2025 · ▲ {upvotes} upvotes")
    assert f"{comments} comments" in first["meta"]
    assert len(history) == 2  # fetched once, then again with more upvotes
    assert f'title="upvotes at each fetch: {history[0]}, {history[1]}">▁█<' in first["html"]
    # The abstract's first lines (all of it, when short), its topics and its links.
    assert first["abstract"] == abstract
    assert first["topics"] == list(topics)
    assert first["links"] == {
        "arXiv": f"https://arxiv.org/abs/{HOSTILE_PAPER_ID}",
        "PDF": f"https://arxiv.org/pdf/{HOSTILE_PAPER_ID}",
        "HF": f"https://huggingface.co/papers/{HOSTILE_PAPER_ID}",
    }  # its code link was `javascript:alert(1)`: never shown as a link
    assert "javascript" not in listing(test)
    assert "<script>" not in listing(test)
    # A paper with code links to it.
    coded = next(card for card in cards(test) if "code" in card["links"])
    [(repo,)] = mart(
        "select github_repo from marts.papers where paper_id = $id", id=coded["paper_id"]
    )
    assert coded["links"]["code"] == repo


def test_trending_says_so_when_a_date_has_no_listings(app):
    test = app()
    test.radio(key="trending_window").set_value("day").run()
    test.date_input(key="trending_date").set_value(date(2025, 10, 4)).run()  # a Saturday
    assert "No papers were listed in the day 2025-10-04" in texts(test.info)
    assert not listing(test)


def _ranked_by_hand(mart, gravity: float, offset: float, min_upvotes: int) -> list[str]:
    """trending_now's papers ranked by upvotes / (age_hours + offset) ^ gravity, in Python."""
    rows = mart(
        "select title, upvotes, age_hours, first_listed_at, paper_id from marts.trending_now"
    )
    kept = [row for row in rows if row[1] >= min_upvotes]
    kept.sort(key=lambda row: (-row[1] / (row[2] + offset) ** gravity, -row[1], row[3], row[4]))
    return [row[0] for row in kept]


def test_now_ranks_as_the_mart_then_reranks_with_the_score_inputs(app, mart):
    test = app("screens/now.py")
    shown = test.dataframe[0].value
    expected = mart("select title, score, rank from marts.trending_now order by rank")
    assert shown["title"].tolist() == [row[0] for row in expected]
    assert shown["score"].tolist() == [row[1] for row in expected]
    assert shown["mart_rank"].tolist() == shown["rank"].tolist()
    assert test.slider(key="now_gravity").value == 1.5
    assert test.slider(key="now_offset").value == 2.0

    test.slider(key="now_gravity").set_value(0.0).run()  # by upvotes alone
    by_upvotes = _ranked_by_hand(mart, 0.0, 2.0, 0)
    assert titles(test) == by_upvotes
    assert titles(test) != [row[0] for row in expected]

    test.slider(key="now_offset").set_value(12.0).run()
    test.slider(key="now_gravity").set_value(2.0).run()
    test.number_input(key="now_min").set_value(50).run()
    assert titles(test) == _ranked_by_hand(mart, 2.0, 12.0, 50)
    assert 0 < len(titles(test)) < len(expected)
    assert test.dataframe[0].value["upvotes"].min() >= 50


def test_topics_shows_rising_topics_keywords_and_a_topics_papers_for_a_week(app, mart):
    test = app("screens/topics.py")
    newest_week = mart("select max(week_start) from marts.topic_trends")[0][0]
    assert test.selectbox(key="topics_week").value == newest_week
    rising = test.dataframe[0].value
    assert rising["topic"].tolist() == [
        topic
        for (topic,) in mart(
            "select topic from marts.topic_trends where week_start = $week and papers > 0 "
            "order by share_z_score desc nulls last, papers desc, topic",
            week=newest_week,
        )
    ]
    assert rising["share_z_score"].notna().any()
    keywords = test.dataframe[1].value
    assert keywords["keyword"].tolist() == [
        keyword
        for (keyword,) in mart(
            "select keyword from marts.emerging_keywords where week_start = $week "
            "order by rank limit 25",
            week=newest_week,
        )
    ]

    def topic_titles(week: date, topic: str, primary_only: bool) -> list[str]:
        return [
            title
            for (title, primary_topic, topics) in mart(
                "select tp.title, tp.primary_topic, p.topics from marts.trending_papers as tp "
                "inner join marts.papers as p using (paper_id) "
                "where tp.\"window\" = 'week' and tp.window_start = $week order by tp.rank",
                week=week,
            )
            if primary_topic == topic or (not primary_only and topic in topics)
        ][:20]

    test.selectbox(key="topics_topic").set_value("agents").run()
    tagged = topic_titles(newest_week, "agents", primary_only=False)
    assert titles(test, 2) == tagged
    test.checkbox(key="topics_primary").check().run()
    primary = topic_titles(newest_week, "agents", primary_only=True)
    assert titles(test, 2) == primary
    assert len(primary) < len(tagged)  # some papers carry agents as a secondary topic

    earlier = date(2025, 10, 6)
    test.selectbox(key="topics_week").set_value(earlier).run()
    assert test.dataframe[1].value["keyword"].tolist() == [
        keyword
        for (keyword,) in mart(
            "select keyword from marts.emerging_keywords where week_start = $week "
            "order by rank limit 25",
            week=earlier,
        )
    ]
    assert titles(test, 2) == topic_titles(earlier, "agents", primary_only=True)


# The leaderboards worked out from the papers themselves (marts.papers: each paper's authors,
# organisation, topics and latest upvotes), not from author_daily / organization_daily.
AUTHORS_BY_HAND = """
with authorships as (
    select p.paper_id, p.upvotes, p.topics, p.first_listing_date, unnest(p.authors) as author
    from marts.papers as p
)

select leaderboard.display_name, count(*) as papers, sum(a.upvotes) as upvotes
from authorships as a
inner join marts.author_leaderboard as leaderboard on a.author.name_key = leaderboard.name_key
where a.first_listing_date >= $start and ($topic is null or list_contains(a.topics, $topic))
group by a.author.name_key, leaderboard.display_name
order by upvotes desc, papers desc, a.author.name_key
limit 100
"""

ORGANIZATIONS_BY_HAND = """
select organization, count(*) as papers, sum(upvotes) as upvotes
from marts.papers
where organization is not null and first_listing_date >= $start
    and ($topic is null or list_contains(topics, $topic))
group by organization
order by upvotes desc, papers desc, organization
limit 100
"""


def test_people_ranks_authors_and_organisations_by_period_and_topic(app, mart):
    first = mart("select min(listing_date) from marts.daily_summary")[0][0]
    newest = newest_listing_date(mart)

    def shown(test: AppTest, table: int, *columns: str) -> list[tuple]:
        return list(test.dataframe[table].value[list(columns)].itertuples(index=False, name=None))

    test = app("screens/people.py")
    test.selectbox(key="people_period").set_value("all time").run()
    everyone = mart(AUTHORS_BY_HAND, start=first, topic=None)
    assert shown(test, 0, "author", "papers", "upvotes") == everyone
    authors = test.dataframe[0].value
    [(username,)] = mart(
        "select hf_username from marts.author_leaderboard where display_name = $name",
        name=authors["author"].iloc[0],
    )
    expected_profile = f"https://huggingface.co/{username}" if username else None
    assert authors["hf_profile"].iloc[0] == expected_profile
    assert authors["hf_profile"].notna().any()
    assert shown(test, 1, "organization", "papers", "upvotes") == mart(
        ORGANIZATIONS_BY_HAND, start=first, topic=None
    )

    test.selectbox(key="people_topic").set_value("agents").run()
    on_agents = mart(AUTHORS_BY_HAND, start=first, topic="agents")
    assert shown(test, 0, "author", "papers", "upvotes") == on_agents
    assert on_agents != everyone
    assert shown(test, 1, "organization", "papers", "upvotes") == mart(
        ORGANIZATIONS_BY_HAND, start=first, topic="agents"
    )

    test.selectbox(key="people_topic").set_value("any topic").run()
    test.selectbox(key="people_period").set_value("last 7 days").run()
    week_ago = newest - timedelta(days=6)
    recent = mart(AUTHORS_BY_HAND, start=week_ago, topic=None)
    assert shown(test, 0, "author", "papers", "upvotes") == recent
    assert recent != everyone


def searched(mart, words: str, start: date, end: date, topics=(), has_code=False) -> list[str]:
    """What the Search page should list: the ranking of marts.search_papers (no words: every
    paper by upvotes), the filters applied to every match, the first SEARCH_LIMIT titles."""
    from dashboard.paper_queries import SEARCH_LIMIT

    if words.strip():
        rows = mart(
            "select p.title, p.first_listing_date, p.last_listing_date, p.topics, p.has_code "
            "from marts.search_papers($words) as hits join marts.papers as p using (paper_id) "
            "order by hits.rank",
            words=words,
        )
    else:
        rows = mart(
            "select title, first_listing_date, last_listing_date, topics, has_code "
            "from marts.papers order by upvotes desc, paper_id"
        )
    kept = [
        title
        for title, first, last, paper_topics, code in rows
        if last >= start and first <= end
        and (not topics or set(topics) & set(paper_topics)) and (code or not has_code)
    ]  # fmt: skip
    return kept[:SEARCH_LIMIT]


def test_search_ranks_matches_and_applies_the_filters(app, mart):
    from dashboard.paper_queries import SEARCH_LIMIT

    first = mart("select min(listing_date) from marts.daily_summary")[0][0]
    newest = newest_listing_date(mart)

    def expected(words: str, start=first, end=newest, **filters) -> list[str]:
        return searched(mart, words, start, end, **filters)

    test = app("screens/find.py")
    assert listed_titles(test) == expected("")  # no words yet: every paper, by upvotes
    assert len(listed_titles(test)) == SEARCH_LIMIT

    test.text_input(key="q").input("agents").run()
    agents = expected("agents")
    assert listed_titles(test) == agents
    assert len(agents) > 10

    test.checkbox(key="search_code").check().run()
    with_code = expected("agents", has_code=True)
    assert listed_titles(test) == with_code
    assert len(with_code) < len(agents)

    test.checkbox(key="search_code").uncheck().run()
    test.multiselect(key="search_topics").select("llm reasoning").run()
    assert listed_titles(test) == expected("agents", topics=["llm reasoning"])

    test.multiselect(key="search_topics").set_value([]).run()
    october = (date(2025, 10, 6), date(2025, 10, 12))
    test.date_input(key="search_dates").set_value(october).run()
    in_october = expected("agents", *october)
    assert listed_titles(test) == in_october
    assert 0 < len(in_october) < len(agents)

    test.text_input(key="q").input("zyxwvut").run()
    assert "No paper matches" in texts(test.info)


def test_search_lists_a_snippet_with_the_matched_words_highlighted(app, mart):
    test = app("screens/find.py", q="pre training")
    shown = cards(test)
    assert [card["title"] for card in shown] == searched(
        mart, "pre training", date(2025, 9, 29), newest_listing_date(mart)
    )
    by_id = {card["paper_id"]: card for card in shown}
    hyphens, split = by_id["2510.99101"], by_id["2510.99103"]  # WORD_FORM_PAPERS
    # Every form of the words is highlighted, in the title and in the abstract (short: the
    # snippet is the whole of it).
    assert hyphens["marked"] == ["Pre-training", "pre-training"]
    assert split["marked"] == ["Pre training", "Pre training"]
    assert split["abstract"] == "Pre training needs no labels."
    assert '<p class="pb-snippet"><mark>Pre training</mark> needs no labels.</p>' in split["html"]
    assert split["meta"].startswith("1 author · Published Oct 20, 2025 · ▲ 3 upvotes")
    assert "score " in split["meta"]

    test = app("screens/find.py", q="diffusion")
    hostile = next(card for card in cards(test) if card["paper_id"] == HOSTILE_PAPER_ID)
    assert hostile["title"] == HOSTILE_TITLE  # `&`, `<`, `>` shown as written
    assert "<mark>Diffusion</mark> &amp; &lt;Video&gt; Generation" in hostile["html"]
    assert "<mark>diffusion</mark>" in hostile["html"]
    assert "<Video>" not in listing(test) and "javascript" not in listing(test)


def test_a_search_is_a_link_its_words_come_from_the_address(app, mart):
    # The browser writes the words back to the address (Streamlit's bind="query-params").
    test = app("screens/find.py", q="diffusion")
    assert test.text_input(key="q").value == "diffusion"
    assert HOSTILE_TITLE in listed_titles(test)
    [(papers,)] = mart("select count(*) from marts.papers")
    assert f"papers for **diffusion**, out of {papers} indexed" in test.caption[0].value


def test_the_paper_page_shows_details_authors_listings_and_history(app, mart):
    test = app("screens/paper.py", id=HOSTILE_PAPER_ID)
    # Titles are escaped for markdown, so `&`, `<` and `>` show as written.
    assert test.header[0].value == r"Diffusion \& \<Video\> Generation at Scale"
    authors = test.dataframe[0].value
    assert authors["name"].tolist() == ["Ada Lovelace", "Alan Turing"]
    assert authors["hf_profile"].tolist()[0] == "https://huggingface.co/ada"
    listings = test.dataframe[1].value
    assert listings["listing_date"].dt.date.tolist() == [HOSTILE_LISTING_DATE]
    history = test.dataframe[2].value
    assert history["upvotes"].tolist() == [
        upvotes
        for (upvotes,) in mart(
            "select upvotes from marts.upvote_history where paper_id = $id order by fetched_at",
            id=HOSTILE_PAPER_ID,
        )
    ]
    assert history["upvotes"].tolist()[0] == 900
    links = texts(test.markdown)
    assert f"https://arxiv.org/abs/{HOSTILE_PAPER_ID}" in links
    assert "javascript:" not in links  # its code and project links were `javascript:` URLs
    assert texts(test.info) == plain(HOSTILE_SUMMARY)  # shown as written, never as HTML

    test.text_input(key="paper_id").input("9999.99999").run()
    assert "No paper '9999\\.99999' in the serving copy" in texts(test.warning)


def test_a_paper_listed_on_several_dates_shows_each_listing(app, mart):
    [(paper_id, listing_dates, listings)] = mart(
        "select paper_id, listing_dates, listings from marts.papers "
        "where len(listing_dates) > 1 order by paper_id limit 1"
    )
    test = app("screens/paper.py", id=paper_id)
    shown = test.dataframe[1].value
    assert shown["listing_date"].dt.date.tolist() == listing_dates
    assert shown["position"].tolist() == [listing["position"] for listing in listings]


def test_the_app_says_what_to_do_without_a_serving_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(tmp_path))
    test = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not test.exception
    assert "No serving copy" in texts(test.error) and "make demo" in texts(test.error)
    assert not test.dataframe


def test_the_app_says_so_when_the_serving_copy_has_no_marts(tmp_path, monkeypatch):
    write_warehouse_without_marts(tmp_path / "serving.duckdb")
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(tmp_path))
    test = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not test.exception
    assert "holds no listings or no marts" in texts(test.warning)
    assert not test.dataframe


def test_the_app_says_so_when_the_marts_hold_no_listings(serving, tmp_path, monkeypatch):
    copy = tmp_path / "serving.duckdb"
    shutil.copy(serving, copy)
    with duckdb.connect(str(copy)) as connection:
        connection.execute("delete from marts.daily_summary")
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(tmp_path))
    test = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not test.exception
    assert "holds no listings or no marts" in texts(test.warning)
    assert not test.dataframe


def test_the_sidebar_offers_the_feeds_once_its_expander_is_opened(serving, tmp_path, monkeypatch):
    shutil.copy(serving, tmp_path / "serving.duckdb")
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


def test_text_is_shown_as_written():
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
