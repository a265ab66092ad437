{#- Regulation rules as SQL expressions whose thresholds come from the seeds (domain.md; issue 4).
    Each expression is a scalar subquery on a seed, so a data steward changes a rule by editing the seed.
    Pass column references qualified with their table alias: an unqualified name that the seed also has
    would resolve to the seed's column inside the subquery.
    Proven at their edges by the unit tests of models/intermediate/rules. -#}

{#- Predikat kinerja of an SKP from its two ratings (ref_skp_predikat_matrix, PermenPAN-RB 6/2022);
    empty when either rating is not one of the three of the matrix. -#}
{% macro skp_predikat(hasil_kerja, perilaku_kerja) -%}
    (
        select matrix.predikat
        from {{ ref('ref_skp_predikat_matrix') }} as matrix
        where
            matrix.hasil_kerja = {{ hasil_kerja }}
            and matrix.perilaku_kerja = {{ perilaku_kerja }}
    )
{%- endmacro %}

{#- JP of a training activity: a duration in the unit its vendor's mapping declares (duration_unit 'jp',
    'minutes', 'clock_hours' of 60 minutes, 'days') converted with the training type's row of
    ref_jp_conversion; empty for an unknown type or unit. -#}
{% macro training_jp(training_type, duration, duration_unit) -%}
    (
        select {{ converted_jp('conversion', duration, duration_unit) }}
        from {{ ref('ref_jp_conversion') }} as conversion
        where conversion.training_type = {{ training_type }}
    )
{%- endmacro %}

{#- The same conversion by a row of ref_jp_conversion the query joins itself (alias `conversion`): a model of
    millions of trainings joins the seed once rather than running training_jp's subquery for every row. -#}
{% macro converted_jp(conversion, duration, duration_unit) -%}
    case {{ duration_unit }}
        when 'jp' then {{ duration }} * {{ conversion }}.jp_factor
        when 'minutes' then {{ duration }} / {{ conversion }}.minutes_per_jp * {{ conversion }}.jp_factor
        when 'clock_hours' then {{ duration }} * 60 / {{ conversion }}.minutes_per_jp * {{ conversion }}.jp_factor
        when 'days' then {{ duration }} * {{ conversion }}.jp_per_day * {{ conversion }}.jp_factor
    end
{%- endmacro %}

{#- The JP minimum of the time in service in a year (issue 9): the setting jp_yearly_minimum (PP 17/2020
    art. 203(4)) x days in service / days of the year, two decimals, when the setting jp_part_year_minimum is
    `prorate`; the whole minimum otherwise. -#}
{% macro jp_minimum_in_service(days_in_service, year_days) -%}
    (
        case
            when {{ pembina_setting('jp_part_year_minimum') }} = 'prorate'
                then round(
                    {{ pembina_setting('jp_yearly_minimum', 'numeric') }} * {{ days_in_service }} / {{ year_days }}, 2
                )
            else {{ pembina_setting('jp_yearly_minimum', 'numeric') }}
        end
    )
{%- endmacro %}

{#- True when a year's total JP reaches the minimum of the time in service (macro jp_minimum_in_service);
    no training at all (empty total) counts as 0 JP. -#}
{% macro meets_jp_yearly_minimum(total_jp, days_in_service, year_days) -%}
    (coalesce({{ total_jp }}, 0) >= {{ jp_minimum_in_service(days_in_service, year_days) }})
{%- endmacro %}

{#- Level credited to one competency in the JPM: capped at the standard when the setting
    jpm_cap_per_item is true (the default), so a competency above its standard cannot offset another's gap. -#}
{% macro jpm_credited_level(assessed_level, standard_level) -%}
    case
        when {{ pembina_setting('jpm_cap_per_item', 'boolean') }}
            then least({{ assessed_level }}, {{ standard_level }})
        else {{ assessed_level }}
    end
{%- endmacro %}

{#- JPM category of a percentage (ref_jpm_category), on the given scale or, by default, on the active
    scale (setting jpm_active_scale): the category with the highest lower bound at or below the percentage
    (lower bounds inclusive, the next category's lower bound exclusive). -#}
{% macro jpm_category(jpm_pct, scale_code=none) -%}
    (
        select category.category_name
        from {{ ref('ref_jpm_category') }} as category
        where
            category.scale_code = {{ scale_code if scale_code else pembina_setting('jpm_active_scale') }}
            and category.lower_bound_pct <= {{ jpm_pct }}
        order by category.lower_bound_pct desc
        limit 1
    )
{%- endmacro %}

{#- IP ASN category of a score (ref_ip_asn_category): the category with the lowest upper bound at or above
    the score, so each category holds the scores above the next lower category's upper bound; empty above the
    top bound or for an empty score. -#}
{% macro ip_asn_category(score) -%}
    (
        select category.category_name
        from {{ ref('ref_ip_asn_category') }} as category
        where category.upper_bound_inclusive >= {{ score }}
        order by category.upper_bound_inclusive asc
        limit 1
    )
{%- endmacro %}
