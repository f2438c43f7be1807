{#-
    Fails for every group (rows sharing the partition_by columns; the whole model without them)
    whose values in the tested column are not exactly 1..N for its N rows.
-#}
{% test ranks_have_no_gaps(model, column_name, partition_by=[]) %}

    {%- set quoted_columns = [] %}
    {%- for column in partition_by %}
        {%- do quoted_columns.append(adapter.quote(column)) %}
    {%- endfor %}

    select
        {% for column in quoted_columns %}{{ column }}, {% endfor %}
        count(*) as n_rows,
        count(distinct {{ column_name }}) as n_ranks,
        min({{ column_name }}) as min_rank,
        max({{ column_name }}) as max_rank
    from {{ model }}
    {% if quoted_columns %}group by {{ quoted_columns | join(', ') }}{% endif %}
    having
        min({{ column_name }}) != 1
        or max({{ column_name }}) != count(*)
        or count(distinct {{ column_name }}) != count(*)

{% endtest %}
