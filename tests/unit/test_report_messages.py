"""The report's two languages are complete, and quarantine examples show no personal data."""

import string

import pytest

from pembina.quality.suites import SUITES
from pembina.report.messages import CHECK_DESCRIPTIONS_ID, MESSAGES, Messages, report_language
from pembina.report.render import mask_message, mask_record


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    assert set(MESSAGES) == {"id", "en"}
    assert MESSAGES["id"].keys() == MESSAGES["en"].keys()
    for key, english in MESSAGES["en"].items():
        assert _fields(MESSAGES["id"][key]) == _fields(english), key
        assert MESSAGES["id"][key], key


def test_every_check_description_of_every_suite_has_its_indonesian_text() -> None:
    described = {c.description for s in SUITES for c in s.checks if c.description}
    assert described == set(CHECK_DESCRIPTIONS_ID), "add or remove translations in pembina.report.messages"


def test_indonesian_is_the_default_and_the_setting_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PEMBINA_REPORT_LANGUAGE", raising=False)
    assert report_language() == "id" and Messages().number(1234.5, 1) == "1.234,5"
    monkeypatch.setenv("PEMBINA_REPORT_LANGUAGE", "EN")
    assert report_language() == "en" and Messages().number(1234.5, 1) == "1,234.5"
    monkeypatch.setenv("PEMBINA_REPORT_LANGUAGE", "fr")
    with pytest.raises(ValueError, match="PEMBINA_REPORT_LANGUAGE must be one of id, en"):
        report_language()


def test_quarantine_examples_mask_nip_nik_and_names() -> None:
    record = {
        "nip": "198503122010011003",
        "nama": "Agustinus Mandowen",
        "asesor": "Maria Rumbiak, M.Psi.",
        "nik": "9202011203850001",
        "catatan": "lihat NIP 198503122010011003",
        "unor_nama": "Dinas Kesehatan",
        "level_hasil": "3",
    }
    masked = mask_record(record)
    assert masked["nip"] == "9" * 18 and masked["nik"] == "9" * 16
    assert masked["nama"] == "AAAAAAAAA AAAAAAAA" and masked["asesor"] == "AAAAA AAAAAAA, A.AAA."
    assert masked["catatan"] == "lihat NIP " + "9" * 18
    assert masked["unor_nama"] == "Dinas Kesehatan" and masked["level_hasil"] == "3"
    message = mask_message("nip='198503122010011003', nama='Agustinus Mandowen' is duplicated", record)
    assert message == "nip='" + "9" * 18 + "', nama='AAAAAAAAA AAAAAAAA' is duplicated"


@pytest.mark.parametrize(("language", "words"), [("id", "laporan proses:"), ("en", "run report:")])
def test_the_demo_summary_speaks_the_report_language(
    language: str, words: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    from pembina.demo import DagTiming, print_summary

    monkeypatch.setenv("PEMBINA_REPORT_LANGUAGE", language)
    summary = {
        "rows_per_layer": {"raw": {"siasn_pegawai": 1234}},
        "quarantined_by_source_rule": {"siasn": {"nip_format": 2}},
        "load_findings": {"absent_columns": {"/x/siasn.csv": ["nik"]}},
        "validation": {"passed": 60, "critical_failed": 0, "gate": "passed", "warnings_failed": 2},
        "publication": {"publication_id": 3, "build_id": 4, "gate_run_id": 5, "relations": ["dim_date"],
                        "published_at": "2026-12-03T07:37:01+00:00"},
        "personal_data_checks": {"marts_no_personal_data": True},
        "quasi_identifiers": {"k": 5, "unique_employees": 0, "employees_below_k": 0, "employees": 6603,
                              "below_k_pct": 0.0, "max_below_k_pct": 0.5},
        "report_path": "/r/run_x.html",
        "index_path": "/r/index.html",
    }  # fmt: skip
    print_summary(summary, [DagTiming("pembina_warehouse", 70.5, 60.25)], tmp_path / "none.json", 100.0)
    printed = capsys.readouterr().out
    assert f"{words} /r/run_x.html" in printed and "2026-12-03 16:37:01 WIT, 1 " in printed
    assert ("1.234" if language == "id" else "1,234") in printed and "siasn.csv" in printed


def test_a_quarantined_forum_input_shows_neither_the_residents_words_nor_the_facilitator() -> None:
    record = {
        "kode_forum": "FKP-DUKCAPIL-2025S1-01",
        "uraian": "Hubungi Ibu Maria di 081234567890",
        "nama_fasilitator": "YOHANES MANDACAN",
        "status": "Ditolak",
    }
    masked = mask_record(record)
    assert "Maria" not in masked["uraian"] and "0812" not in masked["uraian"]
    assert "YOHANES" not in masked["nama_fasilitator"]
    assert (masked["kode_forum"], masked["status"]) == ("FKP-DUKCAPIL-2025S1-01", "Ditolak")
