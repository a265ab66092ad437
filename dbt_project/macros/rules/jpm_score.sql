{#- JPM (job-person match) of the competency rows of one group (an assessment event), as an aggregate
    expression: 100 x sum of credited levels (macro jpm_credited_level, per-item capping by setting) / sum of
    standard levels in numeric arithmetic (integer levels do not truncate), two decimals; empty when the standard levels add up to 0 (domain.md section 6).
    Use it in a query grouped by the assessment. Proven by the unit tests of int_rule__jpm_score. -#}
{% macro jpm_score_pct(assessed_level, standard_level) -%}
    round(
        100 * sum({{ jpm_credited_level(assessed_level, standard_level) }})::numeric
        / nullif(sum({{ standard_level }}), 0),
        2
    )
{%- endmacro %}
