"""A small serving copy for the dashboard and feed tests, built in well under a second.

The `hf.*` tables come from the real DDL (pipelines/warehouse/ddl.sql) with a few literal
papers; the marts the dashboard reads are computed from them by short SQL with the real
marts' column names (tests compare them with dbt_project/models/marts/_marts__models.yml), so
the tests need no dbt run. The paper rows hold known answers:

| paper      | listed                 | upvotes | topics                       | code       |
| ---------- | ---------------------- | ------- | ---------------------------- | ---------- |
| 2511.00001 | 2025-11-24, 2025-11-25 | 120     | video generation, image gen. | github     |
| 2511.00002 | 2025-11-26             | 40      | agents                       | javascript |
| 2512.00003 | 2025-12-01             | 75      | llm reasoning, agents        | github     |
| 2512.00004 | 2025-12-02             | 5       | speech and audio             | none       |

Paper 2511.00001's title holds `&`, `<` and `>`; its upvotes were fetched twice (100, 120).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.settings import REPO_ROOT

DDL = REPO_ROOT / "pipelines" / "warehouse" / "ddl.sql"

TITLES = {
    "2511.00001": "Diffusion & <Video> Generation at Scale",
    "2511.00002": "Agents That Browse the Web",
    "2512.00003": "Reasoning With Long Chains of Thought",
    "2512.00004": "Speech Tokenizers Revisited",
}

SEED_SQL = """
create schema if not exists seeds;
create table seeds.topic_taxonomy as
select * from (values
    ('agents', 'agent', 'Agents.'),
    ('image generation', 'diffusion', 'Images.'),
    ('llm reasoning', 'reasoning', 'Reasoning.'),
    ('speech and audio', 'speech', 'Speech.'),
    ('video generation', 'video', 'Video.'),
    ('other', null, 'Papers that match no other topic.')
) as t (topic, pattern, description);

insert into hf.papers
select
    paper_id, title, abstract,
    published_at::timestamptz, submitted_at::timestamptz,
    'https://arxiv.org/abs/' || paper_id, 'https://arxiv.org/pdf/' || paper_id,
    'https://huggingface.co/papers/' || paper_id,
    github_repo, github_repo, null, project_page, project_page, ai_summary, ai_keywords,
    organization, organization_name, upvotes, num_comments,
    first_listing_date::date, last_listing_date::date, last_listing_date::date,
    timestamptz '2025-12-03 06:00:00+00'
from (values
    ('2511.00001', 'Diffusion & <Video> Generation at Scale',
     'We scale diffusion models to long videos. Results: 3 < 4 & 5 > 2.',
     '2025-11-20 10:00:00+00', '2025-11-24 08:00:00+00',
     'https://github.com/acme/video-diffusion', 'https://acme.example/video',
     'Scaling video diffusion.', ['video diffusion', 'text-to-video'],
     'acme', 'ACME Research', 120, 7, '2025-11-24', '2025-11-25'),
    ('2511.00002', 'Agents That Browse the Web',
     'A web agent benchmark where agents plan tool calls.',
     '2025-11-21 10:00:00+00', '2025-11-26 08:00:00+00',
     'javascript:alert(1)', 'javascript:alert(2)',
     null, ['web agents', 'tool use'],
     null, null, 40, 2, '2025-11-26', '2025-11-26'),
    ('2512.00003', 'Reasoning With Long Chains of Thought',
     'Test-time scaling of reasoning models, with an agent baseline.',
     '2025-11-28 10:00:00+00', '2025-12-01 08:00:00+00',
     'https://github.com/acme/long-cot', null,
     'Long chains of thought help.', ['chain of thought', 'reasoning'],
     'acme', 'ACME Research', 75, 4, '2025-12-01', '2025-12-01'),
    ('2512.00004', 'Speech Tokenizers Revisited',
     'Speech tokenizers for spoken language models.',
     '2025-11-29 10:00:00+00', '2025-12-02 08:00:00+00',
     null, null,
     null, ['speech tokenizer'],
     'voicelab', 'Voice Lab', 5, 0, '2025-12-02', '2025-12-02')
) as t (
    paper_id, title, abstract, published_at, submitted_at, github_repo, project_page,
    ai_summary, ai_keywords, organization, organization_name, upvotes, num_comments,
    first_listing_date, last_listing_date
);

insert into hf.daily_listings
select
    l.listing_date::date, l.paper_id, l.position,
    (l.listing_date || ' 08:00:00+00')::timestamptz, p.title, null, p.upvotes, p.num_comments,
    p.organization, null, timestamptz '2025-12-03 06:00:00+00'
from (values
    ('2025-11-24', '2511.00001', 1),
    ('2025-11-25', '2511.00001', 1),
    ('2025-11-26', '2511.00002', 1),
    ('2025-12-01', '2512.00003', 1),
    ('2025-12-02', '2512.00004', 1)
) as l (listing_date, paper_id, position)
inner join hf.papers as p on l.paper_id = p.paper_id;

insert into hf.paper_authors
select paper_id, position, name, lower(name), hf_username, false, null
from (values
    ('2511.00001', 1, 'Ada Lovelace', 'ada'),
    ('2511.00001', 2, 'Alan Turing', null),
    ('2511.00002', 1, 'Grace Hopper', 'grace'),
    ('2512.00003', 1, 'Ada Lovelace', 'ada'),
    ('2512.00003', 2, 'Grace Hopper', null),
    ('2512.00004', 1, 'Claude Shannon', null)
) as t (paper_id, position, name, hf_username);

insert into hf.upvote_snapshots
select paper_id, fetched_at::timestamptz, listing_date::date, upvotes, num_comments
from (values
    ('2511.00001', '2025-11-25 06:00:00+00', '2025-11-25', 100, 5),
    ('2511.00001', '2025-12-03 06:00:00+00', '2025-11-25', 120, 7),
    ('2511.00002', '2025-12-03 06:00:00+00', '2025-11-26', 40, 2),
    ('2512.00003', '2025-12-03 06:00:00+00', '2025-12-01', 75, 4),
    ('2512.00004', '2025-12-03 06:00:00+00', '2025-12-02', 5, 0)
) as t (paper_id, fetched_at, listing_date, upvotes, num_comments);
"""

MARTS_SQL = """
create schema if not exists marts;

create table marts.paper_topics as
with assigned as (
    select * from (values
        ('2511.00001', ['video generation', 'image generation'], [9, 4]),
        ('2511.00002', ['agents'], [6]),
        ('2512.00003', ['llm reasoning', 'agents'], [8, 3]),
        ('2512.00004', ['speech and audio'], [5])
    ) as t (paper_id, topics, topic_scores)
)
select
    p.paper_id, p.title, a.topics[1] as primary_topic, a.topic_scores[1] as primary_topic_score,
    [a.topics[1]] as primary_topic_terms, a.topics, a.topic_scores,
    a.topics as matched_terms, p.upvotes, p.first_listing_date, p.last_listing_date, p.hf_url,
    len(a.topics) as n_topics
from hf.papers as p
inner join assigned as a on p.paper_id = a.paper_id;

create table marts.trending_papers as
with windowed as (
    select w."window", case w."window"
            when 'day' then l.listing_date
            when 'week' then cast(date_trunc('week', l.listing_date) as date)
            else cast(date_trunc('month', l.listing_date) as date)
        end as window_start,
        l.paper_id, min(l.listing_date) as first_listed_on
    from hf.daily_listings as l
    cross join (values ('day'), ('week'), ('month')) as w ("window")
    group by all
)
select
    w."window", w.window_start,
    row_number() over (
        partition by w."window", w.window_start order by p.upvotes desc, p.paper_id
    ) as rank,
    p.paper_id, p.title, pt.primary_topic, p.upvotes, p.num_comments,
    p.upvotes / sum(p.upvotes) over (partition by w."window", w.window_start)
        as share_of_window_upvotes,
    w.first_listed_on, p.arxiv_url, p.pdf_url, p.hf_url, p.github_repo, p.project_page,
    p.organization, 1::bigint as load_id
from windowed as w
inner join hf.papers as p on w.paper_id = p.paper_id
inner join marts.paper_topics as pt on w.paper_id = pt.paper_id;

create table marts.trending_now as
with scored as (
    select
        p.*,
        timestamptz '2025-12-03 06:00:00+00' as scored_at,
        epoch(timestamptz '2025-12-03 06:00:00+00' - p.submitted_at) / 3600 as age_hours
    from hf.papers as p
)
select
    row_number() over (order by upvotes / pow(age_hours + 2, 1.5) desc, paper_id) as rank,
    paper_id, title, upvotes / pow(age_hours + 2, 1.5) as score, upvotes, age_hours,
    1.5 as gravity, null::double as upvote_velocity, first_listing_date,
    submitted_at as first_listed_at, scored_at, scored_at as latest_snapshot_at,
    null::timestamptz as previous_snapshot_at, null::integer as previous_upvotes,
    num_comments, hf_url, arxiv_url, github_repo, organization
from scored;

create table marts.topic_daily as
with days as (select distinct listing_date from hf.daily_listings),
counted as (
    select l.listing_date, pt.primary_topic as topic, count(*) as papers,
        sum(pt.upvotes) as upvotes
    from hf.daily_listings as l
    inner join marts.paper_topics as pt on l.paper_id = pt.paper_id
    group by all
)
select
    d.listing_date, t.topic, coalesce(c.papers, 0) as papers, coalesce(c.upvotes, 0) as upvotes,
    coalesce(c.papers, 0) / sum(coalesce(c.papers, 0)) over (partition by d.listing_date)
        as share_of_papers,
    coalesce(c.upvotes, 0) / sum(coalesce(c.upvotes, 0)) over (partition by d.listing_date)
        as share_of_upvotes,
    coalesce(c.papers, 0) as papers_tagged,
    sum(coalesce(c.papers, 0)) over (partition by d.listing_date) as day_papers,
    sum(coalesce(c.upvotes, 0)) over (partition by d.listing_date) as day_upvotes,
    1::bigint as load_id
from days as d
cross join seeds.topic_taxonomy as t
left join counted as c on d.listing_date = c.listing_date and t.topic = c.topic;

create table marts.topic_trends as
with weekly as (
    select
        cast(date_trunc('week', listing_date) as date) as week_start, topic,
        sum(papers) as papers, sum(upvotes) as upvotes
    from marts.topic_daily
    group by all
)
select
    week_start, topic, papers, upvotes,
    papers / sum(papers) over (partition by week_start) as share_of_papers,
    upvotes / sum(upvotes) over (partition by week_start) as share_of_upvotes,
    papers as papers_tagged,
    sum(papers) over (partition by week_start) as week_papers,
    papers - lag(papers) over (partition by topic order by week_start) as papers_change,
    null::double as share_change,
    count(*) over (partition by topic order by week_start rows between unbounded preceding
        and 1 preceding) as trailing_weeks_observed,
    null::double as trailing_mean_share,
    null::double as trailing_stddev_share,
    case when week_start = date '2025-12-01' and topic = 'llm reasoning' then 2.5
        when week_start = date '2025-12-01' and topic = 'speech and audio' then 1.5
    end as share_z_score
from weekly;

create table marts.emerging_keywords as
select
    week_start::date as week_start, rank, keyword, papers, upvotes, trailing_weeks_observed,
    trailing_mean_papers, growth, lift, is_new, spellings
from (values
    ('2025-11-24', 1, 'video diffusion', 1, 120, 0, null, null, null, null, ['video diffusion']),
    ('2025-12-01', 1, 'chain of thought', 1, 75, 1, 0.0, 1.0, 2.0, true, ['chain of thought']),
    ('2025-12-01', 2, 'speech tokenizer', 1, 5, 1, 0.0, 1.0, 2.0, true, ['speech tokenizer'])
) as t (
    week_start, rank, keyword, papers, upvotes, trailing_weeks_observed, trailing_mean_papers,
    growth, lift, is_new, spellings
);

create table marts.author_papers as
select
    a.name_key, a.paper_id, a.name as author_name, a.hf_username,
    a.position as author_position, p.title, p.upvotes, p.num_comments,
    p.first_listing_date, p.last_listing_date
from hf.paper_authors as a
inner join hf.papers as p on a.paper_id = p.paper_id;
"""


def build_serving_copy(path: Path, *, with_rows: bool = True, with_marts: bool = True) -> Path:
    """Write a serving copy at `path`: the real `hf.*` DDL, then rows and marts as asked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(DDL.read_text(encoding="utf-8"))
        if with_rows:
            connection.execute(SEED_SQL)
        if with_marts:
            connection.execute(MARTS_SQL)
    return path
