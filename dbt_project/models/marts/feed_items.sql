-- One row per (feed, paper): what each feed publishes (the feeds are in macros/feeds.sql and
-- the mart feeds). The var('feed_size') most upvoted papers listed in the feed's span (a paper
-- whose last listing date is one of the var('feed_days') listing days up to the newest), every
-- paper for `top` and the papers carrying the topic (primary or not) for a topic's feed,
-- ranked by latest upvotes (ties: more comments, earlier first listing, paper_id). Entry ids
-- and dates never change from run to run: the id names the paper
-- (tag:paperboard,2023:paper/<paper_id>) and the date is midnight UTC of its first listing
-- date. A table: it only ever holds the last week.

with

feeds as (
    {{ feeds_published() }}
),

recent_papers as (
    select * from {{ ref('int_papers_classified') }}
    where last_listing_date >= {{ feed_since_listing_date() }}
),

candidates as (
    select
        recent_papers.*,
        feeds.feed
    from feeds
    inner join recent_papers
        on feeds.topic is null or list_contains(recent_papers.topics, feeds.topic)
),

ranked as (
    select
        *,
        'tag:paperboard,2023:paper/' || paper_id as entry_id,
        timezone('UTC', cast(first_listing_date as timestamp)) as entry_date,
        coalesce(ai_summary, abstract) as entry_summary,
        row_number() over (
            partition by feed
            order by upvotes desc, num_comments desc, first_listing_date asc, paper_id asc
        ) as rank
    from candidates
),

final as (
    select
        feed,
        rank,
        paper_id,
        entry_id,
        entry_date,
        title,
        entry_summary,
        upvotes,
        num_comments,
        first_listing_date,
        topics,
        hf_url,
        arxiv_url,
        pdf_url,
        github_repo
    from ranked
    where rank <= {{ var('feed_size') }}
)

select * from final
