{#- Whether residents are heard and answered, per OPD and half year: forums held and the inputs raised in
    them (by the forum's date), complaints received (by the date received). "Past the deadline" is judged
    on the day the mart is built (as_of_date). -#}
with

forums as (

    select * from {{ ref('stg_forum__sesi') }}

),

inputs as (

    select * from {{ ref('stg_forum__masukan') }}

),

complaints as (

    select
        *,
        received_date + {{ pembina_setting('complaint_answer_deadline_days', 'integer') }} as answer_deadline

    from {{ ref('stg_lapor__complaints') }}

),

forum_periods as (

    select
        opd_code,
        extract(year from forum_date)::integer as calendar_year,
        case when extract(month from forum_date) <= 6 then 1 else 2 end as semester,
        count(*)::integer as forums_held,
        sum(participants_total)::integer as participants_total,
        sum(participants_public)::integer as participants_public,
        sum(participants_community_leaders)::integer as participants_community_leaders,
        sum(participants_vulnerable_groups)::integer as participants_vulnerable_groups,
        sum(participants_business)::integer as participants_business

    from forums

    group by
        opd_code,
        extract(year from forum_date),
        case when extract(month from forum_date) <= 6 then 1 else 2 end

),

input_periods as (

    select
        forums.opd_code,
        extract(year from forums.forum_date)::integer as calendar_year,
        case when extract(month from forums.forum_date) <= 6 then 1 else 2 end as semester,
        count(*)::integer as inputs_raised,
        count(*) filter (where inputs.is_followed_up)::integer as inputs_followed_up,
        count(*) filter (
            where inputs.is_followed_up and inputs.follow_up_date <= inputs.target_date
        )::integer as inputs_followed_up_by_target,
        count(*) filter (
            where not inputs.is_followed_up and inputs.target_date < current_date
        )::integer as inputs_open_past_target

    from inputs

    inner join forums
        on inputs.forum_code = forums.forum_code

    group by
        forums.opd_code,
        extract(year from forums.forum_date),
        case when extract(month from forums.forum_date) <= 6 then 1 else 2 end

),

complaint_periods as (

    select
        opd_code,
        extract(year from received_date)::integer as calendar_year,
        case when extract(month from received_date) <= 6 then 1 else 2 end as semester,
        count(*)::integer as complaints_received,
        count(answered_date)::integer as complaints_answered,
        count(*) filter (where answered_date <= answer_deadline)::integer as complaints_answered_within_deadline,
        percentile_cont(0.5) within group (order by days_to_answer) as median_days_to_answer,
        count(*) filter (where answered_date is null and answer_deadline < current_date)::integer
            as complaints_open_past_deadline

    from complaints

    group by
        opd_code,
        extract(year from received_date),
        case when extract(month from received_date) <= 6 then 1 else 2 end

),

periods as (

    select
        opd_code,
        calendar_year,
        semester
    from forum_periods

    union

    select
        opd_code,
        calendar_year,
        semester
    from complaint_periods

),

final as (

    select
        periods.opd_code,
        periods.calendar_year,
        periods.semester,
        make_date(periods.calendar_year, 6 * periods.semester - 5, 1) as period_start,
        (make_date(periods.calendar_year, 6 * periods.semester - 5, 1) + interval '6 months' - interval '1 day')::date
            as period_end,
        coalesce(forum_periods.forums_held, 0) as forums_held,
        coalesce(forum_periods.participants_total, 0) as participants_total,
        coalesce(forum_periods.participants_public, 0) as participants_public,
        coalesce(forum_periods.participants_community_leaders, 0) as participants_community_leaders,
        coalesce(forum_periods.participants_vulnerable_groups, 0) as participants_vulnerable_groups,
        coalesce(forum_periods.participants_business, 0) as participants_business,
        coalesce(input_periods.inputs_raised, 0) as inputs_raised,
        coalesce(input_periods.inputs_followed_up, 0) as inputs_followed_up,
        coalesce(input_periods.inputs_followed_up_by_target, 0) as inputs_followed_up_by_target,
        coalesce(input_periods.inputs_open_past_target, 0) as inputs_open_past_target,
        coalesce(complaint_periods.complaints_received, 0) as complaints_received,
        coalesce(complaint_periods.complaints_answered, 0) as complaints_answered,
        coalesce(complaint_periods.complaints_answered_within_deadline, 0) as complaints_answered_within_deadline,
        round(complaint_periods.median_days_to_answer::numeric, 1) as median_days_to_answer,
        coalesce(complaint_periods.complaints_open_past_deadline, 0) as complaints_open_past_deadline,
        {{ pembina_setting('complaint_answer_deadline_days', 'integer') }} as complaint_deadline_days,
        current_date as as_of_date

    from periods

    left join forum_periods
        on
            periods.opd_code = forum_periods.opd_code
            and periods.calendar_year = forum_periods.calendar_year
            and periods.semester = forum_periods.semester

    left join input_periods
        on
            periods.opd_code = input_periods.opd_code
            and periods.calendar_year = input_periods.calendar_year
            and periods.semester = input_periods.semester

    left join complaint_periods
        on
            periods.opd_code = complaint_periods.opd_code
            and periods.calendar_year = complaint_periods.calendar_year
            and periods.semester = complaint_periods.semester

)

select * from final
