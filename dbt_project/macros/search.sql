{#-
    Full-text search over the papers, defined once: the table function
    marts.search_papers(query_text), which search_index's post-hook saves in the warehouse
    beside the mart, so the serving copy carries it. The dashboard's Search page, the
    `paperboard search` command and any SQL client call it, and get one ranking:

        select hits.rank, hits.score, papers.title
        from marts.search_papers('pre-training of LLMs') as hits
        inner join marts.papers using (paper_id)
        order by hits.rank

    The query's words are folded by the same macro as the papers' (normalised_words) and
    looked up among the words of marts.search_index, which gives their search terms (a word no
    paper holds has none, so it finds nothing). Papers are scored by BM25 (Lucene's variant,
    k1 and b from the vars search_bm25_k1 and search_bm25_b) over those distinct terms:
    score = sum over terms of ln(1 + (N - df + 0.5) / (df + 0.5))
        * tf / (tf + k1 * (1 - b + b * document_length / average_document_length)),
    with tf the paper's weight of the term, df the papers holding it and N the papers
    indexed. A query naming a paper's arXiv id (2511.11177, with or without a version) puts
    that paper first. Ranks: score, then upvotes, then paper_id; only papers of marts.papers.
    Each paper's score is summed in term order, so it is the same number on every call.
-#}

{#- The body's names are bound in the catalog current at creation and at each call, so the
    macro is created from inside the warehouse's catalog (on a lake dbt's own is `memory`),
    and every reader opens the warehouse as its current catalog (`use warehouse`). -#}
{% macro create_search_papers_function() -%}
    use {{ this.database }};
    create or replace macro {{ this.schema }}.search_papers(query_text) as table
    with
    query_words as (
        select distinct unnest({{ normalised_words('query_text') }}) as word
    ),

    query_terms as (
        select distinct term
        from {{ this.schema }}.search_index
        where word in (select word from query_words)
    ),

    corpus as (
        select
            count(distinct paper_id) as papers,
            sum(weight) / count(distinct paper_id) as average_length
        from {{ this.schema }}.search_index
    ),

    matches as (
        select
            paper_id,
            term,
            sum(weight) as frequency,
            any_value(document_length) as document_length
        from {{ this.schema }}.search_index
        where term in (select term from query_terms)
        group by paper_id, term
    ),

    document_frequencies as (
        select
            term,
            count(*) as papers
        from matches
        group by term
    ),

    scored as (
        select
            matches.paper_id,
            sum(
                ln(1 + (corpus.papers - df.papers + 0.5) / (df.papers + 0.5))
                * matches.frequency
                / (
                    matches.frequency
                    + {{ var('search_bm25_k1') }} * (
                        1 - {{ var('search_bm25_b') }}
                        + {{ var('search_bm25_b') }} * matches.document_length
                        / corpus.average_length
                    )
                )
                order by matches.term
            ) as score
        from matches
        inner join document_frequencies as df on matches.term = df.term
        cross join corpus
        group by matches.paper_id
    ),

    named as (
        select papers.paper_id
        from {{ this.schema }}.papers as papers
        where papers.paper_id in (
            select unnest(regexp_extract_all(query_text, '\d{4}\.\d{4,5}'))
        )
    ),

    all_scores as (
        select paper_id, score
        from scored
        where paper_id not in (select paper_id from named)

        union all

        select
            paper_id,
            coalesce((select max(score) from scored), 0) + 1000 as score
        from named
    )

    select
        all_scores.paper_id,
        all_scores.score,
        row_number() over (
            order by all_scores.score desc, papers.upvotes desc, all_scores.paper_id asc
        ) as rank
    from all_scores
    inner join {{ this.schema }}.papers as papers on all_scores.paper_id = papers.paper_id
    order by rank
{%- endmacro %}
