-- Papers ranked by their latest upvotes within each day, week (from Monday) and month they
-- were listed in. Ties: more comments first, then the earlier listing, then paper_id.
-- Incremental: a build rebuilds, whole, the windows the loads since its last build changed
-- (macros/incremental_changes.sql).

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['"window"', 'window_start'],
        on_schema_change='fail',
        post_hook="{{ delete_windows_without_listings('window_start', window_column='window') }}",
    )
}}

-- depends_on: {{ ref('int_listing_windows_changed') }}, {{ ref('stg_hf__daily_listings') }}

with

paper_listings as (
    select * from {{ ref('int_paper_listings_windowed') }}
    {% if is_incremental() %}
        where ("window", window_start) in {{ windows_changed_since_last_build() }}
    {% endif %}
),

primary_topics as (
    select
        paper_id,
        topic as primary_topic
    from {{ ref('int_paper_topics_matched') }}
    where is_primary
),

ranked as (
    select
        paper_listings.*,
        primary_topics.primary_topic,
        row_number() over (
            partition by paper_listings."window", paper_listings.window_start
            order by
                paper_listings.upvotes desc,
                paper_listings.num_comments desc,
                paper_listings.first_listed_on asc,
                paper_listings.paper_id asc
        ) as rank,
        coalesce(
            paper_listings.upvotes / nullif(
                sum(paper_listings.upvotes) over (
                    partition by paper_listings."window", paper_listings.window_start
                ),
                0
            ),
            0
        ) as share_of_window_upvotes
    from paper_listings
    left join primary_topics
        on paper_listings.paper_id = primary_topics.paper_id
),

final as (
    select
        "window",
        window_start,
        rank,
        paper_id,
        title,
        primary_topic,
        upvotes,
        num_comments,
        share_of_window_upvotes,
        first_listed_on,
        arxiv_url,
        pdf_url,
        hf_url,
        github_repo,
        project_page,
        organization,
        {{ newest_load_id([ref('int_paper_topics_matched')]) }} as load_id
    from ranked
)

select * from final
