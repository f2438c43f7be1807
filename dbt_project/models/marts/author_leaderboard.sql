-- One row per author (name_key): papers, total upvotes (latest counts), first and last listing,
-- the best paper (most upvotes; ties: earlier listing, then paper_id), the display name most
-- often written and the linked Hugging Face username most often linked (ties: alphabetical).
-- Ranked by total upvotes, then papers, then name_key.

with

author_papers as (
    select * from {{ ref('int_author_papers') }}
),

totals as (
    select
        name_key,
        count(*) as papers,
        sum(upvotes) as total_upvotes,
        min(first_listing_date) as first_listing_date,
        max(last_listing_date) as last_listing_date
    from author_papers
    group by name_key
),

best_papers as (
    select
        name_key,
        paper_id as best_paper_id,
        title as best_paper_title,
        upvotes as best_paper_upvotes
    from author_papers
    qualify row_number() over (
        partition by name_key
        order by upvotes desc, first_listing_date asc, paper_id asc
    ) = 1
),

display_names as (
    select
        name_key,
        author_name as display_name
    from author_papers
    group by name_key, author_name
    qualify row_number() over (
        partition by name_key
        order by count(*) desc, author_name asc
    ) = 1
),

usernames as (
    select
        name_key,
        hf_username
    from author_papers
    where hf_username is not null
    group by name_key, hf_username
    qualify row_number() over (
        partition by name_key
        order by count(*) desc, hf_username asc
    ) = 1
),

joined as (
    select
        totals.name_key,
        display_names.display_name,
        usernames.hf_username,
        totals.papers,
        totals.total_upvotes,
        totals.first_listing_date,
        totals.last_listing_date,
        best_papers.best_paper_id,
        best_papers.best_paper_title,
        best_papers.best_paper_upvotes
    from totals
    inner join best_papers
        on totals.name_key = best_papers.name_key
    inner join display_names
        on totals.name_key = display_names.name_key
    left join usernames
        on totals.name_key = usernames.name_key
),

ranked as (
    select
        *,
        row_number() over (
            order by total_upvotes desc, papers desc, name_key asc
        ) as rank
    from joined
),

final as (
    select
        rank,
        name_key,
        display_name,
        hf_username,
        papers,
        total_upvotes,
        first_listing_date,
        last_listing_date,
        best_paper_id,
        best_paper_title,
        best_paper_upvotes
    from ranked
)

select * from final
