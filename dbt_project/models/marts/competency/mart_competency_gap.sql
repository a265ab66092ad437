with

competency_levels as (

    select * from {{ ref('stg_assessment__kompetensi') }}

),

assessments as (

    select * from {{ ref('int_assessment_jpm') }}

),

-- Per employee and competency, the latest assessment event that covers the competency (the same order
-- as int_assessment_jpm's is_latest_assessment: date, then assessment id).
latest_per_competency as (

    select distinct on (assessments.employee_nip, competency_levels.competency_group, competency_levels.competency_name)
        assessments.employee_key,
        competency_levels.competency_group,
        competency_levels.competency_name,
        assessments.assessment_key,
        assessments.assessment_date,
        competency_levels.standard_level,
        competency_levels.assessed_level,
        assessments.jpm_pct,
        assessments.jpm_category,
        assessments.jpm_scale_code,
        assessments.opd_code,
        assessments.is_latest_assessment

    from competency_levels

    inner join assessments
        on competency_levels.assessment_id = assessments.assessment_id

    order by
        assessments.employee_nip asc,
        competency_levels.competency_group asc,
        competency_levels.competency_name asc,
        assessments.assessment_date desc,
        assessments.assessment_id desc

),

final as (

    select
        employee_key,
        competency_group,
        competency_name,
        assessment_key,
        assessment_date,
        standard_level,
        assessed_level,
        -- negative is a gap (domain.md section 6)
        assessed_level - standard_level as gap,
        assessed_level < standard_level as has_gap,
        jpm_pct,
        jpm_category,
        jpm_scale_code,
        opd_code,
        is_latest_assessment

    from latest_per_competency

)

select * from final
