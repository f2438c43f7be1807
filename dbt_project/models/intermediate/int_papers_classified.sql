-- One row per paper: its latest attributes with its topics, strongest first. The primary topic
-- is the one ranked first by int_paper_topics_matched. What every per-paper mart (papers,
-- paper_topics, feed_items, the organisation marts) reads a paper from.
-- Incremental by paper (macros/incremental_changes.sql): a build rebuilds the papers whose rows
-- the loads since its last build changed, so the marts that read a few papers, or all of them,
-- read a table instead of aggregating every paper's topics again.

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
    select * from {{ ref('stg_hf__papers') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

topic_matches as (
    select * from {{ ref('int_paper_topics_matched') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

topics_by_paper as (
    select
        paper_id,
        list(topic order by topic_rank) as topics,
        list(score order by topic_rank) as topic_scores,
        list_sort(list_distinct(flatten(list(matched_terms)))) as matched_terms,
        any_value(topic) filter (where is_primary) as primary_topic,
        any_value(score) filter (where is_primary) as primary_topic_score,
        any_value(matched_terms) filter (where is_primary) as primary_topic_terms
    from topic_matches
    group by paper_id
),

joined as (
    select
        papers.paper_id,
        papers.title,
        papers.upvotes,
        papers.num_comments,
        papers.first_listing_date,
        papers.last_listing_date,
        papers.organization,
        papers.organization_name,
        papers.arxiv_url,
        papers.hf_url,
        papers.github_repo,
        papers.abstract,
        papers.ai_summary,
        papers.ai_keywords,
        papers.published_at,
        papers.submitted_at,
        papers.pdf_url,
        papers.project_page,
        papers.github_stars,
        papers.fetched_at,
        topics_by_paper.primary_topic,
        topics_by_paper.primary_topic_score,
        topics_by_paper.primary_topic_terms,
        topics_by_paper.topics,
        topics_by_paper.topic_scores,
        topics_by_paper.matched_terms,
        {{ newest_load_id([ref('int_paper_topics_matched')]) }} as load_id
    from papers
    inner join topics_by_paper
        on papers.paper_id = topics_by_paper.paper_id
)

select * from joined
