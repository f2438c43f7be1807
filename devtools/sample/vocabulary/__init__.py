"""The generator's vocabulary: the words, phrases, names and organisations it invents papers from.

They are data, not logic, so they live in the JSON files beside this module, one per concept,
and are loaded once at import into the immutable shapes the generator draws from. Order
matters: the generator draws by position from seeded random streams, so reordering, adding or
removing an entry changes the generated listings (and the bundled sample, which
``tests/test_generator.py`` then reports as stale until it is regenerated).

* ``topics.json``: per topic, how often it appears before 2025 and from 2025 (agents and RL
  grow), and the phrases abstracts and titles are built from: ``context`` (opening sentences,
  without the full stop), ``gap`` (clauses after "However,"), ``goal`` (verb phrases after
  "designed to"), ``noun`` (what the contribution is), ``task`` (short task phrases, "for X" in
  titles), ``part`` (components, as mass nouns or plurals), ``items`` (what a dataset holds),
  ``bench``, ``metric``, ``baseline``, ``keywords`` and ``stems`` (fragments for invented
  acronyms). Each topic has its own, so a topic classifier has something to find.
* ``phrases.json``: adjectives and the sentence templates every topic shares. Templates name
  the values the generator fills in: ``results`` use ``{baseline}``, ``findings`` ``{part}`` and
  ``{part2}``, ``openers`` ``{name}``, ``{a}``, ``{adj}``, ``{noun}`` and ``{goal}``, ``fillers``
  ``{task}``, ``extras`` ``{name}`` and ``{task}``.
* ``method_names.json``: stems, endings, suffixes and syllables for invented method names.
* ``person_names.json``: given names and surnames by origin, with each origin's weight, and a
  few names in non-Latin scripts. Common names of many origins; every combination is invented.
* ``organizations.json``: invented Hugging Face organisations (account name, display name).
* ``link_hosts.json``: code hosts other than GitHub and hosts of project pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VOCABULARY_DIR = Path(__file__).resolve().parent


def load(name: str) -> Any:
    """One vocabulary file, parsed (`name` without `.json`)."""
    return json.loads((VOCABULARY_DIR / f"{name}.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Topic:
    """A research topic's phrases; see ``topics.json`` in the module docstring for each field."""

    name: str
    context: tuple[str, ...]
    gap: tuple[str, ...]
    goal: tuple[str, ...]
    noun: tuple[str, ...]
    task: tuple[str, ...]
    part: tuple[str, ...]
    items: tuple[str, ...]
    bench: tuple[str, ...]
    metric: tuple[str, ...]
    baseline: tuple[str, ...]
    keywords: tuple[str, ...]
    stems: tuple[str, ...]


NamePool = tuple[tuple[str, ...], tuple[str, ...], float]  # given names, surnames, weight


def _topics(raw: dict[str, dict[str, Any]]) -> dict[str, Topic]:
    weights = ("weight_before_2025", "weight_from_2025")
    return {
        name: Topic(
            name, **{key: tuple(value) for key, value in fields.items() if key not in weights}
        )
        for name, fields in raw.items()
    }


_topics_raw = load("topics")
TOPICS: dict[str, Topic] = _topics(_topics_raw)
TOPIC_WEIGHTS_EARLY = {name: fields["weight_before_2025"] for name, fields in _topics_raw.items()}
TOPIC_WEIGHTS_LATE = {name: fields["weight_from_2025"] for name, fields in _topics_raw.items()}

_phrases = load("phrases")
ADJECTIVES: tuple[str, ...] = tuple(_phrases["adjectives"])
BENEFITS: tuple[str, ...] = tuple(_phrases["benefits"])
EFFICIENCY_CLAUSES: tuple[str, ...] = tuple(_phrases["efficiency_clauses"])
RESULTS: tuple[str, ...] = tuple(_phrases["results"])
FINDINGS: tuple[str, ...] = tuple(_phrases["findings"])
OPENERS: tuple[str, ...] = tuple(_phrases["openers"])
FILLERS: tuple[str, ...] = tuple(_phrases["fillers"])
EXTRAS: tuple[str, ...] = tuple(_phrases["extras"])

_method_names = load("method_names")
GENERIC_STEMS: tuple[str, ...] = tuple(_method_names["stems"])
NAME_ENDINGS: tuple[str, ...] = tuple(_method_names["endings"])
NAME_SUFFIXES: tuple[str, ...] = tuple(_method_names["suffixes"])
SYLLABLES: tuple[str, ...] = tuple(_method_names["syllables"])

_person_names = load("person_names")
NAME_POOLS: dict[str, NamePool] = {
    origin: (tuple(pool["given"]), tuple(pool["surnames"]), pool["weight"])
    for origin, pool in _person_names["origins"].items()
}
NON_LATIN_NAMES: tuple[str, ...] = tuple(_person_names["non_latin"])

ORGANIZATIONS: tuple[tuple[str, str], ...] = tuple(
    (organization["name"], organization["fullname"]) for organization in load("organizations")
)

_link_hosts = load("link_hosts")
GIT_HOSTS: tuple[str, ...] = tuple(_link_hosts["git_hosts"])
PAGE_HOSTS: tuple[str, ...] = tuple(_link_hosts["project_page_hosts"])
