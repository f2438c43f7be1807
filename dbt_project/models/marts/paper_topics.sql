-- One row per paper: its primary topic, every topic it was assigned (strongest first, with
-- scores) and the terms that matched. Papers that match no topic have the topic `other`.
-- A view over the incremental int_papers_classified: a daily run has nothing to copy.

{{ config(materialized='view') }}

with

papers as (
    select * from {{ ref('int_papers_classified') }}
),

final as (
    select
        paper_id,
        title,
        primary_topic,
        primary_topic_score,
        primary_topic_terms,
        topics,
        topic_scores,
        matched_terms,
        upvotes,
        first_listing_date,
        last_listing_date,
        hf_url,
        len(topics) as n_topics
    from papers
)

select * from final
