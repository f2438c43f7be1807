-- Within every window, ranks are exactly 1..N: returns the windows where they are not.

with

windows as (
    select
        "window",
        window_start,
        count(*) as n_papers,
        count(distinct rank) as n_ranks,
        min(rank) as min_rank,
        max(rank) as max_rank
    from {{ ref('trending_papers') }}
    group by "window", window_start
)

select *
from windows
where
    min_rank != 1
    or max_rank != n_papers
    or n_ranks != n_papers
