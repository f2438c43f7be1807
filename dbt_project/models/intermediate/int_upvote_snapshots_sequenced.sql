-- One row per (paper, fetch): the upvotes and comments each fetch saw of a paper that is still
-- listed (snapshots of papers a re-fetch dropped from every list stay in staging, not here),
-- numbered in fetch order, with the upvotes gained since the paper's previous snapshot.

with

snapshots as (
    select * from {{ ref('stg_hf__upvote_snapshots') }}
),

papers as (
    select paper_id from {{ ref('stg_hf__papers') }}
),

listed as (
    select snapshots.*
    from snapshots
    inner join papers
        on snapshots.paper_id = papers.paper_id
),

sequenced as (
    select
        paper_id,
        fetched_at,
        listing_date,
        upvotes,
        num_comments,
        row_number() over by_fetch as snapshot_number,
        upvotes - lag(upvotes) over by_fetch as upvotes_gained
    from listed
    window by_fetch as (partition by paper_id order by fetched_at)
)

select * from sequenced
