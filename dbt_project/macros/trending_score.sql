{#-
    The trending score, defined once: score = upvotes / (age_hours + age_offset_hours) ^ gravity.

    trending_now renders it into its SQL; its post-hook saves the same expression in the
    warehouse as the DuckDB function marts.trending_score(upvotes, age_hours,
    age_offset_hours, gravity), which the serving copy carries, so the dashboard's Now page
    re-ranks with other inputs through exactly the formula the mart used.
-#}

{% macro trending_score(upvotes, age_hours, age_offset_hours, gravity) -%}
    {{ upvotes }} / pow({{ age_hours }} + {{ age_offset_hours }}, {{ gravity }})
{%- endmacro %}

{% macro create_trending_score_function() -%}
    {#-
        Post-hook of trending_now: the score as a function beside the mart, in its schema,
        named with its catalog too: on a lake, dbt's default catalog is not the warehouse.
    -#}
    create or replace macro {{ this.database }}.{{ this.schema }}.trending_score(
        upvotes, age_hours, age_offset_hours, gravity
    ) as {{ trending_score('upvotes', 'age_hours', 'age_offset_hours', 'gravity') }}
{%- endmacro %}
