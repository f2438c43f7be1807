-- One row per paper: its latest attributes with its topics, strongest first. The primary topic
-- is the one ranked first by int_paper_topics_matched.

with

papers as (
    select * from {{ ref('stg_hf__papers') }}
),

topic_matches as (
    select * from {{ ref('int_paper_topics_matched') }}
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
        topics_by_paper.primary_topic,
        topics_by_paper.primary_topic_score,
        topics_by_paper.primary_topic_terms,
        topics_by_paper.topics,
        topics_by_paper.topic_scores,
        topics_by_paper.matched_terms
    from papers
    inner join topics_by_paper
        on papers.paper_id = topics_by_paper.paper_id
)

select * from joined
