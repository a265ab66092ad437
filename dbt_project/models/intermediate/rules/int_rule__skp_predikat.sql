with

ratings as (

    select * from {{ ref('int_rule_input__skp_ratings') }}

),

final as (

    select
        hasil_kerja,
        perilaku_kerja,
        stated_predikat,
        {{ skp_predikat('ratings.hasil_kerja', 'ratings.perilaku_kerja') }} as predikat

    from ratings

)

select
    *,
    stated_predikat = predikat as is_stated_predikat_consistent

from final
