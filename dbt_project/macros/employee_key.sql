{#- Pseudonymous employee key: the keyed hash of the NIP. Without the key nobody can recompute it, even
    by hashing every plausible NIP (birth date, appointment month, gender and a short sequence). -#}
{% macro employee_key(nip_column) -%}
    {{ keyed_hash(nip_column) }}
{%- endmacro %}

{#- HMAC-SHA256 (RFC 2104) of a text with the key of the dbt var `pembina_pseudonym_key`, as 64 hex
    digits: sha256((K xor opad) || sha256((K xor ipad) || text)), K the key's UTF-8 bytes padded with zeros
    to the 64-byte block. The pads are computed here, so the SQL holds only PostgreSQL's sha256. -#}
{% macro keyed_hash(text_expression) -%}
    {%- set key = var('pembina_pseudonym_key') -%}
    {%- set printable = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' -%}
    {%- if key | length < 32 or key | length > 64 -%}
        {{ exceptions.raise_compiler_error("pembina_pseudonym_key (PEMBINA_PSEUDONYM_KEY) must have 32 to 64 characters") }}
    {%- endif -%}
    {%- set inner = [] -%}
    {%- set outer = [] -%}
    {%- for position in range(64) -%}
        {%- set byte = 32 + printable.find(key[position]) if position < key | length else 0 -%}
        {%- if position < key | length and byte < 32 -%}
            {{ exceptions.raise_compiler_error("pembina_pseudonym_key (PEMBINA_PSEUDONYM_KEY) must be printable ASCII") }}
        {%- endif -%}
        {%- do inner.append('%02x' % pembina_xor(byte, 54)) -%}
        {%- do outer.append('%02x' % pembina_xor(byte, 92)) -%}
    {%- endfor -%}
    encode(sha256('\x{{ outer | join("") }}'::bytea || sha256('\x{{ inner | join("") }}'::bytea || convert_to({{ text_expression }}, 'UTF8'))), 'hex')
{%- endmacro %}

{#- Bitwise exclusive or of two bytes (Jinja has no operator for it). -#}
{% macro pembina_xor(left, right) -%}
    {%- set bits = namespace(value=0) -%}
    {%- for bit in range(8) -%}
        {%- if (left // 2 ** bit) % 2 != (right // 2 ** bit) % 2 -%}
            {%- set bits.value = bits.value + 2 ** bit -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(bits.value) }}
{%- endmacro %}
