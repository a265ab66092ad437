{#- Natural key of a training report: employee, vendor, the vendor's programme and the session (cohort, start
    date, enrolment time), as text; pass the table alias of the staging columns. -#}
{% macro participation_natural_key(alias) -%}
    concat_ws(
        '|',
        {{ alias }}.employee_nip,
        {{ alias }}.vendor_code,
        {{ alias }}.program_identifier,
        coalesce({{ alias }}.cohort, ''),
        {{ alias }}.start_date::text,
        coalesce(date_part('epoch', {{ alias }}.started_at)::text, '')
    )
{%- endmacro %}

{#- Key of a training report in the marts: md5 of the employee's pseudonymous key and the natural key's session
    part (all but the NIP that leads it; a NIP has no `|`). The NIP enters only through the employee key, an
    HMAC the fact computes once per history version: an HMAC of each report's natural key cost 11 s of CPU per
    7.5 million reports, the md5 a tenth of that. -#}
{% macro participation_key(employee_key, natural_key) -%}
    md5({{ employee_key }} || substr({{ natural_key }}, strpos({{ natural_key }}, '|')))
{%- endmacro %}
