{#-
    Fails for every listed column that holds a null, with how many: the not_null tests of a
    model in one query, so a build runs one test node per model instead of one per column
    (each dbt node costs about 0.1 s of dbt's own work, whatever its query).
-#}
{% test not_null_columns(model, columns) %}

    {% for column in columns %}
        select
            '{{ column }}' as null_column,
            count(*) as null_rows
        from {{ model }}
        where {{ adapter.quote(column) }} is null
        having count(*) > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

{% endtest %}
