-- One row per listing date: how many papers were listed, their upvotes (latest counts), the
-- median, and the share that link a GitHub repository. A paper listed twice on one date counts
-- once. Incremental by listing date (see macros/incremental_changes.sql).

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

day_windows as (
    select * from {{ ref('int_paper_listings_windowed') }}
    where "window" = 'day'
),

day_listings as (
    select
        window_start as listing_date,
        paper_id,
        upvotes,
        num_comments,
        github_repo
    from day_windows
    {% if is_incremental() %}
        where window_start in {{ windows_changed_since_last_build('day') }}
    {% endif %}
),

final as (
    select
        listing_date,
        count(*) as papers,
        sum(upvotes) as upvotes,
        median(upvotes) as median_upvotes,
        max(upvotes) as max_upvotes,
        sum(num_comments) as num_comments,
        count(github_repo) as papers_with_code,
        count(github_repo) / count(*) as share_with_code,
        {{ newest_load_id() }} as load_id
    from day_listings
    group by listing_date
)

select * from final
