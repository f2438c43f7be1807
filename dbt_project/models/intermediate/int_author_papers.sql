-- One row per (author name_key, paper): each visible author of a paper with the paper's latest
-- upvotes and listing span. Authors Hugging Face hides are left out. An author named twice on
-- one paper counts once, at the first position.
-- Incremental by paper (macros/incremental_changes.sql): a build rebuilds the authorships of
-- the papers the loads since its last build changed; a changed paper left with no visible
-- author loses its rows in a post-hook.

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='paper_id',
        on_schema_change='fail',
        post_hook=[
            "{{ delete_papers_no_longer_listed() }}",
            "{{ delete_papers_rebuilt_without_rows() }}",
        ],
    )
}}

-- depends_on: {{ ref('stg_hf__load_papers') }}

with

authors as (
    select * from {{ ref('stg_hf__paper_authors') }}
    where not is_hidden
    {% if is_incremental() %}
        and paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

papers as (
    select * from {{ ref('stg_hf__papers') }}
    {% if is_incremental() %}
        where paper_id in {{ papers_changed_since_last_build() }}
    {% endif %}
),

authorships as (
    select
        name_key,
        paper_id,
        min(position) as author_position,
        arg_min(name, position) as author_name,
        arg_min(hf_username, position) filter (where hf_username is not null) as hf_username,
        arg_min(status, position) as status
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
        authorships.status,
        papers.title,
        papers.upvotes,
        papers.num_comments,
        papers.first_listing_date,
        papers.last_listing_date,
        {{ newest_load_id() }} as load_id
    from authorships
    inner join papers
        on authorships.paper_id = papers.paper_id
)

select * from joined
