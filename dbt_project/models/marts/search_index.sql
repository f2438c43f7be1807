-- One row per (paper, folded word) of the text search ranks papers by: the paper's title,
-- AI keywords (each keyword on its own) and abstract, folded into words like every text of
-- the project (macros/normalise_term.sql) and given their search term, Snowball's stem, by
-- the Python function `search_term` (pipelines/words.py, registered by pipelines/dbt_plugin.py);
-- stop words have none and are left out. `weight` counts the word's occurrences, 3 for each in
-- the title, 2 in a keyword and 1 in the abstract, so a word in the title weighs more than the
-- same word in the abstract (a common stand-in for BM25F); `document_length` is the paper's
-- total weight. The table function marts.search_papers (macros/search.sql, created by the
-- post-hook) ranks papers by BM25 over this table.
-- Incremental by paper (macros/incremental_changes.sql), like papers: a build folds and stems
-- only the papers whose rows the loads since its last build changed.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='paper_id',
        on_schema_change='fail',
        post_hook=[
            "{{ delete_papers_no_longer_listed() }}",
            "{{ delete_papers_rebuilt_without_rows() }}",
            "{{ create_search_papers_function() }}",
        ],
    )
}}

-- depends_on: {{ ref('stg_hf__load_papers') }}
-- depends_on: {{ ref('papers') }}

with

papers as (
    select
        paper_id,
        title,
        ai_keywords,
        abstract
    from {{ ref('int_papers_classified') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

texts as (
    select
        paper_id,
        {{ var('search_title_weight') }} as weight,
        title as body
    from papers

    union all

    select
        paper_id,
        {{ var('search_keyword_weight') }} as weight,
        unnest(ai_keywords) as body
    from papers

    union all

    select
        paper_id,
        {{ var('search_abstract_weight') }} as weight,
        abstract as body
    from papers
    where abstract is not null
),

words as (
    select
        paper_id,
        weight,
        unnest({{ normalised_words('body') }}) as word
    from texts
),

distinct_words as (
    select distinct word from words
),

-- Each distinct word stemmed once.
vocabulary as (
    select
        word,
        search_term(word) as term
    from distinct_words
),

weighted as (
    select
        words.paper_id,
        words.word,
        vocabulary.term,
        sum(words.weight) as weight
    from words
    inner join vocabulary on words.word = vocabulary.word
    where vocabulary.term is not null
    group by words.paper_id, words.word, vocabulary.term
),

final as (
    select
        paper_id,
        word,
        term,
        cast(weight as integer) as weight,
        cast(sum(weight) over (partition by paper_id) as integer) as document_length,
        {{ newest_load_id([ref('int_papers_classified')]) }} as load_id
    from weighted
)

select * from final
