with

source as (
    select * from {{ source('hf', 'daily_listings') }}
),

renamed as (
    select
        listing_date,
        paper_id,
        position,
        listed_at,
        title,
        submitted_by,
        upvotes,
        num_comments,
        organization,
        thumbnail_url,
        fetched_at
    from source
)

select * from renamed
