{#- Free text from residents (survey suggestions, forum inputs, complaints) with personal data masked:
    e-mail addresses -> [email]; runs of 16-18 digits, separators allowed (NIK, NIP, KK numbers)
    -> [nomor identitas]; Indonesian phone numbers (+62 / 62 / 0 then 8) -> [telepon]; any other run of
    8 digits or more (a birth date without separators, an account number) -> [nomor]; a capitalised name
    after a title or "atas nama" -> the title and [nama]. Identity numbers go before phone numbers, so a
    NIK starting with 62 is not read as a phone number. A bare name without a title is not recognised:
    marts carry the text's topic and counts, never the text. -#}
{% macro mask_free_text(text_expression) -%}
    nullif(btrim(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(
                            {{ text_expression }},
                            '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}', '[email]', 'g'
                        ),
                        '\y\d([ .-]?\d){15,17}\y', '[nomor identitas]', 'g'
                    ),
                    '(\+62|\y62|\y0)[ .-]?8\d([ .-]?\d){6,11}\y', '[telepon]', 'g'
                ),
                '\y\d([ ./-]?\d){7,}\y', '[nomor]', 'g'
            ),
            '\y([Bb]apak|[Bb]pk\.?|[Pp]ak|[Ii]bu|[Bb]u|[Ss]dr[i]?\.?|[Ss]audara[i]?|[Kk]ak|[Mm]as|[Mm]bak'
            || '|[Dd]r\.|[Aa]tas nama|[Aa]\.[Nn]\.|[Nn]ama saya|[Pp]etugas bernama)'
            || '\s+[A-Z][A-Za-z''.-]*(\s+[A-Z][A-Za-z''.-]*)*',
            '\1 [nama]', 'g'
        )
    ), '')
{%- endmacro %}


{#- The service topic of a (masked) free text: the topic of the matching keyword of
    ref_service_topic_keyword with the lowest priority (the longer keyword on a tie), `lainnya` when none
    matches. A keyword matches at the start of a word, case-insensitively (`antri` matches "Antrian"): the text
    is folded once (a materialized CTE) to its lower-case words between single spaces, and each keyword looked
    up in it with position(), not with a regular expression per keyword (PostgreSQL caches 32 compiled
    expressions, and the map holds more keywords than that). -#}
{% macro service_topic(text_expression) -%}
    case when {{ text_expression }} is not null then coalesce(
        (
            with folded as materialized (
                select ' ' || lower(regexp_replace({{ text_expression }}, '[^[:alnum:]]+', ' ', 'g')) as words
            )

            select topic_keywords.topic_code
            from folded
            cross join {{ ref('ref_service_topic_keyword') }} as topic_keywords
            where position(' ' || topic_keywords.keyword in folded.words) > 0
            order by topic_keywords.priority, length(topic_keywords.keyword) desc, topic_keywords.keyword
            limit 1
        ),
        'lainnya'
    ) end
{%- endmacro %}
