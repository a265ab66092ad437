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
