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

day_shares as (
    select * from {{ ref('int_topic_window_shares') }}
    where "window" = 'day'
    {% if is_incremental() %}
        and window_start in (
            select windows_to_rebuild.window_start
            from {{ ref('int_listing_windows_to_rebuild') }} as windows_to_rebuild
            where windows_to_rebuild."window" = 'day'
        )
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
        window_upvotes as day_upvotes
    from day_shares
)

select * from final
