-- Organisation x first listing date x topic: for each Hugging Face organisation (the paper's
-- latest), the papers first listed on that date, per topic the papers carry, counted like
-- author_daily: papers and upvotes under the primary topic only (they add up across topics),
-- papers_tagged and upvotes_tagged under each topic. A leaderboard over any period and topic
-- is a sum over this mart. Incremental by day, like author_daily.

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

{%- set incremental_parents = [ref('int_papers_classified'), ref('int_paper_topics_matched')] %}

with

papers as (
    select
        paper_id,
        title,
        organization,
        upvotes,
        first_listing_date,
        last_listing_date
    from {{ ref('int_papers_classified') }}
    where organization is not null
    {% if is_incremental() %}
        and first_listing_date in {{ windows_changed_since_last_build('day') }}
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
        papers.*,
        topic_matches.topic,
        topic_matches.is_primary
    from papers
    inner join topic_matches
        on papers.paper_id = topic_matches.paper_id
),

final as (
    select
        first_listing_date,
        topic,
        organization,
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
    group by first_listing_date, topic, organization
)

select * from final
