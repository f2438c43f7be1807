-- Topic x listing date: every taxonomy topic on every date with listings. A paper counts once,
-- under its primary topic, so papers, upvotes and both shares add up to the day's totals;
-- papers_tagged also counts papers for which the topic is a secondary one (not additive).
-- Upvotes are the papers' latest counts. Incremental by listing date (see
-- macros/incremental_changes.sql).

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='listing_date',
        on_schema_change='fail',
        post_hook="{{ delete_windows_without_listings('listing_date') }}",
    )
}}

-- depends_on: {{ ref('int_listing_windows_changed') }}, {{ ref('stg_hf__daily_listings') }}

with

day_shares as (
    select * from {{ ref('int_topic_window_shares') }}
    where "window" = 'day'
    {% if is_incremental() %}
        and window_start in {{ windows_changed_since_last_build('day') }}
    {% endif %}
),

final as (
    select
        window_start as listing_date,
        topic,
        papers,
        upvotes,
        share_of_papers,
        share_of_upvotes,
        papers_tagged,
        window_papers as day_papers,
        window_upvotes as day_upvotes,
        {{ newest_load_id([ref('int_paper_topics_matched')]) }} as load_id
    from day_shares
)

select * from final
