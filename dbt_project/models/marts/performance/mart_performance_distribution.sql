{%- set predikat_columns = {
    'Sangat Baik': 'sangat_baik',
    'Baik': 'baik',
    'Butuh Perbaikan': 'butuh_perbaikan',
    'Kurang': 'kurang',
    'Sangat Kurang': 'sangat_kurang',
} -%}
{%- set predikat_cells = [] -%}
{%- for column in predikat_columns.values() -%}
    {%- do predikat_cells.append(column ~ '_count') -%}
{%- endfor -%}
{%- do predikat_cells.append('without_predikat_count') -%}

with

appraisals as (

    select * from {{ ref('fct_performance_appraisal') }}

),

organisation_predikat as (

    select * from {{ ref('stg_ekinerja__organisation_predikat') }}

),

sangat_baik_caps as (

    select * from {{ ref('ref_sangat_baik_cap') }}

),

distribution_pattern as (

    select
        *,
        string_to_array(predikat_set, ',') as predikats

    from {{ ref('ref_predikat_distribution_pattern') }}

),

-- The annual SKP (TAHUNAN) only: quarterly evaluations would count a person up to five times a year.
-- An appraisal with no OPD (neither e-Kinerja nor SIASN gives one) cannot be placed and is left out.
annual_counts as (

    select
        opd_code,
        appraisal_year,
        count(*)::integer as appraised_staff_count,
        {%- for predikat, column in predikat_columns.items() %}
            count(*) filter (where predikat = '{{ predikat }}')::integer as {{ column }}_count,
        {%- endfor %}
        count(*) filter (where predikat is null)::integer as without_predikat_count,
        count(*) filter (where not is_stated_predikat_consistent)::integer as stated_predikat_mismatch_count

    from appraisals

    where is_annual and opd_code is not null

    group by opd_code, appraisal_year

),

-- Each rule of the pattern the organisation's predikat sets, against the full counts: the staff whose annual
-- predikat is in the rule's set, compared unrounded (count x 100 against bound x staff), bounds inclusive.
pattern_checks as (

    select
        annual_counts.opd_code,
        annual_counts.appraisal_year,
        distribution_pattern.rule_code,
        distribution_pattern.is_confirmed,
        (
            distribution_pattern.min_share_pct is null
            or count(appraisals.predikat) * 100
            >= distribution_pattern.min_share_pct * annual_counts.appraised_staff_count
        )
        and (
            distribution_pattern.max_share_pct is null
            or count(appraisals.predikat) * 100
            <= distribution_pattern.max_share_pct * annual_counts.appraised_staff_count
        )
        and (
            distribution_pattern.min_staff_count is null
            or count(appraisals.predikat) >= distribution_pattern.min_staff_count
        ) as is_met

    from annual_counts

    inner join organisation_predikat
        on
            annual_counts.opd_code = organisation_predikat.opd_code
            and annual_counts.appraisal_year = organisation_predikat.appraisal_year

    inner join distribution_pattern
        on organisation_predikat.organisation_predikat = distribution_pattern.organisation_predikat

    left join appraisals
        on
            annual_counts.opd_code = appraisals.opd_code
            and annual_counts.appraisal_year = appraisals.appraisal_year
            and appraisals.is_annual
            and appraisals.predikat = any(distribution_pattern.predikats)

    group by
        annual_counts.opd_code,
        annual_counts.appraisal_year,
        annual_counts.appraised_staff_count,
        distribution_pattern.rule_code,
        distribution_pattern.is_confirmed,
        distribution_pattern.min_share_pct,
        distribution_pattern.max_share_pct,
        distribution_pattern.min_staff_count

),

pattern_results as (

    select
        opd_code,
        appraisal_year,
        string_agg(rule_code, ', ' order by rule_code) filter (where not is_met) as breached_rules,
        bool_and(is_confirmed) as is_confirmed

    from pattern_checks

    group by opd_code, appraisal_year

),

-- A predikat count of 1 to k-1 would tell a colleague's predikat: small cells are suppressed.
suppressed_counts as (

    select
        opd_code,
        appraisal_year,
        {{ suppressed_cells(predikat_cells) }}

    from annual_counts

),

distribution as (

    select
        annual_counts.opd_code,
        annual_counts.appraisal_year,
        annual_counts.appraised_staff_count,
        {%- for column in predikat_columns.values() %}
            suppressed_counts.{{ column }}_count,
            round(100.0 * suppressed_counts.{{ column }}_count / annual_counts.appraised_staff_count, 2)::numeric(5, 2)
                as {{ column }}_share_pct,
        {%- endfor %}
        suppressed_counts.without_predikat_count,
        annual_counts.stated_predikat_mismatch_count,
        organisation_predikat.organisation_predikat,
        sangat_baik_caps.max_sangat_baik_share_pct::numeric(5, 2) as max_sangat_baik_share_pct,
        sangat_baik_caps.is_confirmed as is_cap_confirmed,
        -- compared unrounded (count x 100 against cap x staff): a share exactly at the cap is within it
        case
            when sangat_baik_caps.max_sangat_baik_share_pct is not null
                then
                    annual_counts.sangat_baik_count * 100
                    <= sangat_baik_caps.max_sangat_baik_share_pct * annual_counts.appraised_staff_count
        end as is_sangat_baik_within_cap

    from annual_counts

    inner join suppressed_counts
        on
            annual_counts.opd_code = suppressed_counts.opd_code
            and annual_counts.appraisal_year = suppressed_counts.appraisal_year

    left join organisation_predikat
        on
            annual_counts.opd_code = organisation_predikat.opd_code
            and annual_counts.appraisal_year = organisation_predikat.appraisal_year

    left join sangat_baik_caps
        on organisation_predikat.organisation_predikat = sangat_baik_caps.organisation_predikat

),

final as (

    select
        distribution.*,
        case
            when distribution.organisation_predikat is not null
                then
                    nullif(concat_ws(
                        ', ',
                        case when not distribution.is_sangat_baik_within_cap then 'sangat_baik_at_most_cap' end,
                        pattern_results.breached_rules
                    ), '')
        end as pattern_breaches,
        case
            when distribution.organisation_predikat is not null
                then distribution.is_sangat_baik_within_cap and pattern_results.breached_rules is null
        end as is_distribution_pattern_met,
        case
            when distribution.organisation_predikat is not null
                then distribution.is_cap_confirmed and coalesce(pattern_results.is_confirmed, true)
        end as is_pattern_confirmed

    from distribution

    left join pattern_results
        on
            distribution.opd_code = pattern_results.opd_code
            and distribution.appraisal_year = pattern_results.appraisal_year

)

select * from final
