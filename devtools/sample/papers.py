"""A paper: everything about it that stays the same on every date it is listed.

Topic, title, abstract, authors, submitter, links and organisation are drawn from the paper's
own seeded stream, so a paper listed again on a later date is the same paper.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from devtools.sample import links
from devtools.sample.day_plan import PlannedPaper
from devtools.sample.draws import add_to_object_id, new_object_id, pick, token, weighted
from devtools.sample.people import (
    UPLOADS_URL,
    Author,
    HubUser,
    curators,
    hub_user,
    organizations,
    person_name,
)
from devtools.sample.text import edited_title, invent_name, make_keywords, make_summary, make_title
from devtools.sample.vocabulary import TOPIC_WEIGHTS_EARLY, TOPIC_WEIGHTS_LATE, TOPICS

# An author's claim on a paper (linked authors only), and how often each appears.
STATUSES = (
    ("admin_assigned", 52.0),
    ("claimed_verified", 42.0),
    ("extracted_pending", 3.5),
    ("extracted_confirmed", 2.5),
)

MEDIA_EXTENSIONS = ("mp4", "png", "png", "mp4", "gif", "jpeg")

_TOPIC_EARLY = weighted(list(TOPIC_WEIGHTS_EARLY.items()))
_TOPIC_LATE = weighted(list(TOPIC_WEIGHTS_LATE.items()))
_STATUSES = weighted(STATUSES)


@dataclass(frozen=True)
class Paper:
    paper_id: str
    published_at: datetime
    topic: str
    title: str  # unwrapped, as the top level shows it
    listing_title: str  # the top-level title when the submitter edited it
    summary: str  # unwrapped
    keep_wraps: bool  # arXiv wraps survive even in the late, unwrapped era
    summary_paragraphs: bool
    authors: tuple[Author, ...]
    author_base_id: str
    discussion_id: str
    submitter: HubUser
    submitter_is_author: bool
    author_participates: bool
    media_urls: tuple[str, ...]
    legacy_media_url: str | None
    github_repo: str | None
    github_stars: int | None
    project_page: str | None
    ai_summary: str | None
    ai_keywords: tuple[str, ...] | None
    organization: dict[str, str] | None


def make_paper(seed: int, planned: PlannedPaper, late: bool) -> Paper:
    """Everything about a paper that stays the same on every date it is listed."""
    rng = random.Random(f"{seed}:paper:{planned.paper_id}")
    topic = TOPICS[pick(rng, _TOPIC_LATE if late else _TOPIC_EARLY)]
    name = invent_name(rng, topic)
    title = make_title(rng, topic, name)
    listing_title = edited_title(rng, title) if rng.random() < 0.03 else title
    listed_around = planned.published_at + timedelta(days=1, hours=rng.randint(2, 20))

    n_authors = max(1, min(60, round(math.exp(rng.gauss(1.85, 0.5)))))
    if rng.random() < 0.02:
        n_authors = rng.randint(20, 60)
    authors = []
    for _ in range(n_authors):
        person = person_name(rng)
        roll = rng.random()
        if roll < 0.1:  # with the submitting authors, about 15% of authors end up linked
            user = hub_user(rng, person, listed_around)
            status = pick(rng, _STATUSES)
            changed = listed_around + timedelta(milliseconds=rng.randint(0, 3 * 86_400_000))
            hidden = rng.random() < 0.06
            authors.append(Author(person, hidden, user, status, changed))
        else:
            authors.append(Author(person, rng.random() < 0.002, None, None, None))

    author_base_id = new_object_id(rng, listed_around)
    discussion_id = add_to_object_id(author_base_id, n_authors + rng.randint(0, 9))

    linked = [a for a in authors if a.user is not None]
    roll = rng.random()
    if roll < 0.25:
        submitter, submitter_is_author = rng.choice(curators(seed)), False
    elif roll < 0.8 or not linked:
        # An author submits: make sure they are linked and have claimed the paper.
        first_authors = len(authors) if rng.random() < 0.4 else min(len(authors), 4)
        index = rng.randrange(first_authors)
        author = authors[index]
        user = author.user or hub_user(rng, author.name, listed_around)
        claimed = listed_around + timedelta(milliseconds=rng.randint(300_000, 36_000_000))
        authors[index] = Author(author.name, False, user, "claimed_verified", claimed)
        submitter, submitter_is_author = user, True
    else:
        submitter = hub_user(rng, person_name(rng), listed_around)
        submitter_is_author = False
    author_participates = submitter_is_author or (bool(linked) and rng.random() < 0.15)

    repo_name = name.replace("++", "-Plus-Plus").replace(" ", "-")
    owner = links.github_owner(rng, name, authors)
    has_github = rng.random() < 0.42 or planned.github_variant is not None
    github_repo = None
    github_stars = None
    if has_github:
        github_repo = links.github_repo(rng, owner, repo_name, planned.github_variant)
        if rng.random() < 0.92:
            github_stars = min(5000, int(math.exp(rng.gauss(2.6, 1.7))))
    project_page = None
    if rng.random() < 0.3:
        project_page = links.project_page(rng, owner, repo_name, planned.paper_id)

    clean_github = f"https://github.com/{owner}/{repo_name}"
    summary, ai_summary = make_summary(rng, topic, name, clean_github if has_github else None)
    keywords = make_keywords(rng, topic, name) if rng.random() < 0.95 else None
    if keywords is None or rng.random() < 0.03:
        ai_summary = None

    media_urls: tuple[str, ...] = ()
    if rng.random() < 0.17:
        count = 1 if rng.random() < 0.7 else rng.randint(2, 4)
        media_urls = tuple(
            UPLOADS_URL.format(submitter.object_id, token(rng), rng.choice(MEDIA_EXTENSIONS))
            for _ in range(count)
        )
    legacy_media_url = None
    if rng.random() < 0.12:
        legacy_media_url = UPLOADS_URL.format(submitter.object_id, token(rng), "png")

    organization = rng.choice(organizations(seed)) if rng.random() < 0.45 else None
    return Paper(
        paper_id=planned.paper_id,
        published_at=planned.published_at,
        topic=topic.name,
        title=title,
        listing_title=listing_title,
        summary=summary,
        keep_wraps=rng.random() < 0.08,
        summary_paragraphs=rng.random() < 0.05,
        authors=tuple(authors),
        author_base_id=author_base_id,
        discussion_id=discussion_id,
        submitter=submitter,
        submitter_is_author=submitter_is_author,
        author_participates=author_participates,
        media_urls=media_urls,
        legacy_media_url=legacy_media_url,
        github_repo=github_repo,
        github_stars=github_stars,
        project_page=project_page,
        ai_summary=ai_summary,
        ai_keywords=keywords,
        organization=organization,
    )
