{#- Pseudonymous employee key: md5 of the salt (dbt var `pembina_pseudonym_salt`) followed by the NIP.
    Without the salt a key could be recomputed by hashing every plausible NIP (birth date, appointment
    month, gender and a short sequence). -#}
{% macro employee_key(nip_column) -%}
    md5('{{ var("pembina_pseudonym_salt") | replace("'", "''") }}' || {{ nip_column }})
{%- endmacro %}
