-- The warehouse contract: dashboards, SQL users, checks and dbt sources rely on these names.
-- Keys are kept unique by the loader (delete-and-insert per batch, in one transaction) and are
-- checked by asset checks and dbt tests; they are not declared as constraints because DuckDB's
-- index maintenance slows bulk loads and rejects a delete and re-insert of a key in one
-- transaction.
-- All timestamps are UTC (timestamptz); connections set TimeZone = 'UTC'.
create schema if not exists hf;

-- One row per (listing_date, paper_id): a paper as it stood on one day's Daily Papers list,
-- from the latest fetch of that date.
create table if not exists hf.daily_listings (
    listing_date date not null,          -- the Daily Papers day (the partition)
    paper_id varchar not null,           -- arXiv id, text exactly as sent
    position integer not null,           -- 1-based order in the day's list
    listed_at timestamptz,               -- top-level publishedAt: when it was put on the list
    title varchar not null,              -- title as listed (top-level title), whitespace collapsed
    submitted_by varchar,                -- HF username of the submitter
    upvotes integer not null,
    num_comments integer not null,
    organization varchar,                -- HF organisation name (slug) the listing is under
    thumbnail_url varchar,
    fetched_at timestamptz not null      -- when paperboard fetched this date
);

-- One row per paper_id: attributes from the paper's latest listing date (latest fetch).
create table if not exists hf.papers (
    paper_id varchar not null,
    title varchar not null,              -- paper.title, arXiv line wraps collapsed
    abstract varchar,                    -- paper.summary, whitespace collapsed
    published_at timestamptz,            -- arXiv publication time (paper.publishedAt)
    submitted_at timestamptz,            -- paper.submittedOnDailyAt, null where absent
    arxiv_url varchar not null,
    pdf_url varchar not null,
    hf_url varchar not null,
    github_repo varchar,                 -- canonical https://github.com/{owner}/{repo}
    github_repo_raw varchar,             -- githubRepo exactly as sent
    github_stars integer,
    project_page varchar,                -- trimmed, http(s) only
    project_page_raw varchar,            -- projectPage exactly as sent
    ai_summary varchar,
    ai_keywords varchar[],
    organization varchar,                -- HF organisation name (slug)
    organization_name varchar,           -- HF organisation display name
    upvotes integer not null,            -- latest count
    num_comments integer not null,       -- latest count
    first_listing_date date not null,
    last_listing_date date not null,
    source_listing_date date not null,   -- the listing these attributes come from
    fetched_at timestamptz not null      -- the fetch these attributes come from
);

-- One row per (paper_id, position): the authors of the paper's current version, in order.
create table if not exists hf.paper_authors (
    paper_id varchar not null,
    position integer not null,           -- 1-based author order
    name varchar not null,               -- NFC, whitespace collapsed
    name_key varchar not null,           -- matching key: case-folded, accents removed
    hf_username varchar,                 -- linked Hugging Face account, if any
    is_hidden boolean not null,
    status varchar                       -- HF claim status (claimed_verified, admin_assigned, ...)
);

-- One row per (paper_id, fetched_at): every fetch of every date records the counts it saw.
create table if not exists hf.upvote_snapshots (
    paper_id varchar not null,
    fetched_at timestamptz not null,
    listing_date date not null,
    upvotes integer not null,
    num_comments integer not null
);

-- The change ledger: what every load changed, written in the load's own transaction. The
-- steps after loading (the checks, the dbt models) find their work here, whichever way their
-- run was started: a model rebuilds what loads after its last build changed.

-- One row per load: one transaction that wrote a batch of landed fetches.
create table if not exists hf.loads (
    load_id bigint not null,             -- 1, 2, 3, ... in the order loads committed
    loaded_at timestamptz not null,
    dagster_run_id varchar,              -- the Dagster run that wrote it, if any
    listing_dates integer not null,      -- listing dates whose list it replaced
    papers integer not null              -- papers whose row it inserted, replaced or removed
);

-- One row per landed fetch a load read: a listing date's list comes from the latest fetch
-- of the date; older fetches only add their upvote snapshots.
create table if not exists hf.load_fetches (
    load_id bigint not null,
    listing_date date not null,
    fetched_at timestamptz not null,
    outcome varchar not null             -- listing | snapshots | unreadable (an older fetch)
);

-- One row per (load_id, paper_id): a paper whose hf.papers row (attributes, counts, span,
-- authors) the load may have changed: listed in the batch, or listed on its dates before.
create table if not exists hf.load_papers (
    load_id bigint not null,
    paper_id varchar not null
);

-- One row: the id of the newest load. Every load updates it in its own transaction, so that
-- two loads running at once on a lake conflict and one of them runs again: load ids then
-- follow commit order (pipelines/warehouse/load.py).
create table if not exists hf.load_counter (
    last_load_id bigint not null
);
insert into hf.load_counter
select coalesce(max(load_id), 0) from hf.loads
where not exists (select 1 from hf.load_counter);

-- One row per landed fetch refused by the schema when it was a date's latest: the date kept
-- its rows, and the fetch is not tried again (a later, good fetch of the date loads).
create table if not exists hf.rejected_fetches (
    listing_date date not null,
    fetched_at timestamptz not null,
    rejected_at timestamptz not null,
    error varchar not null
);

-- Digests by email (pipelines/publish/digests.py): who follows which topics, and which daily
-- digests the mail server accepted. No mail server setting is ever stored here.
create schema if not exists digests;

-- One row per (email, topic): an address and a topic of the taxonomy it follows.
create table if not exists digests.subscriptions (
    email varchar not null,              -- validated; the domain in ASCII (IDNA)
    topic varchar not null,              -- a topic of dbt_project/seeds/topic_taxonomy.csv
    subscribed_at timestamptz not null
);

-- One row per (email, listing_date): a digest the mail server accepted, written the moment it
-- accepted it, so no later run sends that listing date to that address again.
create table if not exists digests.sent (
    email varchar not null,
    listing_date date not null,          -- the listing date the digest covered
    sent_at timestamptz not null,        -- when the server accepted it
    message_id varchar not null,         -- the Message-ID header, the same for a resend
    topics varchar[] not null,           -- the topics it covered
    papers integer not null              -- papers it listed
);
