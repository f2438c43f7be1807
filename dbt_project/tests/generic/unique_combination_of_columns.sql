{#-
    Fails for every combination of the given columns that occurs more than once.

    newest_load_only: check only the rows of the model's newest load_id. For a large model
    incremental by a key that each build replaces whole (delete+insert on that key, see
    macros/incremental_changes.sql), a build can only repeat a combination among the rows it
    writes, which all carry the newest load_id; the older rows were checked when they were
    written. So the test's work follows what the build wrote, not the size of the history.
-#}
{% test unique_combination_of_columns(model, combination_of_columns, newest_load_only=false) %}

    {%- set quoted_columns = [] %}
    {%- for column in combination_of_columns %}
        {%- do quoted_columns.append(adapter.quote(column)) %}
    {%- endfor %}
    {%- set columns_csv = quoted_columns | join(', ') %}

    select
        {{ columns_csv }},
        count(*) as n_rows
    from {{ model }}
    {% if newest_load_only %}
        where load_id = (select max(newest.load_id) from {{ model }} as newest)
    {% endif %}
    group by {{ columns_csv }}
    having count(*) > 1

{% endtest %}
