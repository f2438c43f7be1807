-- One row per (paper, snapshot): the upvotes and comments each fetch saw of a listed paper,
-- numbered in fetch order, with the upvotes gained since the previous snapshot. Incremental by
-- paper (macros/incremental_changes.sql): a fetch adds a snapshot only to papers it lists, and
-- those are the papers its load changed, so a build rewrites the history of those papers alone.

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

snapshots as (
    select * from {{ ref('int_upvote_snapshots_sequenced') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

final as (
    select
        paper_id,
        fetched_at,
        listing_date,
        snapshot_number,
        upvotes,
        num_comments,
        upvotes_gained,
        {{ newest_load_id() }} as load_id
    from snapshots
)

select * from final
