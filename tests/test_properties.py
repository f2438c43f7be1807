"""Properties of the normalisation rules, on arbitrary text (Hypothesis).

Every rule is idempotent (normalising twice equals normalising once) and never raises, whatever
the text: the loader applies them to anything the API sends.
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipelines.transform.normalise import (
    canonical_github_repo,
    canonical_project_page,
    clean_name,
    clean_text,
    name_key,
)

pytestmark = pytest.mark.unit

RULES = {
    "clean_text": clean_text,
    "clean_name": clean_name,
    "name_key": name_key,
    "canonical_github_repo": canonical_github_repo,
    "canonical_project_page": canonical_project_page,
}

# Arbitrary Unicode (no lone surrogates: the schema rejects those before normalisation), with
# extra weight on the characters the rules treat specially.
SPECIAL = st.sampled_from(
    [
        *" \t\n\r\x00\x07\x0b\x1f\x7f\u0085\u00a0\u200b\u2060\ufeff\u0301\u0307/.:#?-_",
        *"\u00df\u1e9e\u0130\u0131\ufb00\u210c\u212b\u00c5",  # sharp s, dotless i, H, Angstrom
        *["github.com", "www.", "https://", "http://", ".git", "javascript:", "GitHub.COM", ".."],
    ]
)
TEXT = st.lists(st.one_of(st.characters(exclude_categories=("Cs",)), SPECIAL), max_size=40).map(
    "".join
)
GITHUB_LIKE = st.tuples(
    st.sampled_from(["", "http://", "https://", "HTTPS://", " https://"]),
    st.sampled_from(["", "www.", "WWW."]),
    st.sampled_from(["github.com/", "GitHub.com/", "github.com//", "gitlab.com/"]),
    TEXT,
    st.sampled_from(["/", "/", "", " "]),
    TEXT,
    st.sampled_from(["", ".git", ".git.git", ".GIT/", "/tree/main", "?x=1", "#readme", "/"]),
).map("".join)


def apply_rule(rule, values: list[str]) -> list[str | None]:
    frame = pl.DataFrame({"value": values}, schema={"value": pl.String()})
    return frame.select(rule(pl.col("value")))["value"].to_list()


def assert_idempotent(rule, value: str) -> None:
    once = apply_rule(rule, [value])
    twice = apply_rule(rule, once) if once[0] is not None else once
    assert twice == once, f"{value!r}: once {once[0]!r}, twice {twice[0]!r}"


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
@example("e\x00\u0301")
@example("İstanbul")
@example("\u210cilbert")
def test_clean_text_is_idempotent_and_never_raises(value):
    assert_idempotent(clean_text, value)


@FAST
@given(TEXT)
@example("e\x00\u0301")
@example("Jose\u200b\u0301")
def test_clean_name_is_idempotent_and_never_raises(value):
    assert_idempotent(clean_name, value)


@FAST
@given(TEXT)
@example("İstanbul")
@example("\u210cilbert")
@example("ẞtraße")
def test_name_key_is_idempotent_and_never_raises(value):
    assert_idempotent(name_key, value)


@FAST
@given(st.one_of(TEXT, GITHUB_LIKE))
@example("https://github.com/owner/repo.git.git")
@example("https://github.com/owner/.git")
def test_canonical_github_repo_is_idempotent_and_never_raises(value):
    assert_idempotent(canonical_github_repo, value)


@FAST
@given(st.one_of(TEXT, GITHUB_LIKE))
def test_a_canonical_github_repo_is_always_an_https_github_url(value):
    (canonical,) = apply_rule(canonical_github_repo, [value])
    if canonical is not None:
        assert canonical.startswith("https://github.com/")
        owner, repo = canonical.removeprefix("https://github.com/").split("/")
        assert owner and repo not in ("", ".", "..")
        assert not any(c.isspace() or ord(c) < 32 for c in canonical)


@FAST
@given(st.one_of(TEXT, GITHUB_LIKE, st.builds("javascript:{}".format, TEXT)))
def test_canonical_project_page_is_idempotent_and_only_ever_http(value):
    assert_idempotent(canonical_project_page, value)
    (canonical,) = apply_rule(canonical_project_page, [value])
    if canonical is not None:
        assert canonical.lower().startswith(("http://", "https://"))


@FAST
@given(st.lists(st.one_of(st.none(), TEXT), max_size=20))
def test_every_rule_keeps_one_value_per_row_and_null_as_null(values):
    for rule in RULES.values():
        result = apply_rule(rule, values)
        assert len(result) == len(values)
        assert all(out is None for value, out in zip(values, result, strict=True) if value is None)
