with

source as (
    select * from {{ source('hf', 'upvote_snapshots') }}
),

renamed as (
    select
        paper_id,
        fetched_at,
        listing_date,
        upvotes,
        num_comments
    from source
)

select * from renamed
