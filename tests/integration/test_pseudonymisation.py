"""The pseudonymous employee_key cannot be turned back into a NIP without the secret key.

A NIP is guessable: its birth date, TMT CPNS month, gender digit and a sequence that is almost always 001 (domain.md
section 1), so anyone can list the NIPs a population may have. The keys here come from the real dbt macro run in
PostgreSQL with a random secret key; the attacker hashes every plausible NIP of the population's space with each
unkeyed or wrongly keyed scheme and finds none of them, while the holder of the key finds all. The same attack
recovers every NIP from keys made the way they were before (md5 of a salt and the NIP, the salt being public).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from pembina import db
from pembina.runtime import dbt_environment
from pembina.secret_checks import DEV_PSEUDONYM_KEY
from pembina.settings import get_settings

pytestmark = [pytest.mark.integration]

OLD_DEFAULT_SALT = "pembina-dev-salt"  # dbt_project.yml's default before the keyed hash


def _candidates() -> list[str]:
    """Every NIP of someone born in 1985, appointed CPNS in a month of 2010, either gender, sequence 001."""
    first = dt.date(1985, 1, 1)
    births = [(first + dt.timedelta(days=n)).strftime("%Y%m%d") for n in range(365)]
    return [f"{birth}2010{month:02d}{gender}001" for birth in births for month in range(1, 13) for gender in (1, 2)]


CANDIDATES = _candidates()
POPULATION = [CANDIDATES[n] for n in (17, 1_234, 4_321, 6_000, 8_759)]


def _compiled(select: str, key: str, tmp_path: Path) -> subprocess.CompletedProcess:
    settings = get_settings()
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "compile",
            "--quiet",
            "--project-dir",
            str(settings.dbt_project_dir),
            "--inline",
            select,
            "--vars",
            f"{{pembina_pseudonym_key: '{key}'}}",
        ],
        env={
            **os.environ,
            **dbt_environment(settings),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
        },
        capture_output=True,
        text=True,
    )


def _keys_from_the_macro(url: str, key: str, nips: list[str], tmp_path: Path) -> dict[str, str]:
    compiled = _compiled("select nip, {{ employee_key('nip') }} as employee_key from population", key, tmp_path)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    with db.connect(url) as conn:
        conn.execute("create temporary table population (nip text)")
        with conn.cursor() as cur:
            cur.executemany("insert into population values (%s)", [(nip,) for nip in nips])
        return dict(conn.execute(compiled.stdout.strip()).fetchall())


def _hmac(key: str, nip: str) -> str:
    return hmac.new(key.encode(), nip.encode(), hashlib.sha256).hexdigest()


def _recovered(keys: set[str], scheme) -> set[str]:
    return {nip for nip in CANDIDATES if scheme(nip) in keys}


def test_nips_cannot_be_recovered_from_the_keys_without_the_secret(warehouse_url, tmp_path):
    secret = secrets.token_hex(16)  # 32 characters, the shortest key allowed
    by_nip = _keys_from_the_macro(warehouse_url, secret, POPULATION, tmp_path)
    keys = set(by_nip.values())

    # The SQL of the macro is RFC 2104's HMAC-SHA256, as Python computes it.
    assert by_nip == {nip: _hmac(secret, nip) for nip in POPULATION}

    attacks = {
        "md5(nip)": lambda nip: hashlib.md5(nip.encode()).hexdigest(),
        "sha256(nip)": lambda nip: hashlib.sha256(nip.encode()).hexdigest(),
        "md5(old default salt || nip)": lambda nip: hashlib.md5((OLD_DEFAULT_SALT + nip).encode()).hexdigest(),
        "HMAC with the development key": lambda nip: _hmac(DEV_PSEUDONYM_KEY, nip),
        "HMAC with a wrong key": lambda nip: _hmac(secrets.token_hex(16), nip),
        "sha256(key guess || nip)": lambda nip: hashlib.sha256((secret[:-1] + "0" + nip).encode()).hexdigest(),
    }
    for name, scheme in attacks.items():
        assert _recovered(keys, scheme) == set(), name

    # With the key, the same search finds every employee: the space was the right one.
    assert _recovered(keys, lambda nip: _hmac(secret, nip)) == set(POPULATION)


def test_keys_made_as_before_were_reversible_by_the_same_search():
    old_keys = {hashlib.md5((OLD_DEFAULT_SALT + nip).encode()).hexdigest() for nip in POPULATION}
    assert _recovered(old_keys, lambda nip: hashlib.md5((OLD_DEFAULT_SALT + nip).encode()).hexdigest()) == set(
        POPULATION
    )


@pytest.mark.parametrize("key", ["k" * 31, "k" * 65])
def test_dbt_refuses_a_key_shorter_than_32_or_longer_than_64_characters(key, tmp_path):
    compiled = _compiled("select {{ employee_key(\"'x'\") }}", key, tmp_path)
    assert compiled.returncode != 0
    assert "must have 32 to 64 characters" in compiled.stdout + compiled.stderr
    assert key not in compiled.stdout + compiled.stderr
