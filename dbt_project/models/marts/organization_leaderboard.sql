-- One row per Hugging Face organisation that papers are listed under (the paper's latest
-- organisation): papers, total upvotes (latest counts), first and last listing, the best paper
-- (most upvotes; ties: earlier listing, then paper_id) and the topic most of its papers have
-- as primary. Ranked by total upvotes, then papers, then organisation.

with

papers as (
    select * from {{ ref('int_papers_classified') }}
    where organization is not null
),

totals as (
    select
        organization,
        count(*) as papers,
        sum(upvotes) as total_upvotes,
        min(first_listing_date) as first_listing_date,
        max(last_listing_date) as last_listing_date
    from papers
    group by organization
),

best_papers as (
    select
        organization,
        organization_name,
        paper_id as best_paper_id,
        title as best_paper_title,
        upvotes as best_paper_upvotes
    from papers
    qualify row_number() over (
        partition by organization
        order by upvotes desc, first_listing_date asc, paper_id asc
    ) = 1
),

top_topics as (
    select
        organization,
        primary_topic as top_topic
    from papers
    group by organization, primary_topic
    qualify row_number() over (
        partition by organization
        order by count(*) desc, primary_topic asc
    ) = 1
),

joined as (
    select
        totals.organization,
        best_papers.organization_name,
        totals.papers,
        totals.total_upvotes,
        totals.first_listing_date,
        totals.last_listing_date,
        best_papers.best_paper_id,
        best_papers.best_paper_title,
        best_papers.best_paper_upvotes,
        top_topics.top_topic
    from totals
    inner join best_papers
        on totals.organization = best_papers.organization
    inner join top_topics
        on totals.organization = top_topics.organization
),

ranked as (
    select
        *,
        row_number() over (
            order by total_upvotes desc, papers desc, organization asc
        ) as rank
    from joined
),

final as (
    select
        rank,
        organization,
        organization_name,
        papers,
        total_upvotes,
        first_listing_date,
        last_listing_date,
        best_paper_id,
        best_paper_title,
        best_paper_upvotes,
        top_topic
    from ranked
)

select * from final
