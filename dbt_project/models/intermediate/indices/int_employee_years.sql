with

states as (

    select * from {{ ref('int_employee_states') }}

),

periods as (

    select * from {{ ref('int_employee_service_periods') }}

),

snapshot_bounds as (

    select max(snapshot_date) as latest_snapshot_date from states

),

-- Service starts at the TMT CPNS where the export has it (PPPK exports have none: the year's start). The
-- employee's key is taken here, once per employee rather than once per year (an HMAC each).
service_starts as (

    select
        employee_nip,
        {{ employee_key('employee_nip') }} as employee_key,
        min(tmt_cpns) as service_start_date,
        max(snapshot_date) as last_seen_snapshot_date

    from states

    group by employee_nip

),

-- The first time the service ends for good (retirement, dismissal), and why.
leavings as (

    select distinct on (employee_nip)
        employee_nip,
        period_start as left_service_date,
        event_kind as left_service_reason

    from periods

    where service_effect = 'leaves' and period_end is null

    order by employee_nip asc, period_start asc

),

-- Each snapshot in active service with the date of the employee's next one.
active_states as (

    select
        *,
        lead(snapshot_date) over (partition by employee_nip order by snapshot_date) as next_active_snapshot_date

    from states

    where is_active_service

),

-- The years from the first snapshot in active service to the year the service ends (or, without an end
-- on record, the last snapshot showing the employee), within the snapshots' range.
candidate_years as (

    select
        service_starts.employee_nip,
        min(extract(year from active_states.snapshot_date))::integer as first_year,
        least(
            coalesce(
                extract(year from min(leavings.left_service_date) - 1),
                extract(year from max(service_starts.last_seen_snapshot_date))
            ),
            extract(year from max(snapshot_bounds.latest_snapshot_date))
        )::integer as last_year

    from service_starts

    inner join active_states
        on service_starts.employee_nip = active_states.employee_nip

    left join leavings
        on service_starts.employee_nip = leavings.employee_nip

    cross join snapshot_bounds

    group by service_starts.employee_nip

),

-- The attributes are those of the employee's last snapshot in active service on or before the year's end,
-- so an employee who left during the year keeps the OPD and status they had while in service: each such
-- snapshot stands for the candidate years from its own to the one before its next snapshot's. (Joining each
-- candidate year to every earlier snapshot and keeping the latest made 5.9 million pairs for 2.5 million years
-- at 600,000 ASN: the query took 32.6 s instead of 26.6 s, `benchmarks/explain.py int_employee_years`.)
year_states as (

    select
        covered_years.calendar_year,
        active_states.*

    from active_states

    inner join candidate_years
        on active_states.employee_nip = candidate_years.employee_nip

    cross join lateral generate_series(
        greatest(extract(year from active_states.snapshot_date)::integer, candidate_years.first_year),
        least(
            extract(year from active_states.next_active_snapshot_date)::integer - 1,
            candidate_years.last_year
        )
    ) as covered_years (calendar_year)

),

-- The time in service in the year: from the later of 1 January and the service start to the earlier of
-- the year's end and the leaving date, without the days of the pauses (ref_service_status_rule).
service_windows as (

    select
        year_states.*,
        make_date(year_states.calendar_year + 1, 1, 1) - make_date(year_states.calendar_year, 1, 1) as year_days,
        greatest(
            make_date(year_states.calendar_year, 1, 1),
            coalesce(service_starts.service_start_date, make_date(year_states.calendar_year, 1, 1))
        ) as window_start,
        least(
            make_date(year_states.calendar_year + 1, 1, 1),
            coalesce(leavings.left_service_date, make_date(year_states.calendar_year + 1, 1, 1))
        ) as window_end,
        service_starts.employee_key,
        leavings.left_service_date,
        leavings.left_service_reason

    from year_states

    inner join service_starts
        on year_states.employee_nip = service_starts.employee_nip

    left join leavings
        on year_states.employee_nip = leavings.employee_nip

),

-- The pauses (ref_service_status_rule) overlapping each year's window, as days.
pauses_in_year as (

    select
        service_windows.employee_nip,
        service_windows.calendar_year,
        sum(greatest(
            least(service_windows.window_end, coalesce(pauses.period_end, service_windows.window_end))
            - greatest(service_windows.window_start, pauses.period_start),
            0
        )) as paused_days,
        bool_or(
            pauses.period_start <= make_date(service_windows.calendar_year, 12, 31)
            and (pauses.period_end is null or pauses.period_end > make_date(service_windows.calendar_year, 12, 31))
        ) as is_paused_at_year_end

    from service_windows

    inner join periods as pauses
        on
            service_windows.employee_nip = pauses.employee_nip
            and pauses.service_effect = 'pauses'

    group by service_windows.employee_nip, service_windows.calendar_year

),

service_days as (

    select
        service_windows.*,
        (
            greatest(service_windows.window_end - service_windows.window_start, 0)
            - coalesce(pauses_in_year.paused_days, 0)
        )::integer as days_in_service,
        coalesce(pauses_in_year.is_paused_at_year_end, false) as is_paused_at_year_end

    from service_windows

    left join pauses_in_year
        on
            service_windows.employee_nip = pauses_in_year.employee_nip
            and service_windows.calendar_year = pauses_in_year.calendar_year

),

final as (

    select
        service_days.employee_nip,
        service_days.employee_key,
        service_days.calendar_year,
        service_days.snapshot_date,
        service_days.opd_code,
        service_days.status_group,
        service_days.employee_type,
        service_days.legal_status_code,
        service_days.education_level_code,
        service_days.position_type,
        service_days.position_level,
        service_days.golongan,
        service_days.days_in_service,
        service_days.year_days,
        round(service_days.days_in_service::numeric / service_days.year_days, 4) as service_share,
        service_days.days_in_service = service_days.year_days as is_full_year,
        service_days.window_end = make_date(service_days.calendar_year + 1, 1, 1)
        and not service_days.is_paused_at_year_end as is_in_service_at_year_end,
        case
            when service_days.left_service_date < make_date(service_days.calendar_year + 1, 1, 1)
                then service_days.left_service_date
        end as left_service_date,
        case
            when service_days.left_service_date < make_date(service_days.calendar_year + 1, 1, 1)
                then service_days.left_service_reason
        end as left_service_reason,
        -- A year is complete when the latest snapshot is on or after its 31 December.
        make_date(service_days.calendar_year, 12, 31) <= snapshot_bounds.latest_snapshot_date
            as is_complete_year

    from service_days

    cross join snapshot_bounds

    where service_days.days_in_service > 0

)

select * from final
