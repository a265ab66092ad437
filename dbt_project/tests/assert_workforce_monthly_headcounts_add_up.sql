-- Every breakdown of mart_workforce_monthly adds up: status groups, genders and education levels to the
-- total, golongan groups to PNS plus CPNS at most (a civil servant's golongan may be missing).
select
    month_end_date,
    opd_code,
    headcount_total

from {{ ref('mart_workforce_monthly') }}

where
    headcount_total <> headcount_pns + headcount_cpns + headcount_pppk
    or headcount_total <> headcount_male + headcount_female
    or headcount_total <> headcount_education_sd + headcount_education_sltp + headcount_education_slta
    + headcount_education_d1 + headcount_education_d2 + headcount_education_d3 + headcount_education_d4
    + headcount_education_s1 + headcount_education_s2 + headcount_education_s3 + headcount_education_unknown
    or headcount_golongan_i + headcount_golongan_ii + headcount_golongan_iii + headcount_golongan_iv
    > headcount_pns + headcount_cpns
