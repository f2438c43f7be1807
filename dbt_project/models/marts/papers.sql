-- One row per paper: everything a page about the paper shows. Its latest attributes, topics
-- (primary first), visible authors in order with their Hugging Face usernames, links, listing
-- dates with the position on each day's list, latest counts, summary, abstract and keywords.
-- Incremental by paper (macros/incremental_changes.sql): a build rebuilds the papers whose
-- rows the loads since its last build changed; papers that left the warehouse (a re-fetch
-- dropped their only listing) leave here too.

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

{%- set incremental_parents = [
    ref('int_papers_classified'),
    ref('int_author_papers'),
    ref('int_paper_listings_collected'),
] %}

with

papers as (
    select * from {{ ref('int_papers_classified') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

authors as (
    select
        paper_id,
        list(
            struct_pack(
                -- quoted: DuckDB 1.5 reads a bare `position :=` as the POSITION() function
                "position" := author_position,  -- noqa: RF06
                name := author_name,
                name_key := name_key,
                hf_username := hf_username,
                status := status
            )
            order by author_position
        ) as authors,
        list(author_name order by author_position) as author_names
    from {{ ref('int_author_papers') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
    group by paper_id
),

listings as (
    select * from {{ ref('int_paper_listings_collected') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

final as (
    select
        papers.paper_id,
        papers.title,
        papers.ai_summary,
        papers.abstract,
        papers.primary_topic,
        papers.topics,
        papers.matched_terms,
        papers.upvotes,
        papers.num_comments,
        papers.published_at,
        papers.submitted_at,
        papers.first_listing_date,
        papers.last_listing_date,
        listings.listing_dates,
        listings.listings,
        papers.arxiv_url,
        papers.pdf_url,
        papers.hf_url,
        papers.github_repo,
        papers.project_page,
        papers.github_stars,
        papers.organization,
        papers.organization_name,
        papers.fetched_at,
        papers.github_repo is not null as has_code,
        coalesce(papers.ai_keywords, []) as ai_keywords,
        coalesce(authors.authors, []) as authors,
        coalesce(authors.author_names, []) as author_names,
        {{ newest_load_id(incremental_parents) }} as load_id
    from papers
    left join authors
        on papers.paper_id = authors.paper_id
    left join listings
        on papers.paper_id = listings.paper_id
)

select * from final
