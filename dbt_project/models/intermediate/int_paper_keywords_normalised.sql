-- One row per (paper, keyword): the paper's AI keywords normalised (macros/normalise_term.sql:
-- lower case, hyphens, underscores and punctuation as spaces, whitespace collapsed, simple
-- plurals stripped) so that spelling variants count as one keyword, with the spellings the
-- paper used.

with

papers as (
    select
        paper_id,
        ai_keywords
    from {{ ref('stg_hf__papers') }}
    where len(ai_keywords) > 0
),

raw_keywords as (
    select
        paper_id,
        unnest(ai_keywords) as raw_keyword
    from papers
),

normalised as (
    select
        paper_id,
        raw_keyword,
        {{ normalise_term('raw_keyword') }} as keyword
    from raw_keywords
),

final as (
    select
        paper_id,
        keyword,
        list_sort(list(distinct raw_keyword)) as spellings
    from normalised
    where keyword != ''
    group by paper_id, keyword
)

select * from final
