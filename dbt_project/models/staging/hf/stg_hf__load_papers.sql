with

source as (
    select * from {{ source('hf', 'load_papers') }}
),

renamed as (
    select
        load_id,
        paper_id
    from source
)

select * from renamed
