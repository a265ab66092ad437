-- Every complaint's steps are in order: received, disposed, answered, closed (a step not yet taken is no
-- breach). The loader quarantines complaints whose dates are not; one here got past the contract.
with

complaints as (

    select * from {{ ref('stg_lapor__complaints') }}

)

select
    complaint_key,
    received_date,
    disposed_date,
    answered_date,
    closed_date

from complaints

where
    disposed_date < received_date
    or answered_date < received_date
    or answered_date < disposed_date
    or closed_date < received_date
    or closed_date < disposed_date
    or closed_date < answered_date
