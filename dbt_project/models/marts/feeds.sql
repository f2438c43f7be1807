-- One row per feed paperboard publishes (pipelines/publish/feeds.py writes each as Atom, RSS
-- and JSON Feed): `top` and one per taxonomy topic (macros/feeds.sql), including feeds that
-- hold no paper this week, with the stable id, the span of listing days and the time the
-- feed's data last changed (the newest fetch behind any paper). Its entries are in
-- feed_items. A table: one row per topic.

with

papers as (
    select
        last_listing_date,
        fetched_at
    from {{ ref('int_papers_classified') }}
),

span as (
    select
        max(last_listing_date) as newest_listing_date,
        max(fetched_at) as updated_at
    from papers
),

feeds as (
    {{ feeds_published() }}
),

final as (
    select
        feeds.feed,
        'tag:paperboard,2023:feed/' || feeds.feed as feed_id,
        feeds.topic,
        {{ var('feed_days') }} as listing_days,
        {{ var('feed_size') }} as feed_size,
        {{ feed_since_listing_date() }} as since_listing_date,
        span.newest_listing_date,
        span.updated_at
    from feeds
    cross join span
)

select * from final
