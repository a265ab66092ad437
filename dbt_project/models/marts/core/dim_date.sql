with

employees as (

    select * from {{ ref('stg_siasn__pegawai') }}

),

-- From 1 January of the first SIASN snapshot's year to 31 December of the year that lies
-- date_dimension_years_ahead years after the latest snapshot's year.
bounds as (

    select
        date_trunc('year', min(snapshot_date))::date as first_date,
        (
            date_trunc('year', max(snapshot_date))
            + ({{ pembina_setting('date_dimension_years_ahead', 'integer') }} + 1) * interval '1 year'
            - interval '1 day'
        )::date as last_date

    from employees

),

spine as (

    select generate_series(first_date, last_date, interval '1 day')::date as calendar_date

    from bounds

),

final as (

    select
        to_char(calendar_date, 'YYYYMMDD')::integer as date_key,
        calendar_date,
        extract(year from calendar_date)::integer as calendar_year,
        extract(quarter from calendar_date)::integer as calendar_quarter,
        extract(month from calendar_date)::integer as calendar_month,
        (array[
            'Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni',
            'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'
        ])[extract(month from calendar_date)::integer] as month_name_id,
        extract(day from calendar_date)::integer as day_of_month,
        extract(isodow from calendar_date)::integer as iso_day_of_week,
        (array['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'])[
            extract(isodow from calendar_date)::integer
        ] as day_name_id,
        extract(isodow from calendar_date) in (6, 7) as is_weekend,
        date_trunc('month', calendar_date)::date as month_start_date,
        (date_trunc('month', calendar_date) + interval '1 month' - interval '1 day')::date as month_end_date,
        calendar_date = (date_trunc('month', calendar_date) + interval '1 month' - interval '1 day')::date
            as is_month_end,
        -- The Indonesian state fiscal year is the calendar year (UU 17/2003 art. 4).
        extract(year from calendar_date)::integer as fiscal_year

    from spine

)

select * from final
