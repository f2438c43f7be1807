-- Author x first listing date x topic: for each author (name_key), the papers first listed on
-- that date, per topic the papers carry. papers and upvotes count a paper under its primary
-- topic only, so they add up across topics (any topic: sum every row); papers_tagged and
-- upvotes_tagged count it under each of its topics (one topic: the rows of that topic). So a
-- leaderboard over any period and topic is a sum over this mart, and each paper counts once, at
-- its first listing. Upvotes are the papers' latest counts. Incremental by day
-- (macros/incremental_changes.sql): a build rebuilds the days the loads since its last build
-- changed, and each changed paper shows on one of those days, its first listing date.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='first_listing_date',
        on_schema_change='fail',
        post_hook="{{ delete_days_rebuilt_without_rows('first_listing_date') }}",
    )
}}

-- depends_on: {{ ref('int_listing_windows_changed') }}

{%- set incremental_parents = [ref('int_author_papers'), ref('int_paper_topics_matched')] %}

with

author_papers as (
    select * from {{ ref('int_author_papers') }}
    {% if is_incremental() %}
        where first_listing_date in {{ windows_changed_since_last_build('day') }}
    {% endif %}
),

topic_matches as (
    select
        paper_id,
        topic,
        is_primary
    from {{ ref('int_paper_topics_matched') }}
),

tagged as (
    select
        author_papers.first_listing_date,
        author_papers.name_key,
        author_papers.paper_id,
        author_papers.title,
        author_papers.upvotes,
        author_papers.last_listing_date,
        topic_matches.topic,
        topic_matches.is_primary
    from author_papers
    inner join topic_matches
        on author_papers.paper_id = topic_matches.paper_id
),

final as (
    select
        first_listing_date,
        topic,
        name_key,
        count(*) filter (where is_primary) as papers,
        coalesce(sum(upvotes) filter (where is_primary), 0) as upvotes,
        count(*) as papers_tagged,
        sum(upvotes) as upvotes_tagged,
        first(paper_id order by upvotes desc, paper_id asc) as best_paper_id,
        first(title order by upvotes desc, paper_id asc) as best_paper_title,
        max(upvotes) as best_paper_upvotes,
        max(last_listing_date) as last_listing_date,
        {{ newest_load_id(incremental_parents) }} as load_id
    from tagged
    group by first_listing_date, topic, name_key
)

select * from final
