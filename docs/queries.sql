-- Example questions for the marts, answered in SQL (DuckDB).
--
-- Run one with `make sql Q="..."`, or open data/warehouse.duckdb read-only in any DuckDB
-- client. "This week", "today" and "this month" mean the newest ones in the data, so the
-- queries also work on a sample or a warehouse that has not been refreshed lately.
-- Each query is preceded by `-- name:` and `-- question:`; tests/test_marts_queries.py runs
-- every one against a freshly built warehouse, so they keep working as the marts change.

-- name: top-papers-this-week
-- question: What are the ten most upvoted papers this week, and what are they about?
select
    tp.rank,
    tp.title,
    tp.primary_topic,
    tp.upvotes,
    round(100 * tp.share_of_window_upvotes, 1) as pct_of_week_upvotes,
    tp.hf_url
from marts.trending_papers as tp
where
    tp."window" = 'week'
    and tp.window_start = (
        select max(weeks.window_start)
        from marts.trending_papers as weeks
        where weeks."window" = 'week'
    )
    and tp.rank <= 10
order by tp.rank;

-- name: paper-of-the-day
-- question: Which paper topped each of the last ten listing days?
select
    tp.window_start as listing_date,
    tp.title,
    tp.primary_topic,
    tp.upvotes,
    tp.num_comments
from marts.trending_papers as tp
where tp."window" = 'day' and tp.rank = 1
order by tp.window_start desc
limit 10;

-- name: trending-now-and-why
-- question: What is trending right now, and why: how many upvotes, how old, how fast rising?
select
    tn.rank,
    tn.title,
    tn.upvotes,
    round(tn.age_hours, 1) as age_hours,
    round(tn.score, 3) as score,
    round(tn.upvote_velocity, 1) as upvotes_per_day,
    tn.previous_upvotes,
    tn.previous_snapshot_at,
    tn.scored_at
from marts.trending_now as tn
order by tn.rank
limit 10;

-- name: fastest-rising-papers
-- question: Which recent papers gained upvotes fastest between their last two fetches?
select
    tn.title,
    tn.upvote_velocity,
    tn.previous_upvotes,
    tn.upvotes,
    tn.previous_snapshot_at,
    tn.latest_snapshot_at
from marts.trending_now as tn
where tn.upvote_velocity is not null
order by tn.upvote_velocity desc, tn.paper_id asc
limit 10;

-- name: topics-of-the-top-papers
-- question: What topics are this month's ten most upvoted papers about, and which terms say so?
select
    tp.rank,
    tp.title,
    pt.primary_topic,
    pt.topics,
    pt.primary_topic_terms
from marts.trending_papers as tp
inner join marts.paper_topics as pt on tp.paper_id = pt.paper_id
where
    tp."window" = 'month'
    and tp.window_start = (
        select max(months.window_start)
        from marts.trending_papers as months
        where months."window" = 'month'
    )
    and tp.rank <= 10
order by tp.rank;

-- name: topic-mix-of-all-papers
-- question: How are all papers spread over primary topics, and how many get no real topic?
select
    pt.primary_topic,
    count(*) as papers,
    round(100 * count(*) / sum(count(*)) over (), 1) as pct_of_papers,
    round(avg(pt.upvotes), 1) as mean_upvotes
from marts.paper_topics as pt
group by pt.primary_topic
order by papers desc;

-- name: topic-share-on-the-latest-day
-- question: On the latest listing day, what share of papers and of upvotes went to each topic?
select
    td.topic,
    td.papers,
    round(100 * td.share_of_papers, 1) as pct_of_papers,
    round(100 * td.share_of_upvotes, 1) as pct_of_upvotes,
    td.papers_tagged
from marts.topic_daily as td
where td.listing_date = (select max(days.listing_date) from marts.topic_daily as days)
order by td.papers desc, td.topic asc;

-- name: topics-that-rose-this-month
-- question: Which topics rose this month: share of papers this month against the month before?
with monthly as (
    select
        td.topic,
        cast(date_trunc('month', td.listing_date) as date) as month_start,
        sum(td.papers) as papers,
        sum(td.day_papers) as all_papers
    from marts.topic_daily as td
    group by td.topic, month_start
),

latest as (
    select max(monthly.month_start) as month_start from monthly
)

select
    this_month.topic,
    this_month.papers,
    round(100 * this_month.papers / this_month.all_papers, 1) as pct_this_month,
    round(100 * last_month.papers / last_month.all_papers, 1) as pct_last_month,
    round(
        100 * (
            this_month.papers / this_month.all_papers
            - coalesce(last_month.papers / last_month.all_papers, 0)
        ),
        1
    ) as change_in_points
from monthly as this_month
inner join latest on this_month.month_start = latest.month_start
left join monthly as last_month
    on
        this_month.topic = last_month.topic
        and last_month.month_start = this_month.month_start - interval 1 month
order by change_in_points desc, this_month.topic asc;

-- name: rising-topics-this-week
-- question: Which topics stand out this week against their trailing eight weeks (z-score of share)?
select
    tt.topic,
    tt.papers,
    tt.papers_change,
    round(100 * tt.share_of_papers, 1) as pct_of_papers,
    round(100 * tt.trailing_mean_share, 1) as trailing_mean_pct,
    round(tt.share_z_score, 2) as z_score,
    tt.trailing_weeks_observed
from marts.topic_trends as tt
where tt.week_start = (select max(weeks.week_start) from marts.topic_trends as weeks)
order by tt.share_z_score desc nulls last, tt.papers desc, tt.topic asc;

-- name: emerging-keywords-this-week
-- question: Which AI keywords are emerging this week, compared with the weeks before?
select
    ek.rank,
    ek.keyword,
    ek.papers,
    round(ek.trailing_mean_papers, 2) as trailing_mean_papers,
    round(ek.lift, 2) as lift,
    ek.is_new,
    ek.spellings
from marts.emerging_keywords as ek
where ek.week_start = (select max(weeks.week_start) from marts.emerging_keywords as weeks)
order by ek.rank
limit 15;

-- name: most-upvoted-authors-since-january
-- question: Who are the most upvoted authors since January (of the newest year in the data)?
select
    ap.name_key,
    any_value(ap.author_name) as author_name,
    count(*) as papers,
    sum(ap.upvotes) as upvotes,
    max(ap.hf_username) as hf_username
from marts.author_papers as ap
where
    ap.first_listing_date >= (
        select cast(date_trunc('year', max(papers.first_listing_date)) as date)
        from marts.author_papers as papers
    )
group by ap.name_key
order by upvotes desc, papers desc, ap.name_key asc
limit 10;

-- name: author-leaderboard
-- question: Who are the most upvoted authors of all time, and what is each one's best paper?
select
    al.rank,
    al.display_name,
    al.hf_username,
    al.papers,
    al.total_upvotes,
    al.best_paper_title,
    al.best_paper_upvotes,
    al.first_listing_date,
    al.last_listing_date
from marts.author_leaderboard as al
order by al.rank
limit 10;

-- name: organization-leaderboard
-- question: Which Hugging Face organisations have the most upvoted papers, and on what topics?
select
    ol.rank,
    ol.organization_name,
    ol.papers,
    ol.total_upvotes,
    ol.top_topic,
    ol.best_paper_title,
    ol.last_listing_date
from marts.organization_leaderboard as ol
order by ol.rank
limit 10;

-- name: organizations-this-month
-- question: Which organisations had the most upvoted papers this month?
select
    tp.organization,
    count(*) as papers,
    sum(tp.upvotes) as upvotes,
    min(tp.rank) as best_rank
from marts.trending_papers as tp
where
    tp."window" = 'month'
    and tp.window_start = (
        select max(months.window_start)
        from marts.trending_papers as months
        where months."window" = 'month'
    )
    and tp.organization is not null
group by tp.organization
order by upvotes desc, tp.organization asc;

-- name: daily-activity
-- question: How busy were the last fourteen listing days, and how many papers shared code?
select
    ds.listing_date,
    ds.papers,
    ds.upvotes,
    ds.median_upvotes,
    round(100 * ds.share_with_code, 1) as pct_with_code
from marts.daily_summary as ds
order by ds.listing_date desc
limit 14;

-- name: most-upvoted-authors-last-30-days
-- question: Who are the most upvoted authors of the papers first listed in the last 30 days?
select
    al.display_name,
    al.hf_username,
    sum(ad.papers) as papers,
    sum(ad.upvotes) as upvotes,
    first(ad.best_paper_title order by ad.best_paper_upvotes desc) as best_paper
from marts.author_daily as ad
inner join marts.author_leaderboard as al on ad.name_key = al.name_key
where
    ad.first_listing_date > (select max(days.listing_date) from marts.daily_summary as days) - 30
group by ad.name_key, al.display_name, al.hf_username
order by upvotes desc, papers desc, ad.name_key asc
limit 10;

-- name: organizations-on-a-topic
-- question: Which organisations have the most upvoted papers on agents (primary topic or not)?
select
    ol.organization_name,
    sum(od.papers_tagged) as papers,
    sum(od.upvotes_tagged) as upvotes,
    max(od.last_listing_date) as last_listed
from marts.organization_daily as od
inner join marts.organization_leaderboard as ol on od.organization = ol.organization
where od.topic = 'agents'
group by od.organization, ol.organization_name
order by upvotes desc, papers desc, od.organization asc
limit 10;

-- name: top-paper-in-full
-- question: Who wrote this week's top paper, where are its code and PDF, and what is it about?
select
    p.title,
    p.author_names,
    [author.hf_username for author in p.authors if author.hf_username is not null]
        as hf_usernames,
    p.topics,
    p.ai_summary,
    p.pdf_url,
    p.github_repo,
    p.project_page,
    p.listing_dates
from marts.papers as p
where p.paper_id = (
    select tp.paper_id
    from marts.trending_papers as tp
    where
        tp."window" = 'week'
        and tp.rank = 1
        and tp.window_start = (
            select max(weeks.window_start)
            from marts.trending_papers as weeks
            where weeks."window" = 'week'
        )
);

-- name: how-this-week-s-top-paper-rose
-- question: How did this week's most upvoted paper gain its upvotes, fetch by fetch?
select
    uh.snapshot_number,
    uh.fetched_at,
    uh.listing_date,
    uh.upvotes,
    uh.upvotes_gained
from marts.upvote_history as uh
where uh.paper_id = (
    select tp.paper_id
    from marts.trending_papers as tp
    where
        tp."window" = 'week'
        and tp.rank = 1
        and tp.window_start = (
            select max(weeks.window_start)
            from marts.trending_papers as weeks
            where weeks."window" = 'week'
        )
)
order by uh.snapshot_number;

-- name: this-week-s-feed
-- question: What does the top feed publish this week (the entries of top.atom, in order)?
select
    fi.rank,
    fi.entry_id,
    fi.entry_date,
    fi.title,
    fi.upvotes,
    fi.topics
from marts.feed_items as fi
where fi.feed = 'top'
order by fi.rank;

-- name: search-pre-training-by-topic
-- question: Which topics do the papers about pre-training fall under, with the best match of each?
-- marts.search_papers is the search of the dashboard and of `paperboard search`: "pre-training",
-- "pretraining" and "pre training" find the same papers.
select
    papers.primary_topic,
    count(*) as matching_papers,
    min(hits.rank) as best_rank,
    arg_min(papers.title, hits.rank) as best_match
from marts.search_papers('pre-training') as hits
inner join marts.papers as papers on hits.paper_id = papers.paper_id
group by papers.primary_topic
order by matching_papers desc, best_rank;
