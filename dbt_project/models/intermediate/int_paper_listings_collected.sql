-- One row per paper: every listing date it was on, in order, with its position on that day's
-- list and the counts the date's latest fetch saw. What the paper mart shows as the paper's
-- listing history. Incremental by paper (macros/incremental_changes.sql): a load that
-- replaces a date's list changes the papers listed on it, before and after.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='paper_id',
        on_schema_change='fail',
        post_hook="{{ delete_papers_no_longer_listed() }}",
    )
}}

-- depends_on: {{ ref('stg_hf__load_papers') }}

with

listings as (
    select * from {{ ref('stg_hf__daily_listings') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

collected as (
    select
        paper_id,
        list(listing_date order by listing_date) as listing_dates,
        list(
            struct_pack(
                listing_date := listing_date,
                -- quoted: DuckDB 1.5 reads a bare `position :=` as the POSITION() function
                "position" := position,  -- noqa: RF06
                upvotes := upvotes,
                num_comments := num_comments
            )
            order by listing_date
        ) as listings,
        {{ newest_load_id() }} as load_id
    from listings
    group by paper_id
)

select * from collected
