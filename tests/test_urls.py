"""The one link rule (pipelines/urls.py), and every place that writes or shows a link using it."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.urls import web_url

pytestmark = pytest.mark.unit

KEPT = [
    ("https://github.com/a/b", "https://github.com/a/b"),
    ("HTTP://example.org/x?y=1&z=2#top", "HTTP://example.org/x?y=1&z=2#top"),
    ("  https://example.github.io/project/  ", "https://example.github.io/project/"),
    ("https://huggingface.co/papers/2511.11177", "https://huggingface.co/papers/2511.11177"),
    ("https://例え.jp/パス", "https://例え.jp/パス"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
]
REFUSED = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>",
    "ftp://example.org/x",
    "//evil.example/x",
    "/relative",
    "paper?id=1",
    "example.org",
    "https://",
    "https:///path",
    "https://exa mple.org",
    "https://example.org/\nx",
    "https://example.org/\x07bell",
    "https://example.org/\x7f",
    "https://example.org/\u200bzero-width",
    "https://example.org/\u202eoverride",
    "https://example.org/\u00a0nbsp",
    "https://example.org/\u2028line",
    'https://example.org/"onmouseover="x',
    "https://example.org/><script>",
    "https://example.org/a>)[x](javascript:1",
    "https://example.org/`x`",
    "https://example.org/a\\b",
    "http://[::1/x",
    "",
    "   ",
    None,
    3,
]


@pytest.mark.parametrize(("value", "kept"), KEPT)
def test_an_absolute_http_url_is_kept_trimmed(value, kept):
    assert web_url(value) == kept
    assert web_url(kept) == kept  # idempotent


@pytest.mark.parametrize("value", REFUSED)
def test_anything_else_is_never_a_link(value):
    assert web_url(value) is None


def test_every_place_that_writes_or_shows_a_link_uses_the_one_rule():
    from dashboard import data
    from pipelines.publish import digests, feeds
    from pipelines.transform.normalise import canonical_project_page

    assert feeds.web_url is web_url
    assert digests.web_url is web_url
    assert data.web_url is web_url
    texts = [value for value in REFUSED if not isinstance(value, int)]
    values = [value for value, _ in KEPT] + texts
    pages = pl.DataFrame({"raw": values}, schema={"raw": pl.String()})
    normalised = pages.select(canonical_project_page(pl.col("raw")))["raw"].to_list()
    assert normalised == [web_url(value) for value in values]
