-- The (window, window_start) pairs an incremental run must rebuild: every day, week (from
-- Monday) and month that shares a day with the run's [start_date, end_date), and every window
-- holding a listing of a paper listed in the run, because loading the run refreshed that
-- paper's latest upvotes and attributes, which every window it is listed in shows. Without the
-- run vars: every window with listings. Ephemeral, so it always sees the vars of this run.

{{ config(materialized='ephemeral') }}

{% set bounds = run_window() %}

with

listings as (
    select
        listing_date,
        paper_id
    from {{ ref('stg_hf__daily_listings') }}
),

{% if bounds is not none %}
    run_dates as (
        select cast(day_start as date) as listing_date
        from range(
            date '{{ bounds[0] }}', date '{{ bounds[1] }}', interval 1 day
        ) as days (day_start)
    ),

    run_papers as (
        select distinct listings.paper_id
        from listings
        inner join run_dates
            on listings.listing_date = run_dates.listing_date
    ),

    affected_dates as (
        select run_dates.listing_date
        from run_dates

        union

        select listings.listing_date
        from listings
        inner join run_papers
            on listings.paper_id = run_papers.paper_id
    ),
{% else %}
    affected_dates as (
        select distinct listings.listing_date
        from listings
    ),
{% endif %}

windows as (
    select
        window_lengths.window_length as "window",
        cast(
            date_trunc(window_lengths.window_length, affected_dates.listing_date) as date
        ) as window_start
    from affected_dates
    cross join (values ('day'), ('week'), ('month')) as window_lengths (window_length)
)

select distinct
    windows."window",
    windows.window_start
from windows
