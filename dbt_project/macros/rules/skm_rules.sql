{#- SKM rules (PermenPAN-RB 14/2017) whose numbers come from the seeds ref_skm_rule and
    ref_skm_quality_category. Pass column references qualified with their table alias. -#}

{#- A number of ref_skm_rule as a numeric scalar subquery, e.g. skm_rule('ikm_conversion_factor'). -#}
{% macro skm_rule(rule_name) -%}
    (
        select skm_rules.rule_value::numeric
        from {{ ref('ref_skm_rule') }} as skm_rules
        where skm_rules.rule_name = '{{ rule_name }}'
    )
{%- endmacro %}

{#- IKM from the average of the nine elements' NRR (each weighted 1/9): the average times the conversion
    factor (25), rounded to 2 decimals as the regulation reports it. -#}
{% macro skm_ikm(average_nrr) -%}
    round({{ average_nrr }} * {{ skm_rule('ikm_conversion_factor') }}, 2)
{%- endmacro %}

{#- Quality category (mutu pelayanan A-D) of an IKM: the category with the highest lower bound not above
    the IKM (the regulation's intervals are written to 2 decimals); empty for an empty IKM. -#}
{% macro skm_quality_code(ikm) -%}
    (
        select quality.quality_code
        from {{ ref('ref_skm_quality_category') }} as quality
        where quality.ikm_lower_bound <= {{ ikm }}
        order by quality.ikm_lower_bound desc
        limit 1
    )
{%- endmacro %}

{#- Minimum SKM sample for a population of service users (Krejcie and Morgan, as the regulation's annex
    table): s = X2 N P (1 - P) / (d2 (N - 1) + X2 P (1 - P)), rounded up; empty for an empty population. -#}
{% macro skm_minimum_sample(population) -%}
    ceil(
        {{ skm_rule('sample_chi_square') }} * {{ population }}
        * {{ skm_rule('sample_proportion') }} * (1 - {{ skm_rule('sample_proportion') }})
        / (
            power({{ skm_rule('sample_margin_of_error') }}, 2) * ({{ population }} - 1)
            + {{ skm_rule('sample_chi_square') }}
            * {{ skm_rule('sample_proportion') }} * (1 - {{ skm_rule('sample_proportion') }})
        )
    )::integer
{%- endmacro %}
