"""The dashboard's ranking pages' questions (Trending, Now, Topics, People), asked of the
marts through dashboard/data.py's cached `query`, with each page's defaults, so the warm-up
(dashboard/warmup.py) can ask them before anyone visits.

What ranks is defined in the marts, once; here only rows are chosen, a leaderboard mart is
summed over the period a visitor picks, and the Now page re-ranks through the mart's own
score function (`marts.trending_score`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard.data import query

# Trending.
TRENDING_WINDOW = "week"  # what the page shows first: the newest week's 25 best
TRENDING_LIMIT = 25


def trending_papers(window: str, start: date, limit: int) -> pd.DataFrame:
    """The `limit` best papers of the window starting on `start`, with their upvote history."""
    return query(
        """
        with ranked as (
            select * from marts.trending_papers
            where "window" = $window and window_start = $start
            order by rank
            limit $limit
        )

        select
            ranked.rank,
            ranked.title,
            ranked.upvotes,
            ranked.num_comments,
            coalesce(papers.topics, [ranked.primary_topic]) as topics,
            (
                select list(history.upvotes order by history.snapshot_number)
                from marts.upvote_history as history
                where history.paper_id = ranked.paper_id
            ) as upvote_history,
            ranked.first_listed_on,
            ranked.organization,
            ranked.arxiv_url,
            ranked.pdf_url,
            ranked.hf_url,
            ranked.github_repo,
            ranked.paper_id,
            papers.abstract,
            papers.ai_summary,
            coalesce(len(papers.authors), 0) as authors,
            papers.published_at,
            papers.first_listing_date
        from ranked
        left join marts.papers as papers on ranked.paper_id = papers.paper_id
        order by ranked.rank
        """,
        window=window,
        start=start,
        limit=limit,
    )


# Now.
@dataclass(frozen=True)
class ScoreInputs:
    """What the Now page lets a visitor change in the trending score (macros/
    trending_score.sql): score = upvotes / (age_hours + age_offset_hours) ^ gravity."""

    gravity: float
    age_offset_hours: float
    min_upvotes: int = 0


def trending_now_defaults() -> ScoreInputs | None:
    """The inputs `marts.trending_now` was scored with (its dbt vars): the page's defaults.
    None when the mart holds no paper."""
    frame = query("select gravity, age_offset_hours from marts.trending_now limit 1")
    if frame.empty:
        return None
    return ScoreInputs(
        gravity=float(frame["gravity"].iloc[0]),
        age_offset_hours=float(frame["age_offset_hours"].iloc[0]),
    )


def trending_now(inputs: ScoreInputs) -> pd.DataFrame:
    """`marts.trending_now` scored and ranked again with `inputs`, through the function the
    mart was scored with (`marts.trending_score`), with the mart's tie-breaks; with the
    mart's own inputs it gives the mart's scores and ranks."""
    return query(
        """
        with rescored as (
            select
                *,
                marts.trending_score(upvotes, age_hours, $age_offset_hours, $gravity)
                    as new_score
            from marts.trending_now
            where upvotes >= $min_upvotes
        )

        select
            row_number() over (
                order by new_score desc, upvotes desc, first_listed_at asc, paper_id asc
            ) as rank,
            new_score as score,
            rank as mart_rank, paper_id, title, upvotes, num_comments, age_hours, gravity,
            score as mart_score, upvote_velocity, previous_upvotes, first_listing_date,
            scored_at, hf_url, arxiv_url, github_repo
        from rescored
        order by rank
        """,
        gravity=inputs.gravity,
        age_offset_hours=inputs.age_offset_hours,
        min_upvotes=inputs.min_upvotes,
    )


# Topics.
TOPIC_GRAINS = ("week", "day")


def first_topic_grain(weeks: pd.DataFrame) -> str:
    """What the topic shares are shown per at first: weeks once there are four."""
    return "week" if len(weeks) >= 4 else "day"


def topic_weeks() -> pd.DataFrame:
    """The weeks with topic counts, newest first."""
    return query("select distinct week_start from marts.topic_trends order by week_start desc")


def topic_shares(grain: str) -> pd.DataFrame:
    """Each topic's share of the papers per week or per day."""
    if grain == "week":
        return query(
            "select week_start as period, topic, share_of_papers, papers from marts.topic_trends "
            "order by period, topic"
        )
    return query(
        "select listing_date as period, topic, share_of_papers, papers from marts.topic_daily "
        "order by period, topic"
    )


def rising_topics(week: date) -> pd.DataFrame:
    return query(
        """
        select
            topic, papers, papers_change, share_of_papers, trailing_mean_share,
            share_z_score, trailing_weeks_observed
        from marts.topic_trends
        where week_start = $week and papers > 0
        order by share_z_score desc nulls last, papers desc, topic
        """,
        week=week,
    )


def emerging_keywords(week: date) -> pd.DataFrame:
    return query(
        """
        select rank, keyword, papers, trailing_mean_papers, lift, is_new, spellings
        from marts.emerging_keywords
        where week_start = $week
        order by rank
        limit 25
        """,
        week=week,
    )


def topic_papers(week: date, topic: str, primary_only: bool) -> pd.DataFrame:
    """The week's 20 best papers on `topic` (as their primary topic, or any of theirs)."""
    return query(
        """
        select
            tp.rank as week_rank, tp.title, tp.upvotes, tp.num_comments, tp.primary_topic,
            papers.topics, tp.arxiv_url, tp.hf_url, tp.github_repo, tp.paper_id
        from marts.trending_papers as tp
        left join marts.papers as papers on tp.paper_id = papers.paper_id
        where tp."window" = 'week' and tp.window_start = $week
            and (
                tp.primary_topic = $topic
                or (not $primary_only and list_contains(papers.topics, $topic))
            )
        order by tp.rank
        limit 20
        """,
        week=week,
        topic=topic,
        primary_only=primary_only,
    )


# People.
PEOPLE_PERIODS = {"last 7 days": 7, "last 30 days": 30, "last 365 days": 365, "all time": None}
PEOPLE_PERIOD = "last 30 days"  # what the page shows first


def people_period(first: date, last: date, period: str) -> tuple[date, date]:
    """The first and last listing day of a named period, counted back from `last`."""
    days = PEOPLE_PERIODS[period]
    return (first if days is None else max(first, last - timedelta(days=days - 1))), last


# The leaderboards are sums over marts.author_daily and marts.organization_daily, whose rows
# are (first listing date, topic, author or organisation): a paper counts in the period of its
# first listing, once. Without a topic, `papers` and `upvotes` (each paper under its primary
# topic) add up over every row; with one, `papers_tagged` and `upvotes_tagged` over its rows.
TOP_AUTHORS_SQL = """
with period as (
    select
        name_key,
        sum(case when $topic is null then papers else papers_tagged end) as papers,
        sum(case when $topic is null then upvotes else upvotes_tagged end) as upvotes,
        first(best_paper_title order by best_paper_upvotes desc, first_listing_date, best_paper_id)
            as best_paper,
        max(last_listing_date) as last_listed
    from marts.author_daily
    where first_listing_date >= $start and first_listing_date < $end
        and ($topic is null or topic = $topic)
    group by name_key
)

select
    period.name_key,
    leaderboard.display_name as author,
    leaderboard.hf_username,
    period.papers,
    period.upvotes,
    period.best_paper,
    period.last_listed
from period
inner join marts.author_leaderboard as leaderboard on period.name_key = leaderboard.name_key
order by period.upvotes desc, period.papers desc, period.name_key
limit 100
"""

TOP_ORGANIZATIONS_SQL = """
with rows_in_period as (
    select * from marts.organization_daily
    where first_listing_date >= $start and first_listing_date < $end
),

period as (
    select
        organization,
        sum(case when $topic is null then papers else papers_tagged end) as papers,
        sum(case when $topic is null then upvotes else upvotes_tagged end) as upvotes,
        first(best_paper_title order by best_paper_upvotes desc, first_listing_date, best_paper_id)
            as best_paper
    from rows_in_period
    where $topic is null or topic = $topic
    group by organization
),

-- The topic most of the organisation's papers of the period have as their primary one.
top_topics as (
    select organization, first(topic order by papers desc, topic) as top_topic
    from (
        select organization, topic, sum(papers) as papers
        from rows_in_period
        group by organization, topic
    )
    group by organization
)

select
    period.organization,
    leaderboard.organization_name as name,
    period.papers,
    period.upvotes,
    top_topics.top_topic,
    period.best_paper
from period
inner join marts.organization_leaderboard as leaderboard
    on period.organization = leaderboard.organization
inner join top_topics on period.organization = top_topics.organization
where period.papers > 0
order by period.upvotes desc, period.papers desc, period.organization
limit 100
"""


def top_authors(start: date, end: date, topic: str | None) -> pd.DataFrame:
    """The 100 most upvoted authors of the papers first listed in [start, end) (on `topic`)."""
    return query(TOP_AUTHORS_SQL, start=start, end=end, topic=topic)


def top_organizations(start: date, end: date, topic: str | None) -> pd.DataFrame:
    """The 100 most upvoted organisations of the papers first listed in [start, end) (on
    `topic`), with the primary topic most of their papers of the period have."""
    return query(TOP_ORGANIZATIONS_SQL, start=start, end=end, topic=topic)
