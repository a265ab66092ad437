{#- The NIP leads the sort that ranks the loads of a participation and the key's index (which also serves the
    lookups by employee): sorting first on a column of many values compares fewer columns per row than on the
    few vendor codes (at 600,000 ASN the ranking took 30 s instead of 40), and the table, written in that
    order, gives the index its rows presorted. The index is unique on the whole session, empty cohort and
    enrolment time included (macros/create_index.sql): the database refuses a participation twice. -#}
{{
    config(
        unique_key=['vendor_code', 'employee_nip', 'program_identifier', 'start_date'],
        indexes=[
            {
                'columns': ['employee_nip', 'vendor_code', 'program_identifier', 'start_date', 'cohort', 'started_at'],
                'unique': true,
            },
            {'columns': ['batch_id']},
        ],
    )
}}

with

source as (

    {{ new_rows_of(source('training', 'participation')) }}

),

renamed as (

    select
        -- identifiers
        _vendor as vendor_code,
        nip as employee_nip,
        participant_name,
        -- the vendor's programme: its code when it sends one, else its name (BPSDM sends no code)
        coalesce(program_code, program_name) as program_identifier,
        program_code,
        program_name,
        program_type,
        cohort,
        course_id,

        -- when
        to_date(start_date, 'YYYY-MM-DD') as start_date,
        to_date(end_date, 'YYYY-MM-DD') as end_date,
        started_at::timestamptz as started_at,
        completed_at::timestamptz as completed_at,

        -- how much, as the vendor counts it (the JP conversion is a seed, applied in the marts)
        duration_value::numeric as duration_value,
        duration_unit,

        -- result
        completion_status,
        result_grade,
        score::numeric as score,
        certificate_no as certificate_number,

        -- the OPD as the vendor wrote it (a name, not a code)
        unit_name as unit_name_reported,

        -- load metadata
        _batch_id as batch_id,
        _file_id as source_file_id,
        _row_number as source_row_number,
        _loaded_at as loaded_at

    from source

),

-- A participation is the vendor's programme, taken by one employee in one session: cohort names restart
-- every year (LAN RI), and an e-learning course can be enrolled in twice on one day, so the session is
-- the cohort, the start date and the enrolment time together. When the same participation arrives in more
-- than one file, the row of the most recently loaded file wins.
{% if is_incremental() -%}
    -- The key of the incremental table leaves out the parts of the session a vendor may not send (cohort,
    -- enrolment time): the rows held for the keys of the new rows are ranked again with them.
    touched as (

        select distinct
            vendor_code,
            employee_nip,
            program_identifier,
            start_date

        from renamed

    ),

    delivered as (

        select * from renamed

        union all

        select held.*
        from {{ this }} as held
        inner join touched
            on
                held.vendor_code = touched.vendor_code
                and held.employee_nip = touched.employee_nip
                and held.program_identifier = touched.program_identifier
                and held.start_date = touched.start_date

    ),

{% endif -%}

-- The first row of each participation in the delivery order: `distinct on` keeps it as the sorted rows stream
-- by, where a window's rank held each participation's rows (at 600,000 ASN the query took 30-32 s instead of
-- 36-37 s, `explain analyze`).
deduplicated as (

    select distinct on (employee_nip, vendor_code, program_identifier, start_date, cohort, started_at) *

    from {{ 'delivered' if is_incremental() else 'renamed' }}

    order by
        employee_nip asc,
        vendor_code asc,
        program_identifier asc,
        start_date asc,
        cohort asc,
        started_at asc,
        {{ latest_first() }}

),

final as (

    select
        vendor_code,
        employee_nip,
        participant_name,
        program_identifier,
        program_code,
        program_name,
        program_type,
        cohort,
        course_id,
        start_date,
        end_date,
        started_at,
        completed_at,
        duration_value,
        duration_unit,
        completion_status,
        result_grade,
        score,
        certificate_number,
        unit_name_reported,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from deduplicated

)

select * from final
