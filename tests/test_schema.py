"""The declared schema: bad input fails the date loudly, naming date, field and value."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pipelines.transform.schema import ResponseError, parse_listing
from tests.factories import entry, page

pytestmark = pytest.mark.unit

DAY = date(2025, 10, 3)
FETCHED = datetime(2025, 10, 4, tzinfo=UTC)


def parse(*pages: bytes):
    return parse_listing(DAY, FETCHED, list(pages))


def broken(mutate) -> bytes:
    item = entry("2510.00001")
    mutate(item)
    return page([item])


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda e: e["paper"].update(upvotes="12"),
            "field paper.upvotes of entry 0 has value '12'",
        ),
        (lambda e: e["paper"].update(upvotes=None), "field paper.upvotes of entry 0 is missing"),
        (lambda e: e["paper"].update(upvotes=1.5), "field paper.upvotes of entry 0 has value 1.5"),
        (
            lambda e: e["paper"].update(upvotes=True),
            "field paper.upvotes of entry 0 has value True",
        ),
        (lambda e: e["paper"].pop("id"), "field paper.id of entry 0 is missing"),
        (
            lambda e: e["paper"].update(id=2503.0213),
            "field paper.id of entry 0 has value 2503.0213",
        ),
        (
            lambda e: e["paper"].update(id="../../etc"),
            "field paper.id of entry 0 has value '../../etc'",
        ),
        (lambda e: e.update(numComments=-1), "field numComments of entry 0 has value -1"),
        (lambda e: e.update(publishedAt="2025-10-03 00:37:13"), "field publishedAt of entry 0"),
        (lambda e: e.update(publishedAt="03/10/2025"), "has value '03/10/2025'"),
        (lambda e: e["paper"].update(authors="Ada"), "field paper.authors of entry 0"),
        (
            lambda e: e["paper"]["authors"][0].update(name=7),
            "field paper.authors.name of entry 0 (paper 2510.00001) author 1 has value 7",
        ),
        (lambda e: e["paper"].update(ai_keywords="llm"), "field paper.ai_keywords of entry 0"),
    ],
)
def test_a_wrong_value_fails_the_date_naming_field_and_value(mutate, expected):
    with pytest.raises(ResponseError) as raised:
        parse(broken(mutate))
    message = str(raised.value)
    assert message.startswith("listing date 2025-10-03: ")
    assert expected in message


def test_a_body_that_is_not_an_array_fails_the_date():
    with pytest.raises(ResponseError, match="page 0 is a JSON dict, not an array"):
        parse(b'{"error": "Internal"}')


def test_an_html_page_fails_the_date():
    with pytest.raises(ResponseError, match="page 0 is not JSON"):
        parse(b"<html><body>Bad gateway</body></html>")


def test_invalid_utf8_fails_the_date():
    with pytest.raises(ResponseError, match="not valid UTF-8"):
        parse(b'[{"paper": "\xff\xfe"}]')


def test_an_empty_array_is_a_valid_empty_date():
    parsed = parse(b"[]")
    assert parsed.entries.height == 0
    assert parsed.authors.height == 0


def test_pages_are_concatenated_in_order():
    parsed = parse(page([entry("2510.00001")]), page([entry("2510.00002")]))
    assert parsed.entries["paper_id"].to_list() == ["2510.00001", "2510.00002"]
    assert parsed.entries["entry_index"].to_list() == [0, 1]


def test_json_nulls_in_optional_fields_read_as_missing():
    parsed = parse(broken(lambda e: e["paper"].update(githubRepo=None, ai_keywords=None)))
    assert parsed.entries["github_repo_raw"].to_list() == [None]
