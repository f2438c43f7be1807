with

source as (
    select * from {{ source('hf', 'papers') }}
),

renamed as (
    select
        paper_id,
        title,
        abstract,
        published_at,
        submitted_at,
        arxiv_url,
        pdf_url,
        hf_url,
        github_repo,
        github_repo_raw,
        github_stars,
        project_page,
        project_page_raw,
        ai_summary,
        ai_keywords,
        organization,
        organization_name,
        upvotes,
        num_comments,
        first_listing_date,
        last_listing_date,
        source_listing_date,
        fetched_at
    from source
)

select * from renamed
