-- Topic x week (from Monday): every taxonomy topic in every week with listings, counted like
-- topic_daily (a paper once, under its primary topic; a paper listed on several dates of the
-- week once), with the change from the previous week and a z-score of the topic's share
-- against the var('trailing_weeks') weeks before, so rising topics stand out. Weeks without
-- listings are unknown, not zero: they are absent, and statistics skip them. A table: small
-- (topics x weeks), and each week's statistics depend on the weeks before it.

{% set trailing_days = var('trailing_weeks') * 7 %}

with

measured as (
    select
        window_start as week_start,
        topic,
        window_papers as week_papers,
        papers,
        upvotes,
        share_of_papers,
        share_of_upvotes,
        papers_tagged
    from {{ ref('int_topic_window_shares') }}
    where "window" = 'week'
),

compared as (
    select
        *,
        lag(week_start) over by_week as previous_week_start,
        lag(papers) over by_week as previous_papers,
        lag(share_of_papers) over by_week as previous_share_of_papers,
        count(*) over prior_weeks as trailing_weeks_observed,
        avg(share_of_papers) over prior_weeks as trailing_mean_share,
        stddev_samp(share_of_papers) over prior_weeks as trailing_stddev_share
    from measured
    window
        by_week as (partition by topic order by week_start),
        prior_weeks as (
            partition by topic
            order by week_start
            range between interval {{ trailing_days }} days preceding
            and interval 1 day preceding
        )
),

scored as (
    select
        week_start,
        topic,
        papers,
        upvotes,
        share_of_papers,
        share_of_upvotes,
        papers_tagged,
        week_papers,
        trailing_weeks_observed,
        trailing_mean_share,
        trailing_stddev_share,
        case
            when previous_week_start = week_start - interval 7 days
                then papers - previous_papers
        end as papers_change,
        case
            when previous_week_start = week_start - interval 7 days
                then share_of_papers - previous_share_of_papers
        end as share_change,
        case
            when trailing_weeks_observed >= 2 and trailing_stddev_share > 0
                then (share_of_papers - trailing_mean_share) / trailing_stddev_share
        end as share_z_score
    from compared
),

final as (
    select
        week_start,
        topic,
        papers,
        upvotes,
        share_of_papers,
        share_of_upvotes,
        papers_tagged,
        week_papers,
        papers_change,
        share_change,
        trailing_weeks_observed,
        trailing_mean_share,
        trailing_stddev_share,
        share_z_score
    from scored
)

select * from final
