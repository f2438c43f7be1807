-- One row per (window, window_start, paper_id): a paper's first listing in each day, week
-- (starting Monday) and month it was listed in, with the paper's latest attributes.

with

listings as (
    select * from {{ ref('stg_hf__daily_listings') }}
),

papers as (
    select * from {{ ref('stg_hf__papers') }}
),

listings_by_window as (
    select
        'day' as "window",
        listing_date as window_start,
        paper_id,
        listing_date
    from listings

    union all

    select
        'week' as "window",
        cast(date_trunc('week', listing_date) as date) as window_start,
        paper_id,
        listing_date
    from listings

    union all

    select
        'month' as "window",
        cast(date_trunc('month', listing_date) as date) as window_start,
        paper_id,
        listing_date
    from listings
),

first_listings as (
    select
        "window",
        window_start,
        paper_id,
        min(listing_date) as first_listed_on
    from listings_by_window
    group by "window", window_start, paper_id
),

joined as (
    select
        first_listings."window",
        first_listings.window_start,
        first_listings.paper_id,
        first_listings.first_listed_on,
        papers.title,
        papers.upvotes,
        papers.num_comments,
        papers.arxiv_url,
        papers.pdf_url,
        papers.hf_url,
        papers.github_repo,
        papers.project_page,
        papers.organization
    from first_listings
    inner join papers
        on first_listings.paper_id = papers.paper_id
)

select * from joined
