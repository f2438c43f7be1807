{#-
    Incremental models, driven by the change ledger (hf.loads and what each load changed).

    Each row of an incremental model carries `load_id`: the newest load it reflects. A build
    rebuilds what the loads after the model's newest load_id changed (dbt's own pattern:
    rebuild what changed since the last build), whichever way its run was started and
    whatever else the run selected. A model that reads another incremental model reflects no
    newer load than that model does, so a mart built before the model it reads catches up
    once that model is built.

    Windows are replaced whole (delete+insert on the window's key); a window that lost all
    its listings (a re-fetch came back empty) is deleted by a post-hook, after the build, so
    the deletion never changes the model's newest load_id before it is read.
-#}

{% macro last_built_load_id() -%}
    {#- The newest load the model's rows reflect; 0 when it has none. -#}
    (select coalesce(max(load_id), 0) from {{ this }})
{%- endmacro %}

{% macro newest_load_id(incremental_parents=[]) -%}
    {#-
        The load_id a build stamps on its rows: the newest load, or the newest load an
        incremental parent reflects when that is older. Read in the build's own query, so it
        never names a load the build's snapshot does not hold.
    -#}
    {%- set newest -%}
        (select coalesce(max(load_id), 0) from {{ ref('stg_hf__loads') }})
    {%- endset -%}
    {%- if incremental_parents -%}
        least(
            {{ newest }}
            {%- for parent in incremental_parents %},
            (select coalesce(max(load_id), {{ newest }}) from {{ parent }})
            {%- endfor %}
        )
    {%- else -%}
        {{ newest }}
    {%- endif -%}
{%- endmacro %}

{% macro windows_changed_since_last_build(window_length=none) -%}
    {#-
        A subquery of the (window, window_start) pairs changed by loads after the model's
        last build; with window_length, of that length only, as window_start alone.
    -#}
    (
        select
            {%- if window_length is none %} changed."window",{% endif %}
            changed.window_start
        from {{ ref('int_listing_windows_changed') }} as changed
        where
            changed.load_id > {{ last_built_load_id() }}
            {%- if window_length is not none %}
                and changed."window" = '{{ window_length }}'
            {%- endif %}
    )
{%- endmacro %}

{% macro papers_changed_since_last_build() -%}
    {#-
        A subquery of the paper_ids whose rows the loads after the model's last build may have
        changed (stg_hf__load_papers): what a model incremental by paper rebuilds.
    -#}
    (
        select changed.paper_id
        from {{ ref('stg_hf__load_papers') }} as changed
        where changed.load_id > {{ last_built_load_id() }}
    )
{%- endmacro %}

{% macro delete_windows_without_listings(window_start_column, window_column=none) -%}
    {#-
        Post-hook: delete the windows with no listing left. window_column names the column
        holding each row's window length (day, week or month); without it every row is a day.
    -#}
    {%- set listing_dates -%}
        (select distinct listing_date from {{ ref('stg_hf__daily_listings') }})
    {%- endset -%}
    delete from {{ this }}
    {%- if window_column is none %}
    where {{ window_start_column }} not in {{ listing_dates }}
    {%- else %}
    where ({{ adapter.quote(window_column) }}, {{ window_start_column }}) not in (
        select
            window_lengths.window_length,
            cast(date_trunc(window_lengths.window_length, listed.listing_date) as date)
        from {{ listing_dates }} as listed
        cross join (values ('day'), ('week'), ('month')) as window_lengths (window_length)
    )
    {%- endif %}
{%- endmacro %}

{% macro delete_papers_no_longer_listed() -%}
    {#- Post-hook of a model incremental by paper: drop the papers no longer in stg_hf__papers. -#}
    delete from {{ this }}
    where paper_id not in (select paper_id from {{ ref('stg_hf__papers') }})
{%- endmacro %}

{% macro delete_days_rebuilt_without_rows(day_column) -%}
    {#-
        Post-hook of a model incremental by day whose days may hold no rows at all (a day
        whose papers have no visible author, or no organisation). delete+insert replaces only
        the days the build wrote rows for, so a changed day that now yields none would keep
        its old rows: delete every row that a load newer than the row changed, up to the load
        the model now reflects (the rows this build wrote carry that load_id and stay).
    -#}
    {{- delete_rows_changed_after_them(
        ref('int_listing_windows_changed'),
        'changed."window" = ' ~ "'day'" ~ ' and changed.window_start = built.' ~ day_column,
    ) -}}
{%- endmacro %}

{% macro delete_papers_rebuilt_without_rows() -%}
    {#-
        Post-hook of a model incremental by paper whose papers may hold no rows at all (a paper
        whose every author is hidden): like delete_days_rebuilt_without_rows, by paper.
    -#}
    {{- delete_rows_changed_after_them(
        ref('stg_hf__load_papers'), 'changed.paper_id = built.paper_id'
    ) -}}
{%- endmacro %}

{% macro delete_rows_changed_after_them(changes, same_key) -%}
    {#-
        Delete the rows of {{ this }} whose key (`same_key`, matching a row of `changes` to a
        built row) a load changed after the row was built, up to the load the model now
        reflects. Only the loads after the model's previous newest load are looked at: the
        older ones were handled by the builds before.
    -#}
    {%- set newest_built -%}
        (select max(load_id) from {{ this }})
    {%- endset -%}
    delete from {{ this }} as built
    where
        built.load_id < {{ newest_built }}
        and exists (
            select 1
            from {{ changes }} as changed
            where
                {{ same_key }}
                and changed.load_id > built.load_id
                and changed.load_id <= {{ newest_built }}
                and changed.load_id > (
                    select coalesce(max(previous.load_id), 0)
                    from {{ this }} as previous
                    where previous.load_id < {{ newest_built }}
                )
        )
{%- endmacro %}
