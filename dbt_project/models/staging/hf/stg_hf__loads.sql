with

source as (
    select * from {{ source('hf', 'loads') }}
),

renamed as (
    select
        load_id,
        loaded_at,
        dagster_run_id,
        listing_dates,
        papers
    from source
)

select * from renamed
