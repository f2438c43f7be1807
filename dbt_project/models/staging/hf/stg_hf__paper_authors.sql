with

source as (
    select * from {{ source('hf', 'paper_authors') }}
),

renamed as (
    select
        paper_id,
        position,
        name,
        name_key,
        hf_username,
        is_hidden,
        status
    from source
)

select * from renamed
