-- Every breakdown of mart_retirement_forecast adds up to the total: status groups (every employee has
-- one, see int_employee_states) and position types (with the other/empty column).
select
    retirement_year,
    opd_code,
    retirements_total

from {{ ref('mart_retirement_forecast') }}

where
    retirements_total <> retirements_pns + retirements_cpns + retirements_pppk
    or retirements_total <> retirements_struktural + retirements_fungsional + retirements_pelaksana
    + retirements_other_position_type
    or active_without_retirement_age > active_headcount
