-- Topic x listing date: every taxonomy topic on every date with listings. A paper counts once,
-- under its primary topic, so papers, upvotes and both shares add up to the day's totals;
-- papers_tagged also counts papers for which the topic is a secondary one (not additive).
-- Upvotes are the papers' latest counts. Incremental by listing date (see
-- macros/incremental_windows.sql).

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='listing_date',
        on_schema_change='fail',
        pre_hook="{{ delete_run_windows('listing_date') }}",
    )
}}

-- depends_on: {{ ref('int_listing_windows_to_rebuild') }}

with

day_windows as (
    select * from {{ ref('int_paper_listings_windowed') }}
    where "window" = 'day'
),

day_listings as (
    select
        window_start as listing_date,
        paper_id,
        upvotes
    from day_windows
    {% if is_incremental() %}
        where window_start in (
            select windows_to_rebuild.window_start
            from {{ ref('int_listing_windows_to_rebuild') }} as windows_to_rebuild
            where windows_to_rebuild."window" = 'day'
        )
    {% endif %}
),

topics as (
    select distinct topic from {{ ref('int_topic_terms_normalised') }}
),

topic_matches as (
    select
        paper_id,
        topic,
        is_primary
    from {{ ref('int_paper_topics_matched') }}
),

days as (
    select
        listing_date,
        count(*) as day_papers,
        sum(upvotes) as day_upvotes
    from day_listings
    group by listing_date
),

by_topic as (
    select
        day_listings.listing_date,
        topic_matches.topic,
        count(*) filter (where topic_matches.is_primary) as papers,
        sum(day_listings.upvotes) filter (where topic_matches.is_primary) as upvotes,
        count(*) as papers_tagged
    from day_listings
    inner join topic_matches
        on day_listings.paper_id = topic_matches.paper_id
    group by day_listings.listing_date, topic_matches.topic
),

measured as (
    select
        days.listing_date,
        topics.topic,
        days.day_papers,
        days.day_upvotes,
        coalesce(by_topic.papers, 0) as papers,
        coalesce(by_topic.upvotes, 0) as upvotes,
        coalesce(by_topic.papers, 0) / days.day_papers as share_of_papers,
        coalesce(coalesce(by_topic.upvotes, 0) / nullif(days.day_upvotes, 0), 0)
            as share_of_upvotes,
        coalesce(by_topic.papers_tagged, 0) as papers_tagged
    from days
    cross join topics
    left join by_topic
        on
            days.listing_date = by_topic.listing_date
            and topics.topic = by_topic.topic
),

final as (
    select
        listing_date,
        topic,
        papers,
        upvotes,
        share_of_papers,
        share_of_upvotes,
        papers_tagged,
        day_papers,
        day_upvotes
    from measured
)

select * from final
