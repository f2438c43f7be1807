{#-
    Every rule a model's rows must keep, checked in one query: one dbt node per model instead
    of one per rule (each node costs dbt about 0.1 s of its own work whatever its query, and a
    pipeline run builds every model and runs every test). Fails with one row per broken rule,
    naming it and counting the rows that break it.

    not_null: columns that never hold null.
    unique: column lists whose combination is unique (a list of one column is a key column);
        an entry {columns: [...], newest_load_only: true} checks only the rows of the model's
        newest load_id, for a large model incremental by a key that each build replaces whole
        (delete+insert, see macros/incremental_changes.sql): a build can only repeat a
        combination among the rows it writes, all stamped with the newest load_id.
    accepted_values: {column: [values]}: the column holds only these (or null).
    relationships: [{column, to, field}]: every non-null value of column is a value of field
        in the model `to`.
    expressions: SQL conditions true on every row (null counts as broken).
    ranks_have_no_gaps: [{column, partition_by}]: within each group of the partition_by
        columns, the column's values are exactly 1..N for its N rows.
-#}
{% test model_rules(
    model,
    not_null=[],
    unique=[],
    accepted_values={},
    relationships=[],
    expressions=[],
    ranks_have_no_gaps=[]
) %}

    {%- set checks = [] %}

    {%- for column in not_null %}
        {%- do checks.append((
            "not null: " ~ column,
            "select count(*) from " ~ model ~ " where " ~ adapter.quote(column) ~ " is null"
        )) %}
    {%- endfor %}

    {%- for spec in unique %}
        {%- set columns = spec['columns'] if spec is mapping else spec %}
        {%- set quoted = [] %}
        {%- for column in columns %}{%- do quoted.append(adapter.quote(column)) %}{%- endfor %}
        {%- set newest_only = spec is mapping and spec.get('newest_load_only', false) %}
        {%- set scope = (
            " where load_id = (select max(newest.load_id) from " ~ model ~ " as newest)"
        ) if newest_only else "" %}
        {%- do checks.append((
            "unique: " ~ columns | join(", "),
            "select count(*) from (select " ~ quoted | join(", ") ~ " from " ~ model ~ scope
            ~ " group by all having count(*) > 1)"
        )) %}
    {%- endfor %}

    {%- for column, values in accepted_values.items() %}
        {%- set literals = [] %}
        {%- for value in values %}{%- do literals.append("'" ~ value ~ "'") %}{%- endfor %}
        {%- do checks.append((
            "accepted values: " ~ column,
            "select count(*) from " ~ model ~ " where " ~ adapter.quote(column)
            ~ " not in (" ~ literals | join(", ") ~ ")"
        )) %}
    {%- endfor %}

    {%- for rule in relationships %}
        {%- do checks.append((
            "relationship: " ~ rule['column'] ~ " -> " ~ rule['to'] ~ "." ~ rule['field'],
            "select count(*) from " ~ model ~ " as child where child." ~ adapter.quote(rule['column'])
            ~ " is not null and child." ~ adapter.quote(rule['column']) ~ " not in (select "
            ~ adapter.quote(rule['field']) ~ " from " ~ ref(rule['to']) ~ " where "
            ~ adapter.quote(rule['field']) ~ " is not null)"
        )) %}
    {%- endfor %}

    {%- for expression in expressions %}
        {%- do checks.append((
            "expression: " ~ expression,
            "select count(*) from " ~ model ~ " where not coalesce(" ~ expression ~ ", false)"
        )) %}
    {%- endfor %}

    {%- for rule in ranks_have_no_gaps %}
        {%- set groups = [] %}
        {%- for column in rule.get('partition_by', []) %}
            {%- do groups.append(adapter.quote(column)) %}
        {%- endfor %}
        {%- set rank = adapter.quote(rule['column']) %}
        {%- do checks.append((
            "ranks without gaps: " ~ rule['column'],
            "select count(*) from (select 1 from " ~ model
            ~ ((" group by " ~ groups | join(", ")) if groups else "")
            ~ " having min(" ~ rank ~ ") != 1 or max(" ~ rank ~ ") != count(*) or count(distinct "
            ~ rank ~ ") != count(*))"
        )) %}
    {%- endfor %}

    select rule, failing_rows
    from (
        {%- for rule, query in checks %}
            select '{{ rule | replace("'", "''") }}' as rule, ({{ query }}) as failing_rows
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    ) as rules
    where failing_rows > 0

{% endtest %}
