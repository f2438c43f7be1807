with

source as (
    select * from {{ source('hf', 'load_fetches') }}
),

renamed as (
    select
        load_id,
        listing_date,
        fetched_at,
        outcome
    from source
)

select * from renamed
