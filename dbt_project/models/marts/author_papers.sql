-- One row per (author, paper): every visible author of every listed paper, keyed by name_key
-- (case-folded, accents removed; two people with the same name share one key). For questions
-- over a period, such as the most upvoted authors since a date; author_leaderboard is the
-- all-time view.
-- A view over the incremental int_author_papers: a daily run has nothing to copy.

{{ config(materialized='view') }}

with

author_papers as (
    select * from {{ ref('int_author_papers') }}
),

final as (
    select
        name_key,
        paper_id,
        author_name,
        hf_username,
        author_position,
        title,
        upvotes,
        num_comments,
        first_listing_date,
        last_listing_date
    from author_papers
)

select * from final
