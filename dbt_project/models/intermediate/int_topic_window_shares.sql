-- Topic x window (day and week): every taxonomy topic in every window with listings. A paper
-- counts once, under its primary topic, so papers, upvotes and both shares add up to the
-- window's totals; papers_tagged also counts papers for which the topic is a secondary one.
-- One definition for topic_daily and topic_trends, so a day and a week are counted alike.

with

window_listings as (
    select
        "window",
        window_start,
        paper_id,
        upvotes
    from {{ ref('int_paper_listings_windowed') }}
    where "window" in ('day', 'week')
),

topics as (
    select distinct topic from {{ ref('int_topic_terms_normalised') }}
),

topic_matches as (
    select
        paper_id,
        topic,
        is_primary
    from {{ ref('int_paper_topics_matched') }}
),

windows as (
    select
        "window",
        window_start,
        count(*) as window_papers,
        sum(upvotes) as window_upvotes
    from window_listings
    group by "window", window_start
),

by_topic as (
    select
        window_listings."window",
        window_listings.window_start,
        topic_matches.topic,
        count(*) filter (where topic_matches.is_primary) as papers,
        sum(window_listings.upvotes) filter (where topic_matches.is_primary) as upvotes,
        count(*) as papers_tagged
    from window_listings
    inner join topic_matches
        on window_listings.paper_id = topic_matches.paper_id
    group by window_listings."window", window_listings.window_start, topic_matches.topic
),

final as (
    select
        windows."window",
        windows.window_start,
        topics.topic,
        windows.window_papers,
        windows.window_upvotes,
        coalesce(by_topic.papers, 0) as papers,
        coalesce(by_topic.upvotes, 0) as upvotes,
        coalesce(by_topic.papers, 0) / windows.window_papers as share_of_papers,
        coalesce(coalesce(by_topic.upvotes, 0) / nullif(windows.window_upvotes, 0), 0)
            as share_of_upvotes,
        coalesce(by_topic.papers_tagged, 0) as papers_tagged
    from windows
    cross join topics
    left join by_topic
        on
            windows."window" = by_topic."window"
            and windows.window_start = by_topic.window_start
            and topics.topic = by_topic.topic
)

select * from final
