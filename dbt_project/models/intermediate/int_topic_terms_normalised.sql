-- One row per (topic, term) of the taxonomy: each `|`-separated term of a topic's pattern,
-- with the normalised form the matcher looks up (macros/normalise_term.sql). A term written
-- `*suffix` matches any single word ending in that suffix (e.g. `*bench`). The fallback topic
-- `other` has no pattern and appears once, with null terms, so that every topic is listed here.
-- Each row carries its topic's description.

with

taxonomy as (
    select * from {{ ref('stg_seeds__topic_taxonomy') }}
),

split_terms as (
    select
        topic,
        description,
        trim(lower(unnest(string_split(pattern, '|')))) as term
    from taxonomy
    where pattern is not null
),

normalised as (
    select
        topic,
        description,
        term,
        prefix(term, '*') as is_suffix,
        {{ normalise_term("ltrim(term, '*')") }} as term_key
    from split_terms
    where term not in ('', '*')
),

-- Two spellings of one term (quantized, quantizes) are one term: keep the first spelling.
with_lengths as (
    select
        topic,
        description,
        term_key,
        is_suffix,
        min(term) as term,
        len(string_split(term_key, ' ')) as n_words
    from normalised
    where term_key != ''
    group by topic, description, term_key, is_suffix
),

fallback as (
    select
        topic,
        description,
        cast(null as varchar) as term,
        cast(null as varchar) as term_key,
        cast(null as boolean) as is_suffix,
        cast(null as bigint) as n_words
    from taxonomy
    where pattern is null
),

final as (
    select
        topic,
        term,
        term_key,
        is_suffix,
        n_words,
        description
    from with_lengths

    union all

    select
        topic,
        term,
        term_key,
        is_suffix,
        n_words,
        description
    from fallback
)

select * from final
