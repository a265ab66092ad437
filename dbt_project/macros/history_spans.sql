{#- The SIASN OPD at a date is that of the employee's history version covering the date, else, for a date
    before the first snapshot (or between two), that of the next version: the earliest version not ended by
    the date. Each version (of the relation `history`, int_employee_history) stands for the dates from the
    latest end of the versions before it to its own end, so a date joins exactly one span
    (stands_from <= date < stands_to) and no query sorts every row's candidate versions. -#}
{% macro history_spans(history) -%}
    select
        employee_nip,
        opd_code,
        coalesce(
            max(coalesce(valid_to, 'infinity'::date)) over (
                partition by employee_nip order by valid_from asc
                rows between unbounded preceding and 1 preceding
            ),
            '-infinity'::date
        ) as stands_from,
        coalesce(valid_to, 'infinity'::date) as stands_to

    from {{ history }}
{%- endmacro %}
