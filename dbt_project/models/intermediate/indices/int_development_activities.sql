with

participations as (

    select * from {{ ref('fct_training_participation') }}

),

programmes as (

    select * from {{ ref('fct_university_programme') }}

),

-- What earns JP: each training once (a duplicate report left out) and the university programmes
-- ref_university_jp_credit credits.
final as (

    select
        'training' as activity_source,
        participation_key as activity_key,
        employee_key,
        program_key,
        training_type,
        training_year,
        null::text as ip_asn_training_item,
        is_completed,
        jp,
        jp_credited

    from participations

    where is_counted

    union all

    select
        'university' as activity_source,
        programme_participation_key as activity_key,
        employee_key,
        null as program_key,
        training_type,
        training_year,
        ip_asn_training_item,
        is_completed,
        jp,
        jp_credited

    from programmes

    where is_credited

)

select * from final
