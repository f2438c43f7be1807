-- What is trending now: papers of the last var('trending_now_days') listing dates ranked by
-- score = upvotes / (age_hours + age_offset_hours) ^ gravity (macros/trending_score.sql),
-- scored as of the newest fetch, with every input of the score and the upvote velocity
-- between the paper's two newest snapshots. The post-hook saves the score's formula as the
-- function marts.trending_score, so the dashboard re-ranks with the same definition.

{{ config(post_hook="{{ create_trending_score_function() }}") }}

with

candidates as (
    select * from {{ ref('int_recent_papers_snapshotted') }}
),

aged as (
    select
        *,
        cast({{ var('trending_gravity') }} as double) as gravity,
        cast({{ var('trending_age_offset_hours') }} as double) as age_offset_hours,
        greatest(epoch(scored_at - first_listed_at) / 3600.0, 0) as age_hours,
        epoch(latest_snapshot_at - previous_snapshot_at) / 86400.0 as snapshot_gap_days
    from candidates
),

scored as (
    select
        *,
        {{ trending_score('upvotes', 'age_hours', 'age_offset_hours', 'gravity') }} as score,
        (upvotes - previous_upvotes) / snapshot_gap_days as upvote_velocity
    from aged
),

ranked as (
    select
        *,
        row_number() over (
            order by
                score desc,
                upvotes desc,
                first_listed_at asc,
                paper_id asc
        ) as rank
    from scored
),

final as (
    select
        rank,
        paper_id,
        title,
        score,
        upvotes,
        age_hours,
        gravity,
        upvote_velocity,
        first_listing_date,
        first_listed_at,
        scored_at,
        latest_snapshot_at,
        previous_snapshot_at,
        previous_upvotes,
        num_comments,
        hf_url,
        arxiv_url,
        github_repo,
        organization,
        age_offset_hours
    from ranked
)

select * from final
