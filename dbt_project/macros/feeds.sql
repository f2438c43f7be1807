{#-
    What paperboard's feeds are (marts feeds and feed_items, written out by
    pipelines/publish/feeds.py): `top` and one feed per taxonomy topic, over the var('feed_days')
    listing days up to the newest listing date in the data (not the clock, so a backfill of old
    dates still makes sensible feeds).
-#}

{% macro feeds_published() -%}
    {#- A query of every feed: (feed, topic), topic null for `top`. -#}
    select
        'top' as feed,
        cast(null as varchar) as topic

    union all

    select distinct
        {{ feed_key('topic') }} as feed,
        topic
    from {{ ref('int_topic_terms_normalised') }}
{%- endmacro %}

{% macro feed_key(topic) -%}
    {#-
        A topic feed's key and file name without suffix: `topics/<slug>`, the topic lower-cased
        with every run of characters other than a-z and 0-9 as one hyphen
        (`3d and vision` -> `topics/3d-and-vision`).
    -#}
    'topics/' || coalesce(
        nullif(trim(regexp_replace(lower({{ topic }}), '[^a-z0-9]+', '-', 'g'), '-'), ''),
        'topic'
    )
{%- endmacro %}

{% macro feed_since_listing_date() -%}
    {#- The first listing day feeds cover: the newest listing date - feed_days + 1. -#}
    (
        select max(newest.last_listing_date) - {{ var('feed_days') }} + 1
        from {{ ref('int_papers_classified') }} as newest
    )
{%- endmacro %}
