-- One row per (paper, topic) the paper is assigned to. Titles, AI keywords and abstracts are
-- normalised into words (macros/normalise_term.sql) and every run of words is looked up among
-- the taxonomy's terms (int_topic_terms_normalised), so a term matches whole words only, in
-- any case, spelling of hyphens, or plural. Where matched terms overlap, only the longest
-- counts (in "video diffusion model", "video diffusion" and "diffusion model" count, "diffusion"
-- does not), whichever topics they belong to. Each distinct term matched scores 3 in the title,
-- 2 in the keywords and 1 in the abstract; topics scoring at least var('topic_min_score') are
-- assigned, ranked by score, then number of distinct terms, then total length of those terms
-- (longer phrases are more specific), then topic name. Rank 1 is the paper's primary topic.
-- A paper with no assigned topic gets the fallback topic `other`, with score 0.
-- Incremental by paper (the phrase lookup is the costly step of a build): a build re-matches
-- the papers whose rows the loads since its last build changed (the change ledger) and
-- replaces all their rows; papers that left hf.papers (their only listing was re-fetched
-- empty) leave here too. After editing the taxonomy or topic_min_score, rebuild with
-- --full-refresh.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='paper_id',
        on_schema_change='fail',
        post_hook="{{ delete_papers_no_longer_listed() }}",
    )
}}

-- depends_on: {{ ref('stg_hf__load_papers') }}

with

papers as (
    select
        paper_id,
        title,
        abstract,
        ai_keywords
    from {{ ref('stg_hf__papers') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

terms as (
    select * from {{ ref('int_topic_terms_normalised') }}
),

fallback_topics as (
    select topic from terms
    where term_key is null
),

phrase_terms as (
    select
        topic,
        term,
        term_key,
        n_words
    from terms
    where not is_suffix
),

suffix_terms as (
    select
        topic,
        term_key
    from terms
    where is_suffix
),

-- Where a phrase term can start: its first word, and how many words it has.
phrase_starts as (
    select distinct
        n_words,
        split_part(term_key, ' ', 1) as first_word
    from phrase_terms
),

paper_texts as (
    select
        paper_id,
        'title' as section,
        title as body
    from papers

    union all

    select
        paper_id,
        'keywords' as section,
        array_to_string(ai_keywords, ' ; ') as body
    from papers
    where len(ai_keywords) > 0

    union all

    select
        paper_id,
        'abstract' as section,
        abstract as body
    from papers
    where abstract is not null
),

word_lists as (
    select
        paper_id,
        section,
        {{ normalised_words('body', mark_boundaries=true) }} as words
    from paper_texts
),

-- One row per word, without the section's list: carrying the whole list on each of its
-- words grows as the square of an abstract's length (9.8 GB for the 11k papers of the full
-- history); the list is joined back only for the few words where a phrase can start.
word_positions as (
    select
        paper_id,
        section,
        unnest(words) as word,
        generate_subscripts(words, 1) as word_position
    from word_lists
),

-- Phrases are only built where a term can start: most words start none.
phrases as (
    select
        word_positions.paper_id,
        word_positions.section,
        word_positions.word_position,
        phrase_starts.n_words,
        array_to_string(
            word_lists.words[
                word_positions.word_position:
                word_positions.word_position + phrase_starts.n_words - 1
            ],
            ' '
        ) as phrase
    from word_positions
    inner join phrase_starts
        on word_positions.word = phrase_starts.first_word
    inner join word_lists
        on
            word_positions.paper_id = word_lists.paper_id
            and word_positions.section = word_lists.section
    where
        word_positions.word_position + phrase_starts.n_words - 1
        <= len(word_lists.words)
),

hits as (
    select
        phrases.paper_id,
        phrase_terms.topic,
        phrases.section,
        phrases.word_position,
        phrases.n_words,
        phrase_terms.term
    from phrases
    inner join phrase_terms
        on
            phrases.phrase = phrase_terms.term_key
            and phrases.n_words = phrase_terms.n_words

    union all

    select
        word_positions.paper_id,
        suffix_terms.topic,
        word_positions.section,
        word_positions.word_position,
        1 as n_words,
        word_positions.word as term
    from word_positions
    inner join suffix_terms
        on suffix(word_positions.word, suffix_terms.term_key)
),

longest_hits as (
    select
        hits.paper_id,
        hits.topic,
        hits.section,
        hits.term
    from hits
    where not exists (
        select 1
        from hits as longer
        where
            longer.paper_id = hits.paper_id
            and longer.section = hits.section
            and longer.n_words > hits.n_words
            and longer.word_position <= hits.word_position
            and longer.word_position + longer.n_words >= hits.word_position + hits.n_words
    )
),

scored as (
    select
        paper_id,
        topic,
        count(distinct term) filter (where section = 'title') as title_terms,
        count(distinct term) filter (where section = 'keywords') as keyword_terms,
        count(distinct term) filter (where section = 'abstract') as abstract_terms,
        count(distinct term) as distinct_terms,
        length(string_agg(distinct term, '')) as matched_characters,
        list_sort(list(distinct term)) as matched_terms
    from longest_hits
    group by paper_id, topic
),

assigned as (
    select
        paper_id,
        topic,
        title_terms,
        keyword_terms,
        abstract_terms,
        distinct_terms,
        matched_characters,
        matched_terms,
        3 * title_terms + 2 * keyword_terms + abstract_terms as score
    from scored
    where 3 * title_terms + 2 * keyword_terms + abstract_terms >= {{ var('topic_min_score') }}
),

unassigned as (
    select
        papers.paper_id,
        fallback_topics.topic,
        0 as title_terms,
        0 as keyword_terms,
        0 as abstract_terms,
        0 as distinct_terms,
        0 as matched_characters,
        cast([] as varchar[]) as matched_terms,
        0 as score
    from papers
    cross join fallback_topics
    where papers.paper_id not in (select assigned.paper_id from assigned)
),

all_assignments as (
    select * from assigned
    union all
    select * from unassigned
),

ranked as (
    select
        *,
        row_number() over (
            partition by paper_id
            order by
                score desc,
                distinct_terms desc,
                matched_characters desc,
                topic asc
        ) as topic_rank
    from all_assignments
),

final as (
    select
        paper_id,
        topic,
        topic_rank,
        score,
        title_terms,
        keyword_terms,
        abstract_terms,
        matched_terms,
        topic_rank = 1 as is_primary,
        {{ newest_load_id() }} as load_id
    from ranked
)

select * from final
