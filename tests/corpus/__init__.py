"""A corpus of mutated Daily Papers responses, modelled on the real shape (`tests.factories`).

Every case is one response for `DAY`, the middle of three dates that already hold good rows.
A case either **fails** that date (the message must contain `listing date DAY` and each of
`fails`, which name the field and the offending value) and leaves every row as it was, or
**loads**, and then each `(query, rows)` of `expect` must hold in the warehouse.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tests.factories import author, entry, page

DAY = date(2025, 10, 2)
DATES = [date(2025, 10, 1), DAY, date(2025, 10, 3)]
BEFORE = datetime(2025, 10, 3, 6, 0, tzinfo=UTC)
AFTER = datetime(2025, 10, 4, 6, 0, tzinfo=UTC)
FIVE_MB = 5 * 1024 * 1024


def good_day() -> list[dict[str, Any]]:
    """DAY's list as first loaded: two papers, the first with two authors."""
    return [
        entry(
            "2510.00002",
            title="Good paper",
            upvotes=5,
            num_comments=1,
            authors=[author("Grace Hopper", username="grace"), author("Alan Turing")],
            githubRepo="https://github.com/owner/repo",
        ),
        entry("2510.00003", title="Second paper", upvotes=2),
    ]


def baseline() -> dict[date, list[dict[str, Any]]]:
    return {
        date(2025, 10, 1): [entry("2510.00001", title="Day before", upvotes=7)],
        DAY: good_day(),
        date(2025, 10, 3): [entry("2510.00004", title="Day after", upvotes=9)],
    }


@dataclass(frozen=True)
class Case:
    id: str
    pages: list[bytes]
    fails: tuple[str, ...] = ()
    expect: tuple[tuple[str, list[tuple]], ...] = field(default=())

    @property
    def should_fail(self) -> bool:
        return bool(self.fails)


def mutated(mutate: Callable[[list[dict[str, Any]]], Any]) -> list[bytes]:
    """DAY's good list, changed in place by `mutate`, as one page."""
    entries = good_day()
    mutate(entries)
    return [page(entries)]


def set_in(path: str, value: Any, index: int = 0) -> Callable[[list[dict[str, Any]]], None]:
    """Set `a.b.c` of entry `index` (creating nothing: every key on the way must exist)."""

    def mutate(entries: list[dict[str, Any]]) -> None:
        target: Any = entries[index]
        *parents, last = path.split(".")
        for key in parents:
            target = target[key]
        target[last] = value

    return mutate


def drop(path: str, index: int = 0) -> Callable[[list[dict[str, Any]]], None]:
    def mutate(entries: list[dict[str, Any]]) -> None:
        target: Any = entries[index]
        *parents, last = path.split(".")
        for key in parents:
            target = target[key]
        del target[last]

    return mutate


def fail(case_id: str, mutate, *fragments: str) -> Case:
    return Case(case_id, mutated(mutate), fails=fragments)


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for level in range(depth):
        value = {"level": level, "inner": [value]}
    return value


def _with_extras(entries: list[dict[str, Any]]) -> None:
    entries[0]["paper"]["x_extra"] = nested(200)
    entries[0]["mysteryKey"] = {"a": [1, 2, {"b": None}]}
    entries[0]["paper"]["authors"][0]["x_affiliations"] = [{"name": "Lab"}]


def _duplicate(entries: list[dict[str, Any]]) -> None:
    again = entry("2510.00002", title="Changed title", upvotes=99, authors=[author("Someone")])
    entries.append(again)


def _lone_surrogate_title() -> list[bytes]:
    body = json.dumps(good_day())  # ASCII-escaped, so the escape can be written literally
    return [body.replace("Good paper", "Good \\ud800 paper", 1).encode()]


def _raw_json(text: str) -> list[bytes]:
    return [text.encode()]


SQL = "Robert'); drop table hf.papers; --"
SHELL = "$(rm -rf /) `reboot` | tee /etc/passwd; echo ${HF_TOKEN}"

FAILING: list[Case] = [
    fail("paper.id missing", drop("paper.id"), "field paper.id of entry 0 is missing"),
    fail("paper.id a number", set_in("paper.id", 2510.0002), "paper.id", "2510.0002"),
    fail("paper.id empty", set_in("paper.id", ""), "field paper.id of entry 0 has value ''"),
    fail("paper.id a path", set_in("paper.id", "../../etc"), "paper.id", "'../../etc'"),
    fail("paper.id with SQL", set_in("paper.id", SQL), "paper.id", "drop table"),
    fail("upvotes a string", set_in("paper.upvotes", "12"), "paper.upvotes", "'12'"),
    fail(
        "upvotes null", set_in("paper.upvotes", None), "field paper.upvotes of entry 0 is missing"
    ),
    fail("upvotes a float", set_in("paper.upvotes", 1.5), "paper.upvotes", "1.5"),
    fail("upvotes a boolean", set_in("paper.upvotes", True), "paper.upvotes", "True"),
    fail("upvotes negative", set_in("paper.upvotes", -3), "paper.upvotes", "-3", "zero or more"),
    fail("comments negative", set_in("numComments", -1), "field numComments", "-1"),
    fail("upvotes huge", set_in("paper.upvotes", 10**30), "paper.upvotes", str(10**30)),
    fail(
        "upvotes above int32",
        set_in("paper.upvotes", 2**31),
        "paper.upvotes",
        str(2**31),
        "at most 2147483647",
    ),
    fail("stars negative", set_in("paper.githubStars", -5), "paper.githubStars", "-5"),
    Case(
        "upvotes NaN",
        _raw_json(page(good_day()).decode().replace('"upvotes": 5', '"upvotes": NaN', 1)),
        fails=("paper.upvotes", "nan"),
    ),
    Case(
        "body an object",
        _raw_json('{"error": "Internal"}'),
        fails=('page 0 is a JSON dict, not an array: b\'{"error": "Internal"}\'',),
    ),
    Case("body null", _raw_json("null"), fails=("page 0 is a JSON NoneType, not an array",)),
    Case("body a string", _raw_json('"oops"'), fails=("page 0 is a JSON str",)),
    Case(
        "html error page",
        _raw_json("<html><body><h1>502 Bad Gateway</h1></body></html>"),
        fails=("page 0 is not JSON", "<html>"),
    ),
    Case("empty body", [b""], fails=("page 0 is not JSON",)),
    Case("truncated body", [page(good_day())[:200]], fails=("page 0 is not JSON",)),
    Case(
        "invalid utf-8",
        [b'[{"paper": {"id": "2510.00002", "title": "\xff\xfe"}}]'],
        fails=("page 0 is not valid UTF-8",),
    ),
    Case(
        "nested too deeply",
        [b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]"],
        fails=("page 0 is JSON nested too deeply",),
    ),
    Case(
        "second page bad",
        [page(good_day()), b"<html>oops</html>"],
        fails=("page 1 is not JSON",),
    ),
    fail("date without time", set_in("publishedAt", "2025-10-02"), "publishedAt", "'2025-10-02'"),
    fail(
        "timestamp without zone",
        set_in("publishedAt", "2025-10-02T00:37:13"),
        "field publishedAt of entry 0 has value '2025-10-02T00:37:13'",
        "with a zone",
    ),
    fail("date day first", set_in("publishedAt", "02/10/2025"), "publishedAt", "'02/10/2025'"),
    fail("timestamp as epoch", set_in("publishedAt", 1759365433), "publishedAt", "1759365433"),
    fail(
        "timestamp out of range in UTC",
        set_in("publishedAt", "0001-01-01T00:00:00+01:00"),
        "publishedAt",
        "'0001-01-01T00:00:00+01:00'",
    ),
    fail(
        "arxiv timestamp garbage",
        set_in("paper.publishedAt", "yesterday"),
        "paper.publishedAt",
        "'yesterday'",
    ),
    fail("title empty", set_in("paper.title", ""), "field paper.title of entry 0 has value ''"),
    fail("title blank", set_in("paper.title", " \n\t"), "paper.title", "' \\n\\t'"),
    Case(
        "title with a lone surrogate",
        _lone_surrogate_title(),
        fails=("paper.title", "valid Unicode text"),
    ),
    fail(
        "author name empty",
        lambda e: e[0]["paper"]["authors"][0].update(name=""),
        "field paper.authors.name of entry 0 (paper 2510.00002) author 1 has value ''",
    ),
    fail(
        "author name a number",
        lambda e: e[0]["paper"]["authors"][1].update(name=7),
        "paper.authors.name of entry 0 (paper 2510.00002) author 2 has value 7",
    ),
    fail(
        "authors a string", set_in("paper.authors", "Ada"), "field paper.authors", "'Ada'", "a list"
    ),
    fail(
        "author null", set_in("paper.authors", [None]), "paper.authors of entry 0", "None", "object"
    ),
    fail("entry a number", lambda e: e.insert(0, 42), "entry 0 is a int, not an object"),
    fail("entry null", lambda e: e.append(None), "entry 2 is a NoneType, not an object"),
    fail("paper a list", set_in("paper", ["x"]), "field paper of entry 0", "['x']", "an object"),
    fail(
        "organization a string",
        set_in("paper.organization", "acme"),
        "field paper.organization of entry 0 has value 'acme': expected an object",
    ),
    fail(
        "submitter a string",
        set_in("submittedBy", "grace"),
        "field submittedBy of entry 0 has value 'grace'",
    ),
    fail("keywords a string", set_in("paper.ai_keywords", "llm"), "paper.ai_keywords", "'llm'"),
    fail("keywords numbers", set_in("paper.ai_keywords", [1, 2]), "paper.ai_keywords", "[1, 2]"),
    fail("hidden a string", lambda e: e[0]["paper"]["authors"][0].update(hidden="no"), "'no'"),
    fail(
        "second entry bad",
        set_in("paper.upvotes", "many", index=1),
        "field paper.upvotes of entry 1 has value 'many'",
    ),
]


def _five_mb_abstract(entries: list[dict[str, Any]]) -> None:
    entries[0]["paper"]["summary"] = "word " * (FIVE_MB // 5)


def _control_characters(entries: list[dict[str, Any]]) -> None:
    paper = entries[0]["paper"]
    paper["authors"][0]["name"] = "Grace\x00 Hop\x07per\u200b"
    paper["githubRepo"] = "https://github.com/own\x00er/re\x1fpo"
    paper["projectPage"] = "https://example.org/\x07page"
    paper["title"] = "Good\x0b paper\x1b"


def _empty_optionals(entries: list[dict[str, Any]]) -> None:
    entries[0]["title"] = ""
    entries[0]["paper"].update(githubRepo="", projectPage="", ai_summary="", ai_keywords=[])


def _missing_optionals(entries: list[dict[str, Any]]) -> None:
    for key in ("summary", "githubRepo", "publishedAt", "ai_keywords", "authors"):
        entries[0]["paper"].pop(key, None)
    for key in ("title", "submittedBy", "thumbnail"):
        entries[0].pop(key)


def _nulls(entries: list[dict[str, Any]]) -> None:
    entries[0]["paper"].update(summary=None, githubRepo=None, ai_keywords=None, organization=None)
    entries[0].update(title=None, submittedBy=None, organization=None)


def _hostile_text(entries: list[dict[str, Any]]) -> None:
    entries[0]["paper"]["title"] = SQL
    entries[0]["paper"]["authors"][0]["name"] = SHELL
    entries[0]["paper"]["projectPage"] = "javascript:alert(document.cookie)"
    entries[0]["paper"]["githubRepo"] = "javascript:alert(1)//github.com/owner/repo"
    entries[0]["title"] = "../../etc/passwd"


PAPERS = "select paper_id, title from hf.papers where first_listing_date = '2025-10-02' order by 1"

LOADING: list[Case] = [
    Case(
        "five megabyte abstract",
        mutated(_five_mb_abstract),
        expect=(
            (
                "select length(abstract) from hf.papers where paper_id = '2510.00002'",
                [(FIVE_MB - 1,)],
            ),
        ),
    ),
    Case(
        "timestamp with an offset",
        mutated(set_in("publishedAt", "2025-10-02T02:37:13+02:00")),
        expect=(
            (
                "select strftime(listed_at, '%Y-%m-%dT%H:%M:%S') from hf.daily_listings "
                "where paper_id = '2510.00002'",
                [("2025-10-02T00:37:13",)],
            ),
        ),
    ),
    Case(
        "timestamp with nanoseconds",
        mutated(set_in("paper.publishedAt", "2025-10-01T17:59:58.123456789Z")),
        expect=(
            (
                "select epoch_us(published_at) % 1000000 from hf.papers "
                "where paper_id = '2510.00002'",
                [(123456,)],
            ),
        ),
    ),
    Case(
        "same paper twice with different data",
        mutated(_duplicate),
        expect=(
            (
                "select paper_id, position, title, upvotes from hf.daily_listings "
                "where listing_date = '2025-10-02' order by position",
                [("2510.00002", 1, "Good paper", 5), ("2510.00003", 2, "Second paper", 2)],
            ),
            (
                "select count(*), sum(upvotes) from hf.upvote_snapshots "
                "where listing_date = '2025-10-02' and fetched_at = '2025-10-04 06:00:00+00'",
                [(2, 7)],
            ),
            (
                "select name from hf.paper_authors where paper_id = '2510.00002' order by position",
                [("Grace Hopper",), ("Alan Turing",)],
            ),
        ),
    ),
    Case(
        "deeply nested extras",
        mutated(_with_extras),
        expect=((PAPERS, [("2510.00002", "Good paper"), ("2510.00003", "Second paper")]),),
    ),
    Case(
        "control characters in names and urls",
        mutated(_control_characters),
        expect=(
            (
                "select title, github_repo, github_repo_raw, project_page, project_page_raw "
                "from hf.papers where paper_id = '2510.00002'",
                [
                    (
                        "Good paper",
                        "https://github.com/owner/repo",
                        "https://github.com/own\x00er/re\x1fpo",
                        None,
                        "https://example.org/\x07page",
                    )
                ],
            ),
            (
                "select name, name_key from hf.paper_authors "
                "where paper_id = '2510.00002' and position = 1",
                [("Grace Hopper", "grace hopper")],
            ),
        ),
    ),
    Case(
        "empty optional strings",
        mutated(_empty_optionals),
        expect=(
            (
                "select d.title, p.github_repo, p.project_page, p.ai_keywords "
                "from hf.daily_listings as d join hf.papers as p using (paper_id) "
                "where paper_id = '2510.00002'",
                [("Good paper", None, None, [])],
            ),
        ),
    ),
    Case(
        "optional keys missing",
        mutated(_missing_optionals),
        expect=(
            (
                "select d.title, d.submitted_by, d.thumbnail_url, p.abstract, p.published_at, "
                "p.github_repo, p.ai_keywords from hf.daily_listings as d "
                "join hf.papers as p using (paper_id) where paper_id = '2510.00002'",
                [("Good paper", None, None, None, None, None, None)],
            ),
            ("select count(*) from hf.paper_authors where paper_id = '2510.00002'", [(0,)]),
        ),
    ),
    Case(
        "json nulls in optional fields",
        mutated(_nulls),
        expect=(
            (
                "select d.title, d.submitted_by, d.organization, p.abstract, p.github_repo "
                "from hf.daily_listings as d join hf.papers as p using (paper_id) "
                "where paper_id = '2510.00002'",
                [("Good paper", None, None, None, None)],
            ),
        ),
    ),
    Case(
        "hostile text",
        mutated(_hostile_text),
        expect=(
            (
                "select d.title, p.title, p.project_page, p.project_page_raw, p.github_repo "
                "from hf.daily_listings as d join hf.papers as p using (paper_id) "
                "where paper_id = '2510.00002'",
                [
                    (
                        "../../etc/passwd",
                        SQL,
                        None,
                        "javascript:alert(document.cookie)",
                        None,
                    )
                ],
            ),
            (
                "select name from hf.paper_authors where paper_id = '2510.00002' and position = 1",
                [(SHELL,)],
            ),
            ("select count(*) from hf.papers", [(4,)]),
        ),
    ),
    Case(
        "an empty list empties the date",
        [b"[]"],
        expect=(
            ("select count(*) from hf.daily_listings where listing_date = '2025-10-02'", [(0,)]),
            (PAPERS, []),
        ),
    ),
    Case(
        "utf-8 byte order mark",
        [b"\xef\xbb\xbf" + page(good_day())],
        expect=((PAPERS, [("2510.00002", "Good paper"), ("2510.00003", "Second paper")]),),
    ),
    Case(
        "duplicate json keys keep the last",
        _raw_json(page(good_day()).decode().replace('"upvotes": 5', '"upvotes": 5, "upvotes": 6')),
        expect=(("select upvotes from hf.daily_listings where paper_id = '2510.00002'", [(6,)]),),
    ),
    Case(
        "largest count the warehouse holds",
        mutated(set_in("paper.upvotes", 2**31 - 1)),
        expect=(("select upvotes from hf.papers where paper_id = '2510.00002'", [(2**31 - 1,)]),),
    ),
    Case(
        "unicode everywhere",
        mutated(
            lambda e: (
                e[0]["paper"].update(title="Ünïcödé 🚀 עברית 中文"),
                e[0]["paper"]["authors"][0].update(name="Zoë Ŝmith"),
            )
        ),
        expect=(
            (
                "select p.title, a.name, a.name_key from hf.papers as p join hf.paper_authors "
                "as a using (paper_id) where paper_id = '2510.00002' and a.position = 1",
                [("Ünïcödé 🚀 עברית 中文", "Zoë Ŝmith", "zoe smith")],
            ),
        ),
    ),
    Case(
        "title line wraps",
        mutated(set_in("paper.title", "A  title\nwrapped\r\n  by arXiv ")),
        expect=(
            (
                "select title from hf.papers where paper_id = '2510.00002'",
                [("A title wrapped by arXiv",)],
            ),
        ),
    ),
    Case(
        "a paper dropped from the list",
        mutated(lambda e: e.pop(1)),
        expect=((PAPERS, [("2510.00002", "Good paper")]),),
    ),
    Case(
        "multi-page listing",
        [page(good_day()[:1]), page(good_day()[1:])],
        expect=(
            (
                "select paper_id, position from hf.daily_listings "
                "where listing_date = '2025-10-02' order by position",
                [("2510.00002", 1), ("2510.00003", 2)],
            ),
        ),
    ),
]

CASES = FAILING + LOADING
