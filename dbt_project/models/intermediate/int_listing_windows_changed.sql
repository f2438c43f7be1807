-- One row per (load_id, window, window_start): a day, week (from Monday) or month whose
-- contents a load changed. A load changes the windows of the dates whose lists it replaced,
-- and every window listing a paper whose row it changed (that paper's latest upvotes and
-- attributes show in each window it is listed in). The incremental marts rebuild the windows
-- of the loads after their last build (macros/incremental_changes.sql); a filter on load_id
-- reaches the ledger tables before the join.

with

changed_dates as (
    select
        load_id,
        listing_date
    from {{ ref('stg_hf__load_fetches') }}

    union

    select
        load_papers.load_id,
        listings.listing_date
    from {{ ref('stg_hf__load_papers') }} as load_papers
    inner join {{ ref('stg_hf__daily_listings') }} as listings
        on load_papers.paper_id = listings.paper_id
),

windows as (
    select
        changed_dates.load_id,
        window_lengths.window_length as "window",
        cast(
            date_trunc(window_lengths.window_length, changed_dates.listing_date) as date
        ) as window_start
    from changed_dates
    cross join (values ('day'), ('week'), ('month')) as window_lengths (window_length)
)

select distinct
    load_id,
    "window",
    window_start
from windows
