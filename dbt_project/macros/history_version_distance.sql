{#- Days between a date and one version of int_employee_history: 0 when the date falls in the version's
    range [valid_from, valid_to), the days until valid_from when the date is before it, and the days since
    the version was last seen (last_seen_snapshot_date) when the date is at or after valid_to. Ordering an
    employee's versions by it (then valid_from descending) picks the version in effect at the date or,
    before the first SIASN snapshot or after the employee left, the nearest one. -#}
{% macro history_version_distance(date_column, history_alias='history') -%}
    case
        when {{ date_column }} < {{ history_alias }}.valid_from
            then {{ history_alias }}.valid_from - {{ date_column }}
        when {{ date_column }} >= {{ history_alias }}.valid_to
            then {{ date_column }} - {{ history_alias }}.last_seen_snapshot_date
        else 0
    end
{%- endmacro %}
