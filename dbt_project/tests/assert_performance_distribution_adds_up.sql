-- mart_performance_distribution holds together: the five predikat counts and the appraisals without a
-- predikat add up to the appraised staff; the annual appraisals with an OPD of fct_performance_appraisal
-- are all counted; the cap check is empty exactly when there is no organisation predikat.
with

distribution as (

    select * from {{ ref('mart_performance_distribution') }}

),

appraisals as (

    select * from {{ ref('fct_performance_appraisal') }}

),

annual_appraisals as (

    select count(*) as appraisal_count
    from appraisals
    where is_annual and opd_code is not null

),

findings as (

    select 'counts_do_not_add_up_' || opd_code || '_' || appraisal_year as finding
    from distribution
    where
        appraised_staff_count <> sangat_baik_count + baik_count + butuh_perbaikan_count + kurang_count
        + sangat_kurang_count + without_predikat_count

    union all

    select 'cap_check_without_organisation_predikat_' || opd_code || '_' || appraisal_year as finding
    from distribution
    where (is_sangat_baik_within_cap is null) <> (organisation_predikat is null)

    union all

    select 'annual_appraisals_not_all_counted' as finding
    from annual_appraisals
    where appraisal_count <> (select coalesce(sum(distribution.appraised_staff_count), 0) from distribution)

)

select * from findings
