"""e-Kinerja ingest: quarantine equals the injected defects, predikat mismatches are loaded, files that
cannot be read are rejected with a reason."""

import json

import pytest
from ingest_helpers import check_source, load, rule_coverage

from pembina import db
from pembina.ingest import formats

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def url(make_database):
    return make_database("pembina_t_ekinerja")


@pytest.fixture(scope="module")
def loaded(url, synthetic_sources, defect_rich_sources):
    check_source(url, "ekinerja", [synthetic_sources, defect_rich_sources])
    check_source(url, "ekinerja_organisation", [synthetic_sources, defect_rich_sources], expect_defects=False)
    return url


def test_quarantine_equals_the_manifest_and_reruns_load_nothing(loaded, defect_rich_sources):
    assert rule_coverage(defect_rich_sources, "ekinerja") == {
        "missing_required", "nip_format", "invalid_date", "unknown_code", "duplicate_key",
    }  # fmt: skip


def test_a_predikat_mismatch_is_loaded_not_quarantined(loaded, defect_rich_sources):
    manifest = json.loads((defect_rich_sources / "synth_manifest.json").read_text())
    mismatch = next(d for d in manifest["defects"] if d["rule"] == "predikat_mismatch")
    with db.connect(loaded) as conn:
        found = conn.execute(
            """select count(*) from raw.ekinerja_skp s join audit.ingested_files f on f.file_id = s._file_id
                where f.path = %s and s._row_number = %s""",
            (str(defect_rich_sources / mismatch["file"]), mismatch["row_number"]),
        ).fetchone()[0]
    assert found == 1


def test_the_organisation_predikat_is_loaded(loaded):
    with db.connect(loaded) as conn:
        rows = conn.execute("select count(*), count(distinct tahun) from raw.ekinerja_organisation_predikat").fetchone()
    assert rows[0] > 0 and rows[1] == 3


def _document(synthetic_sources) -> dict:
    path = sorted((synthetic_sources / "landing" / "ekinerja").glob("*.json"))[0]
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda text, doc: text[: len(text) // 2], "malformed JSON"),
        (lambda text, doc: "", "empty"),
        (lambda text, doc: json.dumps({**doc, "jumlah_penilaian": doc["jumlah_penilaian"] + 1}), "truncated"),
        (lambda text, doc: json.dumps({k: v for k, v in doc.items() if k != "penilaian"}), "no 'penilaian'"),
        (lambda text, doc: json.dumps([doc]), "not an object"),
        (
            lambda text, doc: json.dumps({**doc, "penilaian": [{**r, "nilai_baru": 1} for r in doc["penilaian"]]}),
            "unexpected columns: nilai_baru",
        ),
        (
            lambda text, doc: json.dumps(
                {**doc, "penilaian": [{k: v for k, v in r.items() if k != "periode"} for r in doc["penilaian"]]}
            ),
            "missing columns: periode",
        ),
    ],
)
def test_unreadable_documents_are_rejected_with_a_reason(url, synthetic_sources, tmp_path, change, reason):
    source = sorted((synthetic_sources / "landing" / "ekinerja").glob("*.json"))[0]
    path = tmp_path / "skp_2030.json"
    path.write_text(change(source.read_text(encoding="utf-8"), _document(synthetic_sources)), encoding="utf-8")
    [result] = load(url, "ekinerja", tmp_path, [path])
    assert result.status == "rejected"
    assert reason in result.reason


def test_a_record_that_is_not_an_object_is_quarantined(url, synthetic_sources, tmp_path):
    document = _document(synthetic_sources)
    document["penilaian"] = [document["penilaian"][0], "rusak", document["penilaian"][1]]
    document["jumlah_penilaian"] = 3
    path = tmp_path / "skp_2031.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    [result] = load(url, "ekinerja", tmp_path, [path])
    assert result.status == "loaded"
    assert result.rows_read == 3 and result.quarantined_by_rule["malformed_row"] == 1


def _loaded_rows(url: str) -> tuple[int, int]:
    with db.connect(url) as conn:
        return conn.execute(
            "select (select count(*) from raw.ekinerja_skp), (select count(*) from raw.quarantine)"
        ).fetchone()


def test_a_syntax_error_past_the_first_batch_loads_nothing(url, synthetic_sources, tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "JSON_CHUNK_ROWS", 50)
    text = json.dumps(_document(synthetic_sources))
    path = tmp_path / "skp_2032.json"
    path.write_text(text[: len(text) * 3 // 4] + "}", encoding="utf-8")
    before = _loaded_rows(url)
    [result] = load(url, "ekinerja", tmp_path, [path])
    assert result.status == "rejected" and result.reason.startswith("malformed JSON")
    assert _loaded_rows(url) == before


def test_a_file_that_fails_while_its_batches_are_loaded_loads_nothing(url, synthetic_sources, tmp_path, monkeypatch):
    """The file is checked whole before loading; should it change between that check and the loading, the
    batches already sent are rolled back with the rest."""
    monkeypatch.setattr(formats, "JSON_CHUNK_ROWS", 50)
    text = json.dumps(_document(synthetic_sources))
    path = tmp_path / "skp_2033.json"
    path.write_text(text, encoding="utf-8")
    open_file = formats.open_file
    sent = []

    def open_then_damage(fmt, opened_path):
        opened = open_file(fmt, opened_path)
        opened_path.write_text(text[: len(text) * 3 // 4], encoding="utf-8")

        def batches():
            for batch in opened.batches:
                sent.append(batch.table.num_rows)
                yield batch

        return formats.OpenedFile(opened.encoding, opened.columns, batches())

    monkeypatch.setattr(formats, "open_file", open_then_damage)
    before = _loaded_rows(url)
    [result] = load(url, "ekinerja", tmp_path, [path])
    assert result.status == "rejected" and result.reason.startswith("malformed JSON")
    assert len(sent) > 2 and sum(sent) > 100  # batches were loaded before the damage was met
    assert _loaded_rows(url) == before


def test_a_key_first_seen_in_the_last_record_is_an_unexpected_column(url, synthetic_sources, tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "JSON_CHUNK_ROWS", 50)
    document = _document(synthetic_sources)
    document["penilaian"][-1]["nilai_baru"] = 1
    path = tmp_path / "skp_2034.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    [result] = load(url, "ekinerja", tmp_path, [path])
    assert result.status == "rejected" and "unexpected columns: nilai_baru" in result.reason
