{#-
    Fails for every row where the SQL expression is not true (false or null). On a column, the
    expression continues the column: `between 0 and 1` tests `<column> between 0 and 1`.
-#}
{% test expression_is_true(model, expression, column_name=none) %}

    select *
    from {{ model }}
    where not coalesce({{ adapter.quote(column_name) ~ ' ' if column_name else '' }}{{ expression }}, false)

{% endtest %}
