"""SKM and SP4N-LAPOR! ingest: the quarantine equals the injected defects row for row, every rule is injected
and caught, files reconcile, reruns load nothing; the phone and e-mail of the forms stay in raw."""

import pytest
from ingest_helpers import check_source, load, rule_coverage

from pembina import db
from pembina.sources import get_entity

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_citizen")


@pytest.mark.parametrize("source", ["skm", "lapor_api", "lapor_csv"])
def test_quarantine_equals_the_manifest_reconciles_and_reruns_load_nothing(
    url, synthetic_sources, defect_rich_sources, source
):
    check_source(url, source, [synthetic_sources, defect_rich_sources])
    rules = set(get_entity(source).contract.rule_ids())
    assert rule_coverage(defect_rich_sources, source) == rules


def test_answers_in_words_load_as_1_to_4_and_contacts_stay_in_raw(url, synthetic_sources):
    load(url, "skm", synthetic_sources / "landing")
    with db.connect(url) as conn:
        answers = {row[0] for row in conn.execute("select distinct u7 from raw.skm_responden")}
        contacts = conn.execute("select count(no_hp), count(email) from raw.skm_responden").fetchone()
    assert answers == {"1", "2", "3", "4"}
    assert min(contacts) > 0


def test_the_csv_export_and_the_api_fill_one_table_with_iso_dates(url, synthetic_sources):
    for source in ("lapor_api", "lapor_csv"):
        load(url, source, synthetic_sources / "landing")
    with db.connect(url) as conn:
        formats = dict(
            conn.execute(
                "select _format, count(*) from raw.lapor_pengaduan"
                " where tanggal_diterima ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+09:00$' group by 1"
            ).fetchall()
        )
        total = conn.execute("select count(*) from raw.lapor_pengaduan").fetchone()[0]
    assert set(formats) == {"api", "csv"} and sum(formats.values()) == total
