"""A paper as one date lists it: one element of the response array.

Each element has exactly the keys, key order and conventions of its date's era (see
:mod:`devtools.sample.eras`), as the real API sent them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from devtools.sample.draws import add_to_object_id
from devtools.sample.eras import Era, eastern_offset
from devtools.sample.papers import Paper
from devtools.sample.people import HubUser
from devtools.sample.text import wrap_abstract, wrap_title

THUMBNAIL_URL = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{}.png"


def _timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and Z, as the API writes it."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def _user_object(user: HubUser, era: Era) -> dict[str, Any]:
    """A Hub user as it appears inside an author or as `submittedOnDailyBy`."""
    out: dict[str, Any] = {}
    if era.user_id_key is not None:
        out[era.user_id_key] = user.object_id
    out["avatarUrl"] = user.avatar_url
    out["isPro"] = user.is_pro
    out["fullname"] = user.fullname
    out["user"] = user.username
    out["type"] = "user"
    if era.ai_summary_model is not None:
        out["name"] = user.username
    return out


def _submitted_by(user: HubUser, era: Era) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if era.daily_submission:
        out["_id"] = user.object_id
    out["avatarUrl"] = user.avatar_url
    out["fullname"] = user.fullname
    out["name"] = user.username
    out["type"] = "user"
    out["isPro"] = user.is_pro
    out["isHf"] = user.is_hf
    if era.github_stars:
        out["isHfAdmin"] = False
    out["isMod"] = False
    if era.follower_count and user.follower_count > 0:
        out["followerCount"] = user.follower_count
    if era.user_following:
        out["isUserFollowing"] = False
    return out


def _authors(paper: Paper, era: Era) -> list[dict[str, Any]]:
    out = []
    for position, author in enumerate(paper.authors):
        entry: dict[str, Any] = {"_id": add_to_object_id(paper.author_base_id, position)}
        if author.user is not None and author.status_changed_at is not None:
            entry["user"] = _user_object(author.user, era)
            entry["name"] = author.name
            entry["status"] = author.status
            entry["statusLastChangedAt"] = _timestamp(author.status_changed_at)
        else:
            entry["name"] = author.name
        entry["hidden"] = author.hidden
        out.append(entry)
    return out


def listing_entry(
    paper: Paper, era: Era, submitted_at: datetime, upvotes: int, comments: int
) -> dict[str, Any]:
    """One element of the response array, with exactly the keys (and order) of its era."""
    wrapped = era.wrapped or paper.keep_wraps
    paper_title = wrap_title(paper.title) if wrapped else paper.title
    if wrapped:
        summary = wrap_abstract(paper.summary)
    elif paper.summary_paragraphs:
        summary = paper.summary.replace(". Extensive", ".\n\nExtensive", 1)
    else:
        summary = paper.summary
    published_at = paper.published_at
    if era.ai_summary_model is not None and published_at.second % 5 < 3:
        published_at = published_at.replace(hour=0, minute=0, second=0)
    listing_title = paper.listing_title
    if era.daily_submission and era.wrapped and listing_title == paper.title:
        listing_title = paper_title  # 2025-03..2025-10: the top-level title keeps wraps too

    body: dict[str, Any] = {"id": paper.paper_id, "authors": _authors(paper, era)}
    if era.daily_submission and paper.media_urls:
        body["mediaUrls"] = list(paper.media_urls)
    body["publishedAt"] = _timestamp(published_at)
    if era.daily_submission:
        body["submittedOnDailyAt"] = _timestamp(submitted_at)
    body["title"] = paper_title
    if era.daily_submission:
        body["submittedOnDailyBy"] = _user_object(paper.submitter, era)
    body["summary"] = summary
    body["upvotes"] = upvotes
    if era.discussion_id:
        body["discussionId"] = paper.discussion_id
    if era.daily_submission:
        if paper.project_page is not None:
            body["projectPage"] = paper.project_page
        if paper.github_repo is not None:
            body["githubRepo"] = paper.github_repo
            if era.github_added_by:
                body["githubRepoAddedBy"] = "user"
        if era.ai_summary and paper.ai_summary is not None:
            body["ai_summary"] = paper.ai_summary
        if paper.ai_keywords is not None:
            body["ai_keywords"] = list(paper.ai_keywords)
        if era.ai_summary_model is not None and paper.ai_summary is not None:
            body["ai_summary_model"] = era.ai_summary_model
        if era.github_stars and paper.github_repo is not None and paper.github_stars is not None:
            body["githubStars"] = paper.github_stars
        if era.organization and paper.organization is not None:
            body["organization"] = dict(paper.organization)

    entry: dict[str, Any] = {"paper": body}
    if era.daily_submission:
        # A real quirk: the arXiv time in US Eastern, labelled as UTC.
        entry["publishedAt"] = _timestamp(published_at - eastern_offset(published_at))
    else:
        entry["publishedAt"] = _timestamp(submitted_at)
    entry["title"] = listing_title
    if era.daily_submission:
        entry["summary"] = summary
    if era.thumbnail:
        if paper.media_urls:
            entry["mediaUrls"] = list(paper.media_urls)
        entry["thumbnail"] = THUMBNAIL_URL.format(paper.paper_id)
    else:
        entry["mediaUrl"] = paper.legacy_media_url or THUMBNAIL_URL.format(paper.paper_id)
    entry["numComments"] = comments
    if era.submitted_by:
        entry["submittedBy"] = _submitted_by(paper.submitter, era)
    if era.organization and paper.organization is not None:
        entry["organization"] = dict(paper.organization)
    if era.daily_submission:
        entry["isAuthorParticipating"] = paper.author_participates
    return entry
