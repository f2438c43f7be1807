-- Papers ranked by their latest upvotes within each day, week (from Monday) and month they
-- were listed in. Ties: more comments first, then the earlier listing, then paper_id.

with

paper_listings as (
    select * from {{ ref('int_paper_listings_windowed') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by "window", window_start
            order by
                upvotes desc,
                num_comments desc,
                first_listed_on asc,
                paper_id asc
        ) as rank,
        coalesce(
            upvotes / nullif(sum(upvotes) over (partition by "window", window_start), 0),
            0
        ) as share_of_window_upvotes
    from paper_listings
),

final as (
    select
        "window",
        window_start,
        rank,
        paper_id,
        title,
        upvotes,
        num_comments,
        share_of_window_upvotes,
        first_listed_on,
        arxiv_url,
        pdf_url,
        hf_url,
        github_repo,
        project_page,
        organization
    from ranked
)

select * from final
