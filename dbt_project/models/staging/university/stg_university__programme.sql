with

source as (

    {{ new_rows_of(source('university', 'programme')) }}

),

ingested_files as (

    select * from {{ source('audit', 'ingested_files') }}

),

renamed as (

    select
        -- identifiers
        source._university as university_code,
        source.nip as employee_nip,
        source.participant_name,
        source.program_name,
        source.program_type,
        source.degree_level,

        -- when
        to_date(source.start_date, 'YYYY-MM-DD') as start_date,
        to_date(source.end_date, 'YYYY-MM-DD') as end_date,

        -- status on 31 December of the report year, and results so far
        source.status,
        source.credits::integer as credits,
        source.gpa::numeric as gpa,
        source.grade_letter,
        source.final_score::numeric as final_score,

        -- The report year is only in the file name (`peserta_program_asn_2024.csv`): the first 19xx/20xx
        -- of the name. A file named without a year falls back to the latest start year among its rows,
        -- which cannot exceed the report year since a report lists programmes running in that year.
        coalesce(
            substring(regexp_replace(ingested_files.path, '^.*/', '') from '(?:19|20)[0-9]{2}')::integer,
            max(date_part('year', to_date(source.start_date, 'YYYY-MM-DD'))::integer)
                over (partition by source._file_id)
        ) as report_year,

        -- load metadata
        source._batch_id as batch_id,
        source._file_id as source_file_id,
        source._row_number as source_row_number,
        source._loaded_at as loaded_at

    from source

    left join ingested_files
        on source._file_id = ingested_files.file_id

),

-- One row per programme participation and report year; when the same report year arrives in more than one
-- file (a corrected report), the row of the most recently loaded file wins.
latest as (

    {{ latest_delivery(
        'renamed', ['university_code', 'employee_nip', 'program_name', 'start_date', 'report_year']
    ) }}

),

final as (

    select
        university_code,
        employee_nip,
        participant_name,
        program_name,
        program_type,
        degree_level,
        start_date,
        end_date,
        report_year,
        status,
        credits,
        gpa,
        grade_letter,
        final_score,
        batch_id,
        source_file_id,
        source_row_number,
        loaded_at

    from latest

)

select * from final
