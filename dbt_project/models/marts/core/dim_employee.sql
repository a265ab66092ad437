with

employees as (

    select * from {{ ref('int_employee_latest') }}

),

described as (

    select
        {{ employee_key('employee_nip') }} as employee_key,
        opd_code,
        gender,
        {{ year_band("date_part('year', age(last_snapshot_date, birth_date))::integer", 10) }} as age_band,
        golongan_group,
        position_type,
        position_level

    from employees

),

-- Quasi-identifiers from the most detailed disclosure level (1) to the OPD alone (6).
{{ local_suppression('described', 'employee_key', 'opd_code', [
    ['gender', 'age_band', 'golongan_group', 'position_type', 'position_level'],
    ['gender', 'age_band', 'golongan_group', 'position_type'],
    ['gender', 'age_band', 'golongan_group'],
    ['gender', 'age_band'],
    ['gender'],
    [],
]) }},

classes as (

    select
        *,
        count(*) over (
            partition by
                disclosure_level, opd_code, gender, age_band, golongan_group, position_type, position_level
        ) as class_size,
        count(*) filter (where disclosure_level = 6) over (partition by opd_code) as opd_remainder

    from shown

),

-- Fewer than k left over in an OPD at the OPD-only level: the OPD's smallest class joins them there, so
-- they are not singled out (only an OPD of fewer than k employees stays below k).
demoted_classes as (

    select distinct on (opd_code)
        opd_code,
        disclosure_level,
        gender,
        age_band,
        golongan_group,
        position_type,
        position_level

    from classes

    where
        opd_remainder between 1 and {{ pembina_setting('k_anonymity_k', 'integer') }} - 1
        and disclosure_level < 6

    order by opd_code asc, class_size asc, disclosure_level desc

),

demoted as (

    select
        classes.employee_key,
        case when demoted_classes.opd_code is null then classes.disclosure_level else 6 end as disclosure_level,
        classes.opd_code,
        case when demoted_classes.opd_code is null then classes.gender end as gender,
        case when demoted_classes.opd_code is null then classes.age_band end as age_band,
        case when demoted_classes.opd_code is null then classes.golongan_group end as golongan_group,
        case when demoted_classes.opd_code is null then classes.position_type end as position_type,
        case when demoted_classes.opd_code is null then classes.position_level end as position_level

    from classes

    left join demoted_classes
        on
            classes.opd_code = demoted_classes.opd_code
            and classes.disclosure_level = demoted_classes.disclosure_level
            and classes.gender is not distinct from demoted_classes.gender
            and classes.age_band is not distinct from demoted_classes.age_band
            and classes.golongan_group is not distinct from demoted_classes.golongan_group
            and classes.position_type is not distinct from demoted_classes.position_type
            and classes.position_level is not distinct from demoted_classes.position_level

),

-- An OPD of fewer than k employees would name them by its code alone: they are shown without it (level 7),
-- pooled with those of the other small OPDs.
sized as (

    select
        *,
        count(*) filter (where disclosure_level = 6) over (partition by opd_code) as opd_only_class_size

    from demoted

),

final as (

    select
        employee_key,
        case
            when
                disclosure_level = 6 and opd_only_class_size < {{ pembina_setting('k_anonymity_k', 'integer') }}
                then 7
            else disclosure_level
        end as disclosure_level,
        case
            when
                disclosure_level = 6 and opd_only_class_size < {{ pembina_setting('k_anonymity_k', 'integer') }}
                then null
            else opd_code
        end as opd_code,
        gender,
        age_band,
        golongan_group,
        position_type,
        position_level

    from sized

)

select * from final
