-- One row per topic of the taxonomy (seeds/topic_taxonomy.csv), including the fallback `other`:
-- its description, its terms, and how many papers carry it, as their primary topic and at
-- all. The list of topics every page and feed offers. A table: one row per topic.

with

terms as (
    select * from {{ ref('int_topic_terms_normalised') }}
),

topic_matches as (
    select * from {{ ref('int_paper_topics_matched') }}
),

described as (
    select
        topic,
        any_value(description) as description,
        count(term) = 0 as is_fallback,
        list_sort(list(term) filter (where term is not null)) as terms
    from terms
    group by topic
),

counted as (
    select
        topic,
        count(*) filter (where is_primary) as papers,
        count(*) as papers_tagged
    from topic_matches
    group by topic
),

final as (
    select
        described.topic,
        described.description,
        described.is_fallback,
        described.terms,
        coalesce(counted.papers, 0) as papers,
        coalesce(counted.papers_tagged, 0) as papers_tagged
    from described
    left join counted
        on described.topic = counted.topic
)

select * from final
