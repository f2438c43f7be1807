-- topic_daily counts each paper once, under its primary topic: per listing date, its papers
-- and upvotes add up to daily_summary's, and every date of one is in the other. Returns the
-- dates where they differ.

with

topic_totals as (
    select
        listing_date,
        sum(papers) as papers,
        sum(upvotes) as upvotes
    from {{ ref('topic_daily') }}
    group by listing_date
),

summary as (
    select
        listing_date,
        papers,
        upvotes
    from {{ ref('daily_summary') }}
)

select
    topic_totals.papers as topic_daily_papers,
    summary.papers as daily_summary_papers,
    topic_totals.upvotes as topic_daily_upvotes,
    summary.upvotes as daily_summary_upvotes,
    coalesce(topic_totals.listing_date, summary.listing_date) as listing_date
from topic_totals
full outer join summary
    on topic_totals.listing_date = summary.listing_date
where
    topic_totals.papers is distinct from summary.papers
    or topic_totals.upvotes is distinct from summary.upvotes
