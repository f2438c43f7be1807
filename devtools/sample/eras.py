"""When the feed has a list, and which keys and conventions each date's response has.

The real API grew keys over time (and renamed one), so a date's response has the keys of its
era and no others; the ``*_FROM`` dates are the first listing date of each change, read from
archived real responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from pipelines.listing_calendar import FIRST_LISTING_DATE

# The first date the feed has a list for; earlier dates are empty.
FEED_START = date.fromisoformat(FIRST_LISTING_DATE)
# (month, day) with no list in any year.
HOLIDAYS = frozenset({(12, 25), (1, 1)})

# First listing date of each schema era.
THUMBNAIL_FROM = date(2024, 6, 1)  # `thumbnail` (+ optional `mediaUrls`) replace `mediaUrl`
SUBMITTED_BY_FROM = date(2024, 6, 1)  # top-level `submittedBy`
DISCUSSION_ID_FROM = date(2024, 8, 1)  # `paper.discussionId`; linked users gain `id`
USER_OBJECT_ID_FROM = date(2024, 11, 1)  # linked users' `id` renamed `_id`
FOLLOWER_COUNT_FROM = date(2024, 10, 1)  # `submittedBy.followerCount` (only when > 0)
DAILY_SUBMISSION_FROM = date(2025, 3, 1)  # submittedOnDailyAt/By, githubRepo, projectPage,
# ai_keywords, top-level `summary`, isAuthorParticipating, paper.mediaUrls, shifted publishedAt
AI_SUMMARY_FROM = date(2025, 5, 1)
GITHUB_STARS_FROM = date(2025, 6, 1)  # also `submittedBy.isHfAdmin`
ORGANIZATION_FROM = date(2025, 10, 1)  # top level and in `paper`, when the paper has one
UNWRAPPED_FROM = date(2025, 11, 1)  # arXiv line wraps become rare
GITHUB_ADDED_BY_FROM = date(2025, 12, 1)
USER_FOLLOWING_FROM = date(2026, 3, 1)  # `submittedBy.isUserFollowing`
AI_SUMMARY_MODEL_FROM = date(2026, 6, 1)  # also `name` in user objects, midnight timestamps

AI_SUMMARY_MODELS = (
    (date(2026, 8, 1), "thinkingmachines/Inkling-Small"),
    (AI_SUMMARY_MODEL_FROM, "Qwen/Qwen2.5-Coder-32B-Instruct"),
)


def is_listing_day(day: date) -> bool:
    """Weekdays from the first list on, except the holidays; other dates list nothing."""
    return day >= FEED_START and day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


@dataclass(frozen=True)
class Era:
    """Which keys and conventions a listing date's response has."""

    listing_date: date
    thumbnail: bool
    submitted_by: bool
    discussion_id: bool
    user_id_key: str | None  # None, "id" or "_id" inside linked users
    follower_count: bool
    daily_submission: bool
    ai_summary: bool
    github_stars: bool
    organization: bool
    wrapped: bool
    github_added_by: bool
    user_following: bool
    ai_summary_model: str | None

    @classmethod
    def of(cls, listing_date: date) -> Era:
        model = next((m for since, m in AI_SUMMARY_MODELS if listing_date >= since), None)
        if listing_date >= USER_OBJECT_ID_FROM:
            user_id_key: str | None = "_id"
        elif listing_date >= DISCUSSION_ID_FROM:
            user_id_key = "id"
        else:
            user_id_key = None
        return cls(
            listing_date=listing_date,
            thumbnail=listing_date >= THUMBNAIL_FROM,
            submitted_by=listing_date >= SUBMITTED_BY_FROM,
            discussion_id=listing_date >= DISCUSSION_ID_FROM,
            user_id_key=user_id_key,
            follower_count=listing_date >= FOLLOWER_COUNT_FROM,
            daily_submission=listing_date >= DAILY_SUBMISSION_FROM,
            ai_summary=listing_date >= AI_SUMMARY_FROM,
            github_stars=listing_date >= GITHUB_STARS_FROM,
            organization=listing_date >= ORGANIZATION_FROM,
            wrapped=listing_date < UNWRAPPED_FROM,
            github_added_by=listing_date >= GITHUB_ADDED_BY_FROM,
            user_following=listing_date >= USER_FOLLOWING_FROM,
            ai_summary_model=model,
        )


@lru_cache(maxsize=8)
def _eastern_dst(year: int) -> tuple[datetime, datetime]:
    """US Eastern daylight time in `year`, in UTC: second Sunday of March to first of November."""
    march = date(year, 3, 8)
    start = march + timedelta(days=(6 - march.weekday()) % 7)
    november = date(year, 11, 1)
    end = november + timedelta(days=(6 - november.weekday()) % 7)
    return (
        datetime(start.year, start.month, start.day, 7, tzinfo=UTC),
        datetime(end.year, end.month, end.day, 6, tzinfo=UTC),
    )


def eastern_offset(moment: datetime) -> timedelta:
    """UTC minus US Eastern time at `moment`: arXiv's deadlines and the API's quirk use it."""
    start, end = _eastern_dst(moment.year)
    return timedelta(hours=4 if start <= moment < end else 5)
