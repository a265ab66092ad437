-- Every synonym of ref_code_synonym stands for a code of its own code list (the code lists the SIASN
-- ingest reads: ref_jenis_pegawai, ref_kedudukan_hukum, and M/F for jenis_kelamin), and no two synonyms
-- of a list are the same value once case and spacing are ignored, as the ingest compares them.
with

synonyms as (

    select * from {{ ref('ref_code_synonym') }}

),

code_lists as (

    select
        'jenis_pegawai' as code_list,
        employee_type as code
    from {{ ref('ref_jenis_pegawai') }}

    union all

    select
        'kedudukan_hukum' as code_list,
        legal_status_code as code
    from {{ ref('ref_kedudukan_hukum') }}

    union all

    select
        'kedudukan_hukum_nama' as code_list,
        legal_status_name as code
    from {{ ref('ref_kedudukan_hukum') }}

    union all

    select
        'jenis_kelamin' as code_list,
        gender.code
    from (values ('M'), ('F')) as gender (code)

),

findings as (

    select 'unknown_code_' || synonyms.code_list || '_' || synonyms.synonym as finding
    from synonyms
    left join code_lists
        on
            synonyms.code_list = code_lists.code_list
            and synonyms.canonical_code = code_lists.code
    where code_lists.code is null

    union all

    select 'repeated_synonym_' || code_list || '_' || min(synonym) as finding
    from synonyms
    group by code_list, lower(regexp_replace(btrim(synonym), '\s+', ' ', 'g'))
    having count(*) > 1

)

select * from findings
