"""What a dashboard page lists, read from Streamlit's AppTest as a reader sees it: the cards of
dashboard/listing.py (the Trending and Search pages)."""

from __future__ import annotations

import html
import re

from streamlit.testing.v1 import AppTest


def listing(test: AppTest) -> str:
    """The HTML of the page's list of papers (dashboard/listing.py, shown with st.html)."""
    bodies = [element.proto.body for element in test.get("html")]
    return "".join(body for body in bodies if 'class="pb-list"' in body)


def cards(test: AppTest) -> list[dict[str, str]]:
    """Each listed paper: its id, and the text of its title, details line, topics, abstract
    and links as a reader sees them (tags dropped, entities read)."""

    def text(fragment: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", fragment))

    def part(card: str, name: str) -> str:
        found = re.search(rf'class="{name}"[^>]*>(.*?)</(?:p|div|details)>', card)
        return found[1] if found else ""

    found = []
    for card in re.findall(r"<article .*?</article>", listing(test)):
        found.append(
            {
                "paper_id": re.search(r'data-paper-id="([^"]+)"', card)[1],
                "href": re.search(r'class="pb-title" href="([^"]+)"', card)[1],
                "title": text(re.search(r'class="pb-title"[^>]*>(.*?)</a>', card)[1]),
                "meta": text(part(card, "pb-meta")),
                "topics": re.findall(r'class="pb-topic">(.*?)</span>', card),
                "abstract": text(part(card, "pb-snippet") or part(card, "pb-abstract")),
                "links": dict(
                    (name, html.unescape(url))
                    for url, name in re.findall(r'<a href="([^"]+)"[^>]*>(\w+)</a>', card)
                ),
                "marked": re.findall(r"<mark>(.*?)</mark>", card),
                "html": card,
            }
        )
    return found


def listed_titles(test: AppTest) -> list[str]:
    return [card["title"] for card in cards(test)]
