-- One row per (paper, keyword): the paper's AI keywords normalised (macros/normalise_term.sql:
-- lower case, hyphens, underscores and punctuation as spaces, whitespace collapsed, simple
-- plurals stripped) so that spelling variants count as one keyword, with the spellings the
-- paper used.
-- Incremental by paper (normalising every keyword of the history is the costly part of the
-- keyword marts): a build re-normalises the keywords of the papers the loads since its last
-- build changed; a changed paper left with no keyword loses its rows in a post-hook.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='paper_id',
        on_schema_change='fail',
        post_hook=[
            "{{ delete_papers_no_longer_listed() }}",
            "{{ delete_papers_rebuilt_without_rows() }}",
        ],
    )
}}

-- depends_on: {{ ref('stg_hf__load_papers') }}

with

papers as (
    select
        paper_id,
        ai_keywords
    from {{ ref('stg_hf__papers') }}
    where len(ai_keywords) > 0
    {% if is_incremental() %}
        and paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
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
        list_sort(list(distinct raw_keyword)) as spellings,
        {{ newest_load_id() }} as load_id
    from normalised
    where keyword != ''
    group by paper_id, keyword
)

select * from final
