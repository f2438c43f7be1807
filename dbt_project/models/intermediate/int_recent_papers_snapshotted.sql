-- One row per paper listed in the last var('trending_now_days') listing dates (counted back
-- from the newest listing date in the data), with what trending_now scores it on: when it was
-- first listed in that span, the scoring time (the newest fetch of any date) and its two
-- newest upvote snapshots.
--
-- When it was first listed: the top-level publishedAt (listed_at) was the listing time until
-- 2025-02; from 2025-03 the API puts the arXiv time there (days earlier) and sends the listing
-- time as submittedOnDailyAt (submitted_at, kept for the paper's latest listing). So the first
-- listing time is submitted_at when it belongs to that listing, else listed_at when it is no
-- more than a day before the listing date, else midnight UTC of the listing date.

with

listings as (
    select * from {{ ref('stg_hf__daily_listings') }}
),

papers as (
    select * from {{ ref('stg_hf__papers') }}
),

snapshots as (
    select * from {{ ref('stg_hf__upvote_snapshots') }}
),

recent_listings as (
    select *
    from listings
    where
        listing_date > (select max(newest.listing_date) from listings as newest)
        - {{ var('trending_now_days') }}
),

first_listings as (
    select
        paper_id,
        min(listing_date) as first_listing_date,
        arg_min(listed_at, listing_date) as listed_at
    from recent_listings
    group by paper_id
),

ranked_snapshots as (
    select
        paper_id,
        fetched_at,
        upvotes,
        row_number() over (partition by paper_id order by fetched_at desc) as recency
    from snapshots
    where paper_id in (select first_listings.paper_id from first_listings)
),

latest_two as (
    select
        paper_id,
        any_value(fetched_at) filter (where recency = 1) as latest_snapshot_at,
        any_value(upvotes) filter (where recency = 1) as latest_upvotes,
        any_value(fetched_at) filter (where recency = 2) as previous_snapshot_at,
        any_value(upvotes) filter (where recency = 2) as previous_upvotes
    from ranked_snapshots
    where recency <= 2
    group by paper_id
),

joined as (
    select
        first_listings.paper_id,
        papers.title,
        first_listings.first_listing_date,
        latest_two.latest_upvotes as upvotes,
        papers.num_comments,
        latest_two.latest_snapshot_at,
        latest_two.previous_snapshot_at,
        latest_two.previous_upvotes,
        papers.hf_url,
        papers.arxiv_url,
        papers.github_repo,
        papers.organization,
        case
            when
                papers.source_listing_date = first_listings.first_listing_date
                and papers.submitted_at is not null
                then papers.submitted_at
            when
                first_listings.listed_at
                >= cast(first_listings.first_listing_date as timestamptz) - interval 1 day
                then first_listings.listed_at
            else cast(first_listings.first_listing_date as timestamptz)
        end as first_listed_at,
        (select max(newest.fetched_at) from snapshots as newest) as scored_at
    from first_listings
    inner join papers
        on first_listings.paper_id = papers.paper_id
    inner join latest_two
        on first_listings.paper_id = latest_two.paper_id
)

select * from joined
