with

source as (
    select * from {{ ref('topic_taxonomy') }}
),

renamed as (
    select
        trim(topic) as topic,
        nullif(trim(pattern), '') as pattern,
        trim(description) as description
    from source
)

select * from renamed
