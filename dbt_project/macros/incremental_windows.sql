{#-
    Incremental runs over the half-open window [start_date, end_date). Dagster passes it in the
    environment (PAPERBOARD_RUN_START, PAPERBOARD_RUN_END), which, unlike --vars, keeps dbt's
    partial parsing valid from run to run; the vars start_date/end_date, given by hand,
    override it. Without a window a run rebuilds everything.

    The models select the windows listed by int_listing_windows_to_rebuild and are written with
    dbt's delete+insert strategy keyed on their window columns, so those windows are replaced
    whole. A key-based delete cannot remove a window that lost all its rows (a re-fetch that
    came back empty), so a pre-hook first deletes every window that overlaps the run:
    delete_run_windows().
-#}

{% macro run_window() -%}
    {#- The run's [start, end) as a pair of ISO date strings, or none for a full rebuild. -#}
    {%- set start_date = var('start_date', env_var('PAPERBOARD_RUN_START', '')) -%}
    {%- set end_date = var('end_date', env_var('PAPERBOARD_RUN_END', '')) -%}
    {%- if start_date and end_date -%}
        {{- return((start_date | string, end_date | string)) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}

{% macro window_overlaps_run(window_start_column, window_length) -%}
    {#-
        True for a window (day, week from Monday, month) that shares a day with the run.
        window_length is a SQL expression: a quoted 'day', 'week' or 'month', or a column.
    -#}
    {%- set bounds = run_window() -%}
    {{ window_start_column }} >= cast(date_trunc({{ window_length }}, date '{{ bounds[0] }}') as date)
    and {{ window_start_column }} < date '{{ bounds[1] }}'
{%- endmacro %}

{% macro delete_run_windows(window_start_column, window_column=none) -%}
    {#-
        Pre-hook: on an incremental run, delete the windows that overlap the run (every row
        without run vars). window_column names the column holding each row's window length;
        without it every row is a day.
    -#}
    {%- if is_incremental() -%}
        {%- set window_length = adapter.quote(window_column) if window_column else "'day'" -%}
        delete from {{ this }}
        {%- if run_window() is not none %}
        where {{ window_overlaps_run(window_start_column, window_length) }}
        {%- endif %}
    {%- endif -%}
{%- endmacro %}

{% macro delete_papers_no_longer_listed() -%}
    {#- Pre-hook of a model incremental by paper: drop the papers no longer in stg_hf__papers. -#}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where paper_id not in (select paper_id from {{ ref('stg_hf__papers') }})
    {%- endif -%}
{%- endmacro %}
