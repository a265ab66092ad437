with

competency_levels as (

    select * from {{ ref('stg_assessment__kompetensi') }}

),

assessments as (

    select * from {{ ref('int_assessment_jpm') }}

),

final as (

    select
        md5(competency_levels.assessment_id || '|' || competency_levels.competency_name)
            as assessment_competency_key,
        assessments.assessment_key,
        assessments.employee_key,
        assessments.assessment_date,
        assessments.assessment_year,
        assessments.method,
        competency_levels.competency_group,
        competency_levels.competency_name,
        competency_levels.standard_level,
        competency_levels.assessed_level,
        -- negative is a gap (domain.md section 6)
        competency_levels.assessed_level - competency_levels.standard_level as gap,
        competency_levels.assessed_level < competency_levels.standard_level as has_gap,
        ({{ jpm_credited_level('competency_levels.assessed_level', 'competency_levels.standard_level') }})::numeric
            as credited_level,
        assessments.opd_code

    from competency_levels

    inner join assessments
        on competency_levels.assessment_id = assessments.assessment_id

)

select * from final
