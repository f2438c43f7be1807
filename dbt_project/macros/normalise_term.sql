{#-
    How paperboard compares words: text is lower-cased, split into words at anything that is
    not a letter, a digit, `+` or `#` (hyphens, underscores, slashes, punctuation), and each
    word loses a simple plural (singularise). Used on the AI keywords (emerging_keywords), on
    the taxonomy terms and on titles, abstracts and keywords (topic matching), so all sides
    meet in one form: "Vision-Transformers" -> "vision transformer", "LLMs" -> "llm",
    "memories" -> "memory", "patches" -> "patch", "time_series" -> "time series".
-#}

{% macro singularise(word) -%}
    {#-
        Strip a simple plural from one lower-case word: -ies -> -y, -ches/-shes/-sses/-xes lose
        -es, otherwise a final -s goes. Words of three letters or fewer and endings that are
        not plurals (-ss, -us, -is, -ics, and a few words such as series or bias) are kept.
    -#}
    case
        when
            length({{ word }}) <= 3
            or regexp_matches({{ word }}, '(ss|us|is|ics)$')
            or {{ word }} in ('series', 'species', 'news', 'bias', 'lens', 'canvas', 'atlas')
            then {{ word }}
        when regexp_matches({{ word }}, '..ies$') then left({{ word }}, -3) || 'y'
        when regexp_matches({{ word }}, '.(ch|sh|ss|x)es$') then left({{ word }}, -2)
        when suffix({{ word }}, 's') then left({{ word }}, -1)
        else {{ word }}
    end
{%- endmacro %}

{% macro normalised_words(expression, mark_boundaries=false) -%}
    {#-
        The list of normalised words of a text. With mark_boundaries, sentence and list
        punctuation (. , ; : ! ? brackets, quotes) becomes a `|` word, so that phrases looked
        up in the list never run across a boundary.
    -#}
    {%- set text -%}
        lower({{ expression }})
    {%- endset -%}
    {%- if mark_boundaries -%}
        {%- set text -%}
            regexp_replace({{ text }}, '[.,;:!?()\[\]{}"]+', ' | ', 'g')
        {%- endset -%}
    {%- endif -%}
    list_transform(
        list_filter(
            string_split(trim(regexp_replace({{ text }}, '[^\p{L}\p{N}+#|]+', ' ', 'g')), ' '),
            lambda word: word != ''
        ),
        lambda word: {{ singularise('word') }}
    )
{%- endmacro %}

{% macro normalise_term(expression) -%}
    {#- A text as one normalised string of words: the form keywords and terms are compared in. -#}
    array_to_string({{ normalised_words(expression) }}, ' ')
{%- endmacro %}
