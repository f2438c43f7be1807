{#- Fails for every combination of the given columns that occurs more than once. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    {%- set quoted_columns = [] %}
    {%- for column in combination_of_columns %}
        {%- do quoted_columns.append(adapter.quote(column)) %}
    {%- endfor %}
    {%- set columns_csv = quoted_columns | join(', ') %}

    select
        {{ columns_csv }},
        count(*) as n_rows
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1

{% endtest %}
