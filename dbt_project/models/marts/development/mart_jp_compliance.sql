with

employee_years as (

    select * from {{ ref('int_employee_years') }}

),

participations as (

    select * from {{ ref('int_development_activities') }}

),

-- JP credited per employee and year (the year of the end date); only passed participation is credited, a
-- training reported twice once, and a credited university internship or short course with it.
yearly_training as (

    select
        employee_key,
        training_year as calendar_year,
        sum(jp_credited) as total_jp,
        sum(jp_credited) filter (where training_type = 'klasikal') as jp_klasikal,
        sum(jp_credited) filter (where training_type = 'e_learning') as jp_e_learning,
        sum(jp_credited) filter (where training_type not in ('klasikal', 'e_learning')) as jp_other,
        count(*) filter (where is_completed) as trainings_completed

    from participations

    group by employee_key, training_year

),

-- Every employee in active service at any SIASN snapshot of the year (int_employee_years), trained or not.
measured as (

    select
        employee_years.employee_key,
        employee_years.calendar_year,
        employee_years.opd_code,
        employee_years.status_group,
        employee_years.is_complete_year,
        round(coalesce(yearly_training.total_jp, 0), 2) as total_jp,
        round(coalesce(yearly_training.jp_klasikal, 0), 2) as jp_klasikal,
        round(coalesce(yearly_training.jp_e_learning, 0), 2) as jp_e_learning,
        round(coalesce(yearly_training.jp_other, 0), 2) as jp_other,
        coalesce(yearly_training.trainings_completed, 0)::integer as trainings_completed,
        {{ pembina_setting('jp_yearly_minimum', 'numeric') }} as jp_minimum

    from employee_years

    left join yearly_training
        on
            employee_years.employee_key = yearly_training.employee_key
            and employee_years.calendar_year = yearly_training.calendar_year

),

final as (

    select
        measured.employee_key,
        measured.calendar_year,
        measured.opd_code,
        measured.status_group,
        measured.total_jp,
        measured.jp_klasikal,
        measured.jp_e_learning,
        measured.jp_other,
        measured.trainings_completed,
        {{ meets_jp_yearly_minimum('measured.total_jp') }} as meets_jp_minimum,
        round(greatest(measured.jp_minimum - measured.total_jp, 0), 2) as jp_shortfall,
        measured.jp_minimum,
        measured.is_complete_year

    from measured

)

select * from final
