-- Keyword x week (from Monday): AI keywords, normalised so spelling variants count together,
-- in weeks where at least var('keyword_min_support') papers carry them, compared with the
-- keyword's mean weekly count over the var('trailing_weeks') weeks before (weeks with listings
-- only; a week with listings but without the keyword counts 0). Ranked per week by
-- lift = (papers + 1) / (trailing mean + 1): add-one smoothing, so a keyword new this week
-- ranks by its count instead of dividing by zero. The first week of data has no history:
-- its lift is null and it ranks after the rest. A table: each week depends on the ones before.

{% set trailing_days = var('trailing_weeks') * 7 %}

with

week_listings as (
    select
        window_start as week_start,
        paper_id,
        upvotes
    from {{ ref('int_paper_listings_windowed') }}
    where "window" = 'week'
),

keywords as (
    select * from {{ ref('int_paper_keywords_normalised') }}
),

weeks as (
    select distinct week_start from week_listings
),

observed_weeks as (
    select
        week_start,
        count(*) over (
            order by week_start
            range between interval {{ trailing_days }} days preceding
            and interval 1 day preceding
        ) as trailing_weeks_observed
    from weeks
),

weekly as (
    select
        week_listings.week_start,
        keywords.keyword,
        count(*) as papers,
        sum(week_listings.upvotes) as upvotes,
        list_sort(list_distinct(flatten(list(keywords.spellings)))) as spellings
    from week_listings
    inner join keywords
        on week_listings.paper_id = keywords.paper_id
    group by week_listings.week_start, keywords.keyword
),

with_history as (
    select
        *,
        coalesce(
            sum(papers) over (
                partition by keyword
                order by week_start
                range between interval {{ trailing_days }} days preceding
                and interval 1 day preceding
            ),
            0
        ) as trailing_papers
    from weekly
),

supported as (
    select
        with_history.week_start,
        with_history.keyword,
        with_history.papers,
        with_history.upvotes,
        with_history.spellings,
        observed_weeks.trailing_weeks_observed,
        with_history.trailing_papers
        / nullif(observed_weeks.trailing_weeks_observed, 0) as trailing_mean_papers
    from with_history
    inner join observed_weeks
        on with_history.week_start = observed_weeks.week_start
    where with_history.papers >= {{ var('keyword_min_support') }}
),

scored as (
    select
        *,
        papers - trailing_mean_papers as growth,
        (papers + 1) / (trailing_mean_papers + 1) as lift,
        trailing_mean_papers = 0 as is_new
    from supported
),

ranked as (
    select
        *,
        row_number() over (
            partition by week_start
            order by lift desc nulls last, papers desc, keyword asc
        ) as rank
    from scored
),

final as (
    select
        week_start,
        rank,
        keyword,
        papers,
        upvotes,
        trailing_weeks_observed,
        trailing_mean_papers,
        growth,
        lift,
        is_new,
        spellings
    from ranked
)

select * from final
