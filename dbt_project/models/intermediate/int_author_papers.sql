-- One row per (author name_key, paper): each visible author of a paper with the paper's latest
-- upvotes and listing span. Authors Hugging Face hides are left out. An author named twice on
-- one paper counts once, at the first position.

with

authors as (
    select * from {{ ref('stg_hf__paper_authors') }}
    where not is_hidden
),

papers as (
    select * from {{ ref('stg_hf__papers') }}
),

authorships as (
    select
        name_key,
        paper_id,
        min(position) as author_position,
        arg_min(name, position) as author_name,
        arg_min(hf_username, position) filter (where hf_username is not null) as hf_username
    from authors
    group by name_key, paper_id
),

joined as (
    select
        authorships.name_key,
        authorships.paper_id,
        authorships.author_position,
        authorships.author_name,
        authorships.hf_username,
        papers.title,
        papers.upvotes,
        papers.num_comments,
        papers.first_listing_date,
        papers.last_listing_date
    from authorships
    inner join papers
        on authorships.paper_id = papers.paper_id
)

select * from joined
