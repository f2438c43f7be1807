-- Every share column adds up to 1 over its window: trending_papers per window, topic_daily
-- per listing date and topic_trends per week. A share of upvotes may add up to 0 instead, when
-- the window has no upvotes at all. Returns the windows where a sum is off.

with

trending_windows as (
    select
        'trending_papers.share_of_window_upvotes' as share_column,
        "window" || ' ' || window_start as window_key,
        sum(share_of_window_upvotes) as share_sum,
        sum(upvotes) = 0 as has_no_upvotes
    from {{ ref('trending_papers') }}
    group by "window", window_start
),

topic_days as (
    select
        'topic_daily.share_of_papers' as share_column,
        cast(listing_date as varchar) as window_key,
        sum(share_of_papers) as share_sum,
        false as has_no_upvotes
    from {{ ref('topic_daily') }}
    group by listing_date

    union all

    select
        'topic_daily.share_of_upvotes' as share_column,
        cast(listing_date as varchar) as window_key,
        sum(share_of_upvotes) as share_sum,
        sum(upvotes) = 0 as has_no_upvotes
    from {{ ref('topic_daily') }}
    group by listing_date
),

topic_weeks as (
    select
        'topic_trends.share_of_papers' as share_column,
        cast(week_start as varchar) as window_key,
        sum(share_of_papers) as share_sum,
        false as has_no_upvotes
    from {{ ref('topic_trends') }}
    group by week_start

    union all

    select
        'topic_trends.share_of_upvotes' as share_column,
        cast(week_start as varchar) as window_key,
        sum(share_of_upvotes) as share_sum,
        sum(upvotes) = 0 as has_no_upvotes
    from {{ ref('topic_trends') }}
    group by week_start
),

all_sums as (
    select * from trending_windows
    union all
    select * from topic_days
    union all
    select * from topic_weeks
)

select *
from all_sums
where
    abs(share_sum - 1) > 1e-9
    and not (has_no_upvotes and share_sum = 0)
