with

competency_levels as (

    select * from {{ ref('stg_assessment__kompetensi') }}

),

assessments as (

    select * from {{ ref('int_assessment_jpm') }}

),

-- Per employee and competency, the latest assessment event that covers the competency (the same order
-- as int_assessment_jpm's is_latest_assessment: date, then assessment id). Sorted on the narrow columns
-- only, the event's own attributes joined after: the sort of every competency row then fits in memory.
latest_per_competency as (

    select distinct on (assessments.employee_nip, competency_levels.competency_group, competency_levels.competency_name)
        competency_levels.assessment_id,
        competency_levels.competency_group,
        competency_levels.competency_name,
        competency_levels.standard_level,
        competency_levels.assessed_level

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
        assessments.employee_key,
        latest_per_competency.competency_group,
        latest_per_competency.competency_name,
        assessments.assessment_key,
        assessments.assessment_date,
        latest_per_competency.standard_level,
        latest_per_competency.assessed_level,
        -- negative is a gap (domain.md section 6)
        latest_per_competency.assessed_level - latest_per_competency.standard_level as gap,
        latest_per_competency.assessed_level < latest_per_competency.standard_level as has_gap,
        assessments.jpm_pct,
        assessments.jpm_category,
        assessments.jpm_scale_code,
        assessments.opd_code,
        assessments.is_latest_assessment

    from latest_per_competency

    inner join assessments
        on latest_per_competency.assessment_id = assessments.assessment_id

)

select * from final
