"""The one rule for links: what paperboard ever stores, writes or shows as a link.

`web_url` keeps a value only when it is an absolute http(s) URL with a host, trimmed of
surrounding whitespace, that holds no whitespace, no control or invisible (format) character
and none of the characters a URL may never carry unencoded (RFC 3986: `<`, `>`, `"`, a
backtick, `\\`, `{`, `}`, `|`, `^`), which are the ones that could end an HTML attribute or a
Markdown link early. Anything else (`javascript:`, `data:`, relative or scheme-relative
links, a bare host, a link with a space or a zero-width character in it) is None, so it is
never written or shown as a link.

Used by normalisation (a paper's project page in `hf.papers`), the feeds, the digests and
the dashboard: one rule, tested once (tests/test_urls.py).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
_NEVER_RAW = frozenset('<>"`\\{}|^')
# Control (Cc), format (Cf: zero-width, bidirectional overrides), unassigned and private-use
# characters, and every kind of separator (spaces, line and paragraph separators).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zs", "Zl", "Zp"})


def web_url(value: object) -> str | None:
    """`value` trimmed when it is a safe absolute http(s) URL; None for anything else."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or any(_unsafe(char) for char in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not host:
        return None
    return url


def _unsafe(char: str) -> bool:
    if char.isascii():
        return char <= " " or char == "\x7f" or char in _NEVER_RAW
    return char.isspace() or unicodedata.category(char) in _INVISIBLE_CATEGORIES
