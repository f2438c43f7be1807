{#-
    How paperboard folds words, in dbt and in Python alike (pipelines/words.py mirrors these
    macros, reads the same lists from dbt_project.yml's var `word_folding`, and
    tests/test_words.py runs both over the same texts and requires the same words):

    1. lower case, accents removed (`strip_accents`);
    2. split into words at anything that is not a letter, a digit, `+` or `#` (hyphens,
       underscores, slashes, punctuation, spaces);
    3. compounds folded: a word of `joined_prefixes` is written together with the word after
       it when that starts with a letter, so "pre-training", "pre training" and "pretraining"
       are all "pretraining" (and "non-self-supervised" is "nonselfsupervised");
    4. a simple plural stripped from each word (singularise).

    Used on the AI keywords (emerging_keywords), on the taxonomy terms and on titles,
    abstracts and keywords (topic matching), so all sides meet in one form:
    "Vision-Transformers" -> "vision transformer", "LLMs" -> "llm", "memories" -> "memory",
    "patches" -> "patch", "time_series" -> "time series", "Fine-Tuning" -> "finetuning".
    Search (marts.search_index) stems these words further with Snowball; the topics and
    keywords stop at singular forms, because people read them (emerging_keywords shows
    "diffusion model", not Snowball's "diffus model") and because a stem conflates more than a
    taxonomy term should ("computer" and "computation" are both "comput").
-#}

{% macro singularise(word) -%}
    {#-
        Strip a simple plural from one lower-case word: -ies -> -y, -ches/-shes/-sses/-xes lose
        -es, otherwise a final -s goes. Words of three letters or fewer and endings that are
        not plurals (-ss, -us, -is, -ics, and the words of `unchanged_plurals` such as series
        or bias) are kept.
    -#}
    case
        when
            length({{ word }}) <= 3
            or regexp_matches({{ word }}, '(ss|us|is|ics)$')
            or {{ word }} in {{ sql_string_list(var('word_folding')['unchanged_plurals']) }}
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
        up in the list never run across a boundary (and no compound is folded across one).
    -#}
    {%- set text -%}
        strip_accents(lower({{ expression }}))
    {%- endset -%}
    {%- if mark_boundaries -%}
        {%- set text -%}
            regexp_replace({{ text }}, '[.,;:!?()\[\]{}"]+', ' | ', 'g')
        {%- endset -%}
    {%- endif -%}
    {#- Words one space apart, each between two spaces of its own: ` pre  training `. -#}
    {%- set spaced -%}
        ' ' || replace(
            trim(regexp_replace(
                {{ text }}, '[^\p{L}\p{N}+#{{ "|" if mark_boundaries }}]+', ' ', 'g'
            )),
            ' ',
            '  '
        ) || ' '
    {%- endset -%}
    {#- A prefix word gets a `-` (no word holds one now), which then eats the spaces before a
        following word that starts with a letter; a `-` left over (no such word) goes. -#}
    {%- set joined -%}
        replace(
            regexp_replace(
                regexp_replace(
                    {{ spaced }},
                    ' ({{ var('word_folding')['joined_prefixes'] | join('|') }}) ',
                    ' \1- ',
                    'g'
                ),
                '-  (\pL)',
                '\1',
                'g'
            ),
            '-',
            ''
        )
    {%- endset -%}
    list_transform(
        list_filter(string_split({{ joined }}, ' '), lambda word: word != ''),
        lambda word: {{ singularise('word') }}
    )
{%- endmacro %}

{% macro normalise_term(expression) -%}
    {#- A text as one normalised string of words: the form keywords and terms are compared in. -#}
    array_to_string({{ normalised_words(expression) }}, ' ')
{%- endmacro %}

{% macro sql_string_list(values) -%}
    ({%- for value in values -%}'{{ value }}'{{ ", " if not loop.last }}{%- endfor -%})
{%- endmacro %}
