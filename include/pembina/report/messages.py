# ruff: noqa: E501  (the English check descriptions are keys, kept whole so that they match the suites)
"""The words of the run report and of the demo summary, in Bahasa Indonesia (the default, for BKPSDM and the
Inspektorat) and English: one dict per language with the same keys (a test checks it), chosen by
``PEMBINA_REPORT_LANGUAGE`` (``id`` or ``en``). Terms of the regulations (JP, IP ASN, predikat, OPD, NIP, NIK,
SKP) stay as they are in both languages.

The plain-language descriptions of the quality checks are written in English in ``pembina.quality.suites``;
``CHECK_DESCRIPTIONS_ID`` holds their Indonesian text, keyed by the English one (a test checks that every
description of every suite has one).
"""

from __future__ import annotations

import os
from typing import Any

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LANGUAGE_VARIABLE = "PEMBINA_REPORT_LANGUAGE"


def report_language(value: str | None = None) -> str:
    """The language of the report: ``value`` or ``PEMBINA_REPORT_LANGUAGE``, default Indonesian."""
    chosen = (value if value is not None else os.environ.get(LANGUAGE_VARIABLE) or DEFAULT_LANGUAGE).strip().lower()
    if chosen not in LANGUAGES:
        raise ValueError(f"{LANGUAGE_VARIABLE} must be one of {', '.join(LANGUAGES)}, not {chosen!r}")
    return chosen


class Messages:
    """``m("key", n=3)`` formats the message ``key`` of one language."""

    def __init__(self, language: str | None = None) -> None:
        self.language = report_language(language)
        self._catalogue = MESSAGES[self.language]

    def __call__(self, key: str, **values: Any) -> str:
        return self._catalogue[key].format(**values)

    def number(self, value: float | None, digits: int = 0) -> str:
        """1,234.5 in English, 1.234,5 in Indonesian."""
        if value is None:
            return "–"
        text = f"{value:,.{digits}f}"
        if self.language == "id":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text

    def rule(self, rule_id: str) -> str:
        """What a contract rule means, or nothing for a rule this catalogue does not know."""
        return self._catalogue.get(f"rule_{rule_id}", "")

    def check_description(self, english: str) -> str:
        return english if self.language == "en" else CHECK_DESCRIPTIONS_ID.get(english, english)


MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "lang_name": "English",
        "title": "Pembina run report",
        "index_title": "Pembina run reports",
        "meta": "Run {run} · warehouse database {database} · report written {when}",
        "meta_no_run": "No run recorded yet · warehouse database {database} · report written {when}",
        "status_validated": "Validated: the quality gate passed (no critical check failed); {warnings} warning(s).",
        "status_failed": "FAILED: {n} critical check(s) failed. These marts were not published; BI keeps reading "
        "the last validated run's marts.",
        "status_unvalidated": "NOT VALIDATED: the quality gate did not run for this run. Its marts were not "
        "published; BI keeps reading the last validated run's marts.",
        "status_word_validated": "validated",
        "status_word_failed": "failed",
        "status_word_unvalidated": "not validated",
        "nav_index": "All runs",
        "nav_latest_validated": "Report of the last validated run ({run})",
        "nav_no_validated": "No run has been validated yet.",
        "publication": "The BI login reads publication {id} of the marts: build {build}, validated by gate run "
        "{gate} (run {run}), published {when}, {n} table(s) and view(s).",
        "publication_none": "The marts have not been published to the BI login yet.",
        "card_files_loaded": "files loaded",
        "card_files_rejected": "files rejected",
        "card_rows_read": "rows read",
        "card_rows_loaded": "rows loaded",
        "card_rows_quarantined": "rows quarantined",
        "card_not_reconciled": "files not reconciled",
        "card_checks_passed": "checks passed",
        "card_checks_failed": "critical checks failed",
        "card_warnings": "warnings",
        "h_files": "1. What came in: the files of this run",
        "files_intro": "Files loaded since the previous run. Each must reconcile: rows read = rows loaded + "
        "rows quarantined. A rejected file loads nothing; its reason is shown. Paths are relative to the landing "
        "folder.",
        "files_none_recorded": "No ingestion record yet.",
        "files_all": "Every file ({n})",
        "files_none": "No new file came in for this run.",
        "col_file": "file",
        "col_source": "source",
        "col_status": "status",
        "col_encoding": "encoding",
        "col_read": "read",
        "col_loaded": "loaded",
        "col_quarantined": "quarantined",
        "col_reconciled": "read = loaded + quarantined",
        "col_reason": "reason",
        "col_rule": "rule",
        "col_rows": "rows",
        "col_message": "message as recorded",
        "col_example": "one example: the message as recorded and the row (personal data masked)",
        "quarantine_by_source": "Per source and rule ({n})",
        "col_check": "check",
        "col_table": "table",
        "col_severity": "severity",
        "col_result": "result",
        "col_expected": "expected",
        "col_observed": "observed",
        "col_schema": "schema",
        "col_kind": "kind",
        "col_run": "run",
        "col_when": "when",
        "col_report": "report",
        "col_batch": "batch",
        "col_failed": "marked failed",
        "col_columns": "columns",
        "file_loaded": "loaded",
        "file_rejected": "rejected",
        "file_skipped": "skipped",
        "reconciled_yes": "✔ yes",
        "reconciled_no": "✘ NO",
        "reconciled_na": "file rejected",
        "h_findings": "Interrupted loads, absent optional columns and rewritten codes",
        "failed_batches_intro": "A batch whose load died before closing is marked failed when the next load of "
        "its source starts; nothing of an unfinished file is in raw, and the file loads again on the next run.",
        "absent_intro": "Files that left optional columns out: those columns are NULL in raw for their rows.",
        "rewritten_intro": "Coded values loaded as their canonical code (seed ref_code_synonym), per file.",
        "h_quarantine": "2. What was set aside: quarantine by rule",
        "quarantine_intro": "Rows that broke a rule of their source's contract stay in raw.quarantine with the "
        "rule and a readable message; they are not in the marts. One example per rule, with NIP, NIK, names and "
        "other personal data masked (digits as 9, letters as A).",
        "quarantine_none_table": "No quarantine table yet.",
        "quarantine_none": "No row of this run's files was quarantined.",
        "total": "total",
        "h_checks": "3. Which checks passed",
        "checks_intro": "A failed critical check stops publication of the marts; a failed warning is a finding "
        "that is reported while the run goes on.",
        "checks_none": "The quality gate did not run for this run: no check was evaluated.",
        "checks_failed_h": "Critical checks that failed",
        "checks_warning_h": "Warnings: findings to report",
        "checks_passed_h": "Checks that passed ({n})",
        "checks_none_failed": "No critical check failed.",
        "checks_none_warning": "No warning.",
        "severity_critical": "critical",
        "severity_warning": "warning",
        "result_passed": "✔ passed",
        "result_failed": "✘ FAILED",
        "result_warning": "⚠ warning",
        "data_docs": "The same results, suite by suite, in Great Expectations Data Docs (these pages read offline, "
        "without their styling, which loads from the internet; this report carries every check)",
        "h_charts": "4. Over recent runs, and the latest year",
        "chart_loads": "Rows loaded and quarantined per source, recent ingest runs",
        "chart_loads_legend": "loaded (blue), quarantined (red), per ingest run, oldest left",
        "chart_pass_rate": "Share of checks passed, recent runs",
        "chart_jp": "JP compliance by OPD, {year}: share of employees with at least 20 JP",
        "chart_ip_asn": "IP ASN by OPD, {year}: average index (0-100)",
        "chart_empty": "No data yet.",
        "chart_marts_absent": "Not yet: the marts have not been published.",
        "h_tables": "5. What the warehouse holds: rows per table",
        "tables_summary": "Rows per layer: {layers}. Every table:",
        "tables_none": "No table yet.",
        "count_error": "error: {error}",
        "h_personal": "6. Personal data in the marts",
        "personal_intro": "The BI login reads schema marts only. No column there may be named like personal "
        "data, no text value may look like a NIP or NIK, and the quasi-identifiers of dim_employee may single out "
        "few enough employees: each check fails the gate.",
        "personal_not_run": "The personal-data checks did not run.",
        "personal_q_absent": "Quasi-identifiers not measured (no dim_employee with its settings yet).",
        "personal_q": "{employees} employees in dim_employee: {unique} unique, {below} ({pct}%) in a class of fewer "
        "than k = {k}; at most {max}% allowed.",
        "personal_levels": "Employees by disclosure level (1 shows every quasi-identifier, 6 the OPD only, 7 "
        "nothing): {levels}.",
        "level": "level {level}: {n}",
        "footer": "Times in WIT (UTC+09:00). Pembina, a data warehouse for the development of ASN in Kabupaten "
        "Manokwari.",
        "index_intro": "Every run of the warehouse, newest first. A failed or unvalidated run has its own report "
        "and never replaces the report of the last validated run, to which latest.html points.",
        "index_latest": "Latest validated run: {link}",
        "index_no_report": "no report",
        "index_empty": "No run has been reported yet.",
        # expected, per kind of check
        "exp_not_null": "{column} is filled in every row",
        "exp_null": "{column} is empty in every row",
        "exp_unique": "every {column} occurs once",
        "exp_compound_unique": "every combination of {column} occurs once",
        "exp_row_count_min": "at least {min} row(s)",
        "exp_row_count_range": "between {min} and {max} rows",
        "exp_between": "{column} between {min} and {max}",
        "exp_at_least": "{column} at least {min}",
        "exp_at_most": "{column} at most {max}",
        "exp_in_set": "{column} is one of: {values}",
        "exp_regex": "{column} matches the pattern {regex}",
        "exp_not_regex": "no {column} matches the pattern",
        "exp_columns": "the table has the expected columns",
        "exp_table_exists": "the table exists",
        "exp_no_rows_break": "no row breaks the rule",
        "exp_other": "{expectation}",
        # observed
        "obs_all_conform": "all {total} rows conform",
        "obs_unexpected": "{n} of {total} rows ({pct}%) do not",
        "obs_examples": "e.g. {values}",
        "obs_unexpected_count": "{n} row(s) do not conform",
        "obs_rows_break": "{n} row(s) break the rule",
        "obs_row_count": "{n} row(s)",
        "obs_value": "observed {value}",
        "obs_error": "could not be evaluated: {error}",
        "obs_passed": "as expected",
        # contract rules of docs/sources.md (an unknown rule id is shown as it is)
        "rule_missing_required": "a required field is empty",
        "rule_nip_format": "the NIP is not 18 digits",
        "rule_nip_birth_date_mismatch": "NIP digits 1-8 are not the birth date",
        "rule_nip_gender_mismatch": "NIP digit 15 disagrees with the gender",
        "rule_nip_tmt_cpns_mismatch": "NIP digits 9-14 disagree with the TMT CPNS year and month",
        "rule_nik_format": "the NIK is not 16 digits",
        "rule_nik_birth_date_mismatch": "NIK digits 7-12 disagree with the birth date",
        "rule_invalid_date": "a date that is not a real calendar date",
        "rule_invalid_number": "a number that is not a whole number",
        "rule_unknown_code": "a code outside its code list",
        "rule_unknown_opd": "an OPD (unor_id) not in the OPD reference list",
        "rule_duplicate_key": "the record's key already appeared earlier in the same file",
        "rule_out_of_range": "a number outside its documented range",
        "rule_malformed_row": "the record does not have the header's number of fields",
        "rule_invalid_encoding": "a byte the file's encoding cannot read",
        "rule_nul_byte": "a NUL byte in the record",
        "rule_unbalanced_quote": "a quote that no well-formed record closes",
        "rule_truncated_row": "the last record is cut short",
        "rule_invalid_answer": "an SKM answer that is neither 1-4 nor one of its element's four answers",
        "rule_invalid_tracking_number": "a LAPOR! tracking number that is not 6-10 digits",
        "rule_dates_out_of_order": "a complaint's dates not in the order received, disposed, answered, closed",
        "rule_follow_up_status_mismatch": "a forum input's status that disagrees with its follow-up date",
        "rule_team_format": "an innovation team that is not a list of NIP:Peran (Ketua, Anggota, Pembina)",
        "rule_stage_dates_inconsistent": "an innovation's stage dates missing, out of order or beyond its stage",
        # demo summary
        "demo_title": "Pembina demo",
        "demo_rows_per_layer": "rows per layer:",
        "demo_quarantined": "rows quarantined, per source (the synthetic manifest's injected defects in brackets):",
        "demo_matches": "matches",
        "demo_differs": "DIFFERS",
        "demo_validation": "validation: {passed} checks passed; {critical} critical failures (gate {gate}), "
        "{warnings} warnings (findings, reported)",
        "demo_gate_passed": "passed",
        "demo_gate_failed": "failed",
        "demo_gate_not_run": "not run",
        "demo_bi_reads": "BI login reads: {what}",
        "demo_nothing_published": "nothing published yet",
        "demo_publication": "publication {id} (build {build}, gate run {gate}, published {when}, {n} tables and views)",
        "demo_personal": "personal data in the marts: {n} checks {verdict}",
        "demo_personal_q": "; k = {k}: {unique} unique, {below} of {employees} employees ({pct}%) below k, "
        "{max}% allowed",
        "demo_verdict_passed": "passed",
        "demo_verdict_failed": "FAILED",
        "demo_verdict_not_run": "not run",
        "demo_report": "run report: {path}",
        "demo_index": "all runs:   {path}",
        "demo_dag_time": "airflow dags test {dag}: {wall} s wall = {tasks} s in tasks + {overhead} s Airflow "
        "start-up and scheduling",
        "demo_total": "total time: {seconds} s",
        "demo_batch_failed": "batch {batch} ({source}) failed, {when}: {reason}",
        "demo_absent": "{file}: optional columns absent (NULL in raw): {columns}",
        "demo_rewritten": "{file}: codes rewritten to canonical: {counts}",
    },
    "id": {
        "lang_name": "Bahasa Indonesia",
        "title": "Laporan proses Pembina",
        "index_title": "Laporan proses Pembina",
        "meta": "Proses {run} · basis data gudang {database} · laporan dibuat {when}",
        "meta_no_run": "Belum ada proses tercatat · basis data gudang {database} · laporan dibuat {when}",
        "status_validated": "Tervalidasi: quality gate lolos (tidak ada pemeriksaan kritis yang gagal); "
        "{warnings} peringatan.",
        "status_failed": "GAGAL: {n} pemeriksaan kritis gagal. Mart proses ini tidak dipublikasikan; BI tetap "
        "membaca mart dari proses terakhir yang tervalidasi.",
        "status_unvalidated": "BELUM TERVALIDASI: quality gate tidak berjalan pada proses ini. Mart-nya tidak "
        "dipublikasikan; BI tetap membaca mart dari proses terakhir yang tervalidasi.",
        "status_word_validated": "tervalidasi",
        "status_word_failed": "gagal",
        "status_word_unvalidated": "belum tervalidasi",
        "nav_index": "Semua proses",
        "nav_latest_validated": "Laporan proses terakhir yang tervalidasi ({run})",
        "nav_no_validated": "Belum ada proses yang tervalidasi.",
        "publication": "Login BI membaca publikasi mart ke-{id}: build {build}, divalidasi oleh gate run {gate} "
        "(proses {run}), dipublikasikan {when}, {n} tabel dan view.",
        "publication_none": "Mart belum dipublikasikan ke login BI.",
        "card_files_loaded": "berkas dimuat",
        "card_files_rejected": "berkas ditolak",
        "card_rows_read": "baris dibaca",
        "card_rows_loaded": "baris dimuat",
        "card_rows_quarantined": "baris dikarantina",
        "card_not_reconciled": "berkas tidak rekonsiliasi",
        "card_checks_passed": "pemeriksaan lolos",
        "card_checks_failed": "pemeriksaan kritis gagal",
        "card_warnings": "peringatan",
        "h_files": "1. Yang masuk: berkas proses ini",
        "files_intro": "Berkas yang dimuat sejak proses sebelumnya. Setiap berkas harus rekonsiliasi: baris dibaca "
        "= baris dimuat + baris dikarantina. Berkas yang ditolak tidak memuat apa pun; alasannya ditampilkan. "
        "Lokasi berkas relatif terhadap folder landing.",
        "files_none_recorded": "Belum ada catatan pemuatan.",
        "files_all": "Semua berkas ({n})",
        "files_none": "Tidak ada berkas baru untuk proses ini.",
        "col_file": "berkas",
        "col_source": "sumber",
        "col_status": "status",
        "col_encoding": "encoding",
        "col_read": "dibaca",
        "col_loaded": "dimuat",
        "col_quarantined": "dikarantina",
        "col_reconciled": "dibaca = dimuat + dikarantina",
        "col_reason": "alasan",
        "col_rule": "aturan",
        "col_rows": "baris",
        "col_message": "pesan sebagaimana tercatat",
        "col_example": "satu contoh: pesan sebagaimana tercatat dan barisnya (data pribadi disamarkan)",
        "quarantine_by_source": "Per sumber dan aturan ({n})",
        "col_check": "pemeriksaan",
        "col_table": "tabel",
        "col_severity": "tingkat",
        "col_result": "hasil",
        "col_expected": "yang diharapkan",
        "col_observed": "yang ditemukan",
        "col_schema": "skema",
        "col_kind": "jenis",
        "col_run": "proses",
        "col_when": "waktu",
        "col_report": "laporan",
        "col_batch": "batch",
        "col_failed": "ditandai gagal",
        "col_columns": "kolom",
        "file_loaded": "dimuat",
        "file_rejected": "ditolak",
        "file_skipped": "dilewati",
        "reconciled_yes": "✔ ya",
        "reconciled_no": "✘ TIDAK",
        "reconciled_na": "berkas ditolak",
        "h_findings": "Pemuatan terputus, kolom opsional yang tidak ada, dan kode yang diseragamkan",
        "failed_batches_intro": "Batch yang pemuatannya terhenti sebelum selesai ditandai gagal saat pemuatan "
        "berikutnya dari sumber yang sama dimulai; tidak ada isi berkas yang belum selesai di raw, dan berkas itu "
        "dimuat ulang pada proses berikutnya.",
        "absent_intro": "Berkas tanpa kolom opsional: kolom tersebut bernilai NULL di raw untuk barisnya.",
        "rewritten_intro": "Nilai kode yang dimuat sebagai kode bakunya (seed ref_code_synonym), per berkas.",
        "h_quarantine": "2. Yang disisihkan: karantina per aturan",
        "quarantine_intro": "Baris yang melanggar aturan kontrak sumbernya disimpan di raw.quarantine beserta "
        "aturan dan pesan yang mudah dibaca; baris itu tidak masuk ke mart. Satu contoh per aturan, dengan NIP, "
        "NIK, nama dan data pribadi lain disamarkan (angka menjadi 9, huruf menjadi A).",
        "quarantine_none_table": "Belum ada tabel karantina.",
        "quarantine_none": "Tidak ada baris dari berkas proses ini yang dikarantina.",
        "total": "jumlah",
        "h_checks": "3. Pemeriksaan mana yang lolos",
        "checks_intro": "Pemeriksaan kritis yang gagal menghentikan publikasi mart; peringatan yang gagal adalah "
        "temuan yang dilaporkan sementara proses tetap berjalan.",
        "checks_none": "Quality gate tidak berjalan pada proses ini: tidak ada pemeriksaan yang dievaluasi.",
        "checks_failed_h": "Pemeriksaan kritis yang gagal",
        "checks_warning_h": "Peringatan: temuan untuk dilaporkan",
        "checks_passed_h": "Pemeriksaan yang lolos ({n})",
        "checks_none_failed": "Tidak ada pemeriksaan kritis yang gagal.",
        "checks_none_warning": "Tidak ada peringatan.",
        "severity_critical": "kritis",
        "severity_warning": "peringatan",
        "result_passed": "✔ lolos",
        "result_failed": "✘ GAGAL",
        "result_warning": "⚠ peringatan",
        "data_docs": "Hasil yang sama, per suite, di Great Expectations Data Docs (halaman ini terbaca tanpa internet, "
        "tanpa tata letaknya yang dimuat dari internet; laporan ini memuat semua pemeriksaan)",
        "h_charts": "4. Selama beberapa proses terakhir, dan tahun terakhir",
        "chart_loads": "Baris dimuat dan dikarantina per sumber, proses pemuatan terakhir",
        "chart_loads_legend": "dimuat (biru), dikarantina (merah), per proses pemuatan, yang terlama di kiri",
        "chart_pass_rate": "Persentase pemeriksaan yang lolos, proses terakhir",
        "chart_jp": "Kepatuhan JP per OPD, {year}: persentase pegawai dengan paling sedikit 20 JP",
        "chart_ip_asn": "IP ASN per OPD, {year}: rata-rata indeks (0-100)",
        "chart_empty": "Belum ada data.",
        "chart_marts_absent": "Belum ada: mart belum dipublikasikan.",
        "h_tables": "5. Isi gudang data: baris per tabel",
        "tables_summary": "Baris per lapisan: {layers}. Semua tabel:",
        "tables_none": "Belum ada tabel.",
        "count_error": "galat: {error}",
        "h_personal": "6. Data pribadi di mart",
        "personal_intro": "Login BI hanya membaca skema marts. Tidak boleh ada kolom di sana yang bernama seperti "
        "data pribadi, tidak boleh ada nilai teks yang menyerupai NIP atau NIK, dan quasi-identifier dim_employee "
        "hanya boleh mengenali sedikit pegawai: setiap pemeriksaan ini menggagalkan gate.",
        "personal_not_run": "Pemeriksaan data pribadi tidak berjalan.",
        "personal_q_absent": "Quasi-identifier belum diukur (belum ada dim_employee dengan pengaturannya).",
        "personal_q": "{employees} pegawai di dim_employee: {unique} unik, {below} ({pct}%) dalam kelas yang lebih "
        "kecil dari k = {k}; paling banyak {max}% diizinkan.",
        "personal_levels": "Pegawai per tingkat pengungkapan (1 menampilkan semua quasi-identifier, 6 hanya OPD, "
        "7 tidak ada): {levels}.",
        "level": "tingkat {level}: {n}",
        "footer": "Waktu dalam WIT (UTC+09:00). Pembina, gudang data untuk pembinaan ASN Kabupaten Manokwari.",
        "index_intro": "Setiap proses gudang data, yang terbaru di atas. Proses yang gagal atau belum tervalidasi "
        "memiliki laporannya sendiri dan tidak pernah menggantikan laporan proses terakhir yang tervalidasi, yang "
        "ditunjuk oleh latest.html.",
        "index_latest": "Proses terakhir yang tervalidasi: {link}",
        "index_no_report": "tidak ada laporan",
        "index_empty": "Belum ada proses yang dilaporkan.",
        "exp_not_null": "{column} terisi di setiap baris",
        "exp_null": "{column} kosong di setiap baris",
        "exp_unique": "setiap {column} hanya muncul sekali",
        "exp_compound_unique": "setiap kombinasi {column} hanya muncul sekali",
        "exp_row_count_min": "paling sedikit {min} baris",
        "exp_row_count_range": "antara {min} dan {max} baris",
        "exp_between": "{column} antara {min} dan {max}",
        "exp_at_least": "{column} paling sedikit {min}",
        "exp_at_most": "{column} paling banyak {max}",
        "exp_in_set": "{column} salah satu dari: {values}",
        "exp_regex": "{column} sesuai pola {regex}",
        "exp_not_regex": "tidak ada {column} yang sesuai pola",
        "exp_columns": "tabel memiliki kolom yang diharapkan",
        "exp_table_exists": "tabel ada",
        "exp_no_rows_break": "tidak ada baris yang melanggar aturan",
        "exp_other": "{expectation}",
        "obs_all_conform": "semua {total} baris sesuai",
        "obs_unexpected": "{n} dari {total} baris ({pct}%) tidak sesuai",
        "obs_examples": "mis. {values}",
        "obs_unexpected_count": "{n} baris tidak sesuai",
        "obs_rows_break": "{n} baris melanggar aturan",
        "obs_row_count": "{n} baris",
        "obs_value": "ditemukan {value}",
        "obs_error": "tidak dapat dievaluasi: {error}",
        "obs_passed": "sesuai harapan",
        "rule_missing_required": "kolom wajib kosong",
        "rule_nip_format": "NIP bukan 18 digit",
        "rule_nip_birth_date_mismatch": "digit 1-8 NIP bukan tanggal lahir",
        "rule_nip_gender_mismatch": "digit ke-15 NIP tidak sesuai dengan jenis kelamin",
        "rule_nip_tmt_cpns_mismatch": "digit 9-14 NIP tidak sesuai dengan tahun dan bulan TMT CPNS",
        "rule_nik_format": "NIK bukan 16 digit",
        "rule_nik_birth_date_mismatch": "digit 7-12 NIK tidak sesuai dengan tanggal lahir",
        "rule_invalid_date": "tanggal yang tidak ada di kalender",
        "rule_invalid_number": "angka yang bukan bilangan bulat",
        "rule_unknown_code": "kode di luar daftar kodenya",
        "rule_unknown_opd": "OPD (unor_id) tidak ada di daftar referensi OPD",
        "rule_duplicate_key": "kunci baris sudah muncul sebelumnya di berkas yang sama",
        "rule_out_of_range": "angka di luar rentang yang ditetapkan",
        "rule_malformed_row": "jumlah kolom baris tidak sama dengan header",
        "rule_invalid_encoding": "byte yang tidak dapat dibaca dengan encoding berkasnya",
        "rule_nul_byte": "byte NUL di dalam baris",
        "rule_unbalanced_quote": "tanda kutip yang tidak ditutup",
        "rule_truncated_row": "baris terakhir terpotong",
        "rule_invalid_answer": "jawaban SKM bukan 1-4 dan bukan salah satu dari empat jawaban unsurnya",
        "rule_invalid_tracking_number": "nomor tracking LAPOR! bukan 6-10 digit",
        "rule_dates_out_of_order": "tanggal pengaduan tidak berurutan: diterima, didisposisi, ditindaklanjuti, selesai",
        "rule_follow_up_status_mismatch": "status masukan forum tidak sesuai dengan tanggal tindak lanjutnya",
        "rule_team_format": "tim inovasi bukan daftar NIP:Peran (Ketua, Anggota, Pembina)",
        "rule_stage_dates_inconsistent": "tanggal tahapan inovasi kosong, tidak berurutan atau melampaui tahapannya",
        "demo_title": "Demo Pembina",
        "demo_rows_per_layer": "baris per lapisan:",
        "demo_quarantined": "baris dikarantina, per sumber (cacat yang disisipkan manifest sintetis dalam kurung):",
        "demo_matches": "cocok",
        "demo_differs": "BERBEDA",
        "demo_validation": "validasi: {passed} pemeriksaan lolos; {critical} kegagalan kritis (gate {gate}), "
        "{warnings} peringatan (temuan, dilaporkan)",
        "demo_gate_passed": "lolos",
        "demo_gate_failed": "gagal",
        "demo_gate_not_run": "tidak berjalan",
        "demo_bi_reads": "login BI membaca: {what}",
        "demo_nothing_published": "belum ada yang dipublikasikan",
        "demo_publication": "publikasi ke-{id} (build {build}, gate run {gate}, dipublikasikan {when}, {n} tabel dan "
        "view)",
        "demo_personal": "data pribadi di mart: {n} pemeriksaan {verdict}",
        "demo_personal_q": "; k = {k}: {unique} unik, {below} dari {employees} pegawai ({pct}%) di bawah k, "
        "{max}% diizinkan",
        "demo_verdict_passed": "lolos",
        "demo_verdict_failed": "GAGAL",
        "demo_verdict_not_run": "tidak berjalan",
        "demo_report": "laporan proses: {path}",
        "demo_index": "semua proses:   {path}",
        "demo_dag_time": "airflow dags test {dag}: {wall} dtk total = {tasks} dtk di task + {overhead} dtk start-up "
        "dan penjadwalan Airflow",
        "demo_total": "waktu total: {seconds} dtk",
        "demo_batch_failed": "batch {batch} ({source}) gagal, {when}: {reason}",
        "demo_absent": "{file}: kolom opsional tidak ada (NULL di raw): {columns}",
        "demo_rewritten": "{file}: kode diseragamkan ke kode baku: {counts}",
    },
}

CHECK_DESCRIPTIONS_ID: dict[str, str] = {
    "Every source's raw table has rows: a source that has delivered nothing yet is a finding to report, not a reason to stop.": (
        "Tabel raw setiap sumber berisi baris: sumber yang belum mengirim apa pun adalah temuan untuk dilaporkan, bukan alasan untuk berhenti."
    ),
    "Every raw row has its lineage (_file_id; _vendor, _university for the mapped vendors) and an 18-character NIP: the loader quarantines rows without, so one here bypassed the source contract. (A length, not raw_siasn_pegawai's 18-digit regex: PostgreSQL's regex costs microseconds a value, and the contract has tested the digits.)": (
        "Setiap baris raw memiliki asal-usulnya (_file_id; _vendor, _university untuk vendor yang dipetakan) dan NIP 18 karakter: pemuat mengarantina baris tanpanya, jadi baris seperti itu di sini telah melewati kontrak sumber. (Panjang, bukan regex 18 digit raw_siasn_pegawai: kontrak sudah menguji digitnya.)"
    ),
    "Every version has its OPD code and never ends before it starts.": (
        "Setiap versi memiliki kode OPD dan tidak pernah berakhir sebelum dimulai."
    ),
    "No more retirements than active employees; the retirements by status group and by position type each add up to retirements_total.": (
        "Jumlah pensiun tidak melebihi pegawai aktif; pensiun per kelompok status dan per jenis jabatan masing-masing berjumlah retirements_total."
    ),
    "The predikat is one of the five of PermenPAN-RB 6/2022.": (
        "Predikat adalah salah satu dari lima predikat PermenPAN-RB 6/2022."
    ),
    "Every appraisal has its employee; predikat_rank is 1-5, the period code TAHUNAN or TW1-TW4, and a period never ends before it starts.": (
        "Setiap penilaian memiliki pegawainya; predikat_rank 1-5, kode periode TAHUNAN atau TW1-TW4, dan periode tidak pernah berakhir sebelum dimulai."
    ),
    "Finding: appraisals whose predikat as e-Kinerja states it disagrees with the matrix (unexpected_percent: their share of the appraisals that state one). Reported, never overwritten.": (
        "Temuan: penilaian yang predikatnya menurut e-Kinerja berbeda dengan matriks (unexpected_percent: bagiannya dari penilaian yang mencantumkan predikat). Dilaporkan, tidak pernah ditimpa."
    ),
    "Each predikat's share of the appraised staff is a percentage (0-100).": (
        "Bagian setiap predikat dari pegawai yang dinilai adalah persentase (0-100)."
    ),
    "The staff per predikat, and those without one, add up to appraised_staff_count; no count is negative.": (
        "Pegawai per predikat, ditambah yang tanpa predikat, berjumlah appraised_staff_count; tidak ada jumlah yang negatif."
    ),
    "Finding: OPD-years whose share of Sangat Baik exceeds the cap of the organisation's predikat (ref_sangat_baik_cap).": (
        "Temuan: OPD-tahun yang bagian Sangat Baik-nya melebihi batas menurut predikat organisasinya (ref_sangat_baik_cap)."
    ),
    "Finding: OPD-years whose predikat distribution breaks the pattern of the organisation's predikat (minimum and maximum shares of ref_predikat_distribution_pattern, the Sangat Baik cap); pattern_breaches names the rules.": (
        "Temuan: OPD-tahun yang sebaran predikatnya menyalahi pola menurut predikat organisasinya (bagian minimum dan maksimum ref_predikat_distribution_pattern, batas Sangat Baik); pattern_breaches menyebut aturannya."
    ),
    "Finding: sanctions whose tmt_selesai in the register disagrees with the end its decree's duration sets (ref_sanction). The period follows the duration; the stated date is kept beside it.": (
        "Temuan: hukuman disiplin yang tmt_selesai-nya di register berbeda dengan akhir menurut lamanya dalam SK (ref_sanction). Masa hukuman mengikuti lamanya; tanggal yang tercatat disimpan di sampingnya."
    ),
    "Finding: a TMT CPNS not on the first of a month (an appointment starts on the 1st); the NIP holds only its year-month, so the row is loaded and reported, not quarantined.": (
        "Temuan: TMT CPNS yang bukan tanggal 1 (pengangkatan selalu mulai tanggal 1); NIP hanya memuat tahun-bulannya, jadi baris dimuat dan dilaporkan, tidak dikarantina."
    ),
    "Every result has its employee; standard and assessed levels are 1-5 (PermenPAN-RB 38/2017), the group manajerial, sosial kultural or teknis; gap = assessed - standard, and has_gap says whether it is negative.": (
        "Setiap hasil memiliki pegawainya; level standar dan level hasil asesmen 1-5 (PermenPAN-RB 38/2017), kelompok manajerial, sosial kultural atau teknis; gap = hasil - standar, dan has_gap menyatakan apakah gap negatif."
    ),
    "JPM is known and between 0 and 100% (above 100 only when the setting jpm_cap_per_item lets a competency above its standard offset another's gap), with its category; levels are 1-5.": (
        "JPM diketahui dan antara 0 dan 100% (di atas 100 hanya jika pengaturan jpm_cap_per_item membolehkan kompetensi di atas standarnya menutup gap kompetensi lain), beserta kategorinya; level 1-5."
    ),
    "Ringan, sedang or berat (PP 94/2021 art. 8).": ("Ringan, sedang atau berat (PP 94/2021 pasal 8)."),
    "Every sanction has its employee and never ends before it starts.": (
        "Setiap hukuman disiplin memiliki pegawainya dan tidak pernah berakhir sebelum dimulai."
    ),
    "Every participation has its employee; JP are never negative and never credited beyond the participation's JP; the completion status is passed, failed, withdrawn or not_completed; a training never ends before it starts; a duplicate report names the report that counts and credits nothing.": (
        "Setiap keikutsertaan memiliki pegawainya; JP tidak pernah negatif dan tidak pernah diakui melebihi JP keikutsertaannya; status penyelesaian passed, failed, withdrawn atau not_completed; pelatihan tidak pernah berakhir sebelum dimulai; laporan ganda menyebut laporan yang dihitung dan tidak diakui JP-nya."
    ),
    "JP in a year are never negative.": ("JP dalam setahun tidak pernah negatif."),
    "The JP missing to the yearly minimum are never negative.": (
        "Kekurangan JP terhadap minimum tahunan tidak pernah negatif."
    ),
    "Total and shortfall are known, the shortfall never exceeds the minimum, and an employee meets the minimum exactly when nothing falls short; an employee outside the JP duty (PPPK) has no minimum, shortfall or compliance.": (
        "Total dan kekurangan diketahui, kekurangan tidak pernah melebihi minimum, dan pegawai memenuhi minimum tepat ketika tidak ada kekurangan; pegawai di luar kewajiban JP (PPPK) tidak memiliki minimum, kekurangan, atau kepatuhan."
    ),
    "No more compliant employees than employees.": ("Pegawai yang patuh tidak lebih banyak dari jumlah pegawai."),
    "A GPA (IPK) is on the 0-4 scale.": ("IPK berada pada skala 0-4."),
    "Every participation has its employee and never ends before it starts.": (
        "Setiap keikutsertaan memiliki pegawainya dan tidak pernah berakhir sebelum dimulai."
    ),
    "Participants, completions and programmes active at year end are each at most the participations.": (
        "Peserta, kelulusan dan program yang aktif di akhir tahun masing-masing paling banyak sejumlah keikutsertaan."
    ),
    "IP ASN is a score of 0-100 (PermenPAN-RB 38/2018).": ("IP ASN adalah nilai 0-100 (PermenPAN-RB 38/2018)."),
    "Each dimension scores between 0 and its weight in ref_ip_asn_weight (kualifikasi 25, kompetensi 40, kinerja 30, disiplin 5 as shipped); kompetensi and disiplin are always known, kualifikasi and kinerja are empty when their input is missing.": (
        "Nilai setiap dimensi antara 0 dan bobotnya di ref_ip_asn_weight (kualifikasi 25, kompetensi 40, kinerja 30, disiplin 5 secara bawaan); kompetensi dan disiplin selalu diketahui, kualifikasi dan kinerja kosong bila masukannya hilang."
    ),
    "The index is the sum of the four dimension scores, and empty exactly when a dimension is.": (
        "Indeks sama dengan jumlah nilai keempat dimensi, dan kosong tepat ketika salah satu dimensi kosong."
    ),
    "The category of a computed index is the band of ref_ip_asn_category that holds it (above the next lower band's upper bound, at most its own); an index not computed has no category.": (
        "Kategori indeks yang dihitung merupakan rentang ref_ip_asn_category yang memuatnya (di atas batas atas rentang di bawahnya, paling tinggi batas atasnya sendiri); indeks yang tidak dihitung tidak memiliki kategori."
    ),
    "The employees per category add up to indexed_employee_count; with those whose index is not computed (a missing input) they make employee_count.": (
        "Pegawai per kategori berjumlah indexed_employee_count; bersama pegawai yang indeksnya tidak dihitung (masukan hilang) jumlahnya employee_count."
    ),
    "Shares are percentages (0-100), mean predikat ranks lie in 1-5, and no paired group is larger than the programme's participants.": (
        "Bagian adalah persentase (0-100), rata-rata peringkat predikat 1-5, dan tidak ada kelompok berpasangan yang lebih besar dari peserta program."
    ),
    "No fact or mart is empty while the raw table of its source has rows.": (
        "Tidak ada fakta atau mart yang kosong sementara tabel raw sumbernya berisi baris."
    ),
    "No table or view in the published schemas (marts_build) has a personal-data column: nip, nip_baru, nip_lama, nik, full_name, nama, participant_name, birth_date, tanggal_lahir, alamat, address, nomor_hp, no_hp, phone, email, npwp_nomor, nomor_sk, or a name with the part nip, nik, full_name, birth_date, tanggal_lahir, alamat, address, nomor_hp, no_hp, phone, email, npwp, bpjs, nomor_sk, decree_number.": (
        "Tidak ada tabel atau view di skema yang dipublikasikan (marts_build) yang memiliki kolom data pribadi: nip, nip_baru, nip_lama, nik, full_name, nama, participant_name, birth_date, tanggal_lahir, alamat, address, nomor_hp, no_hp, phone, email, npwp_nomor, nomor_sk, atau nama yang mengandung bagian nip, nik, full_name, birth_date, tanggal_lahir, alamat, address, nomor_hp, no_hp, phone, email, npwp, bpjs, nomor_sk, decree_number."
    ),
    "Few enough employees are singled out by what dim_employee shows (disclosure_level, opd_code, gender, age_band, golongan_group, position_type, position_level): at most k_anonymity_max_below_k_pct % of them in a class of fewer than k_anonymity_k (ref_pembina_settings).": (
        "Hanya sedikit pegawai yang dapat dikenali dari yang ditampilkan dim_employee (disclosure_level, opd_code, gender, age_band, golongan_group, position_type, position_level): paling banyak k_anonymity_max_below_k_pct % dari mereka dalam kelas yang lebih kecil dari k_anonymity_k (ref_pembina_settings)."
    ),
    "No text column of the published schemas holds a value that looks like a NIP (18 digits) or a NIK (16 digits); the result names the column and how many rows, never the values.": (
        "Tidak ada kolom teks di skema yang dipublikasikan yang berisi nilai menyerupai NIP (18 digit) atau NIK (16 digit); hasilnya menyebut kolom dan jumlah barisnya, tidak pernah nilainya."
    ),
    "The scan found text columns to look at (an empty scan proves nothing).": (
        "Pemindaian menemukan kolom teks untuk diperiksa (pemindaian kosong tidak membuktikan apa pun)."
    ),
    "A forum input's follow-up is not dated before the forum it was raised in (a typing error in the OPD's workbook: reported to the OPD, the input still counts).": (
        "Tindak lanjut masukan forum tidak bertanggal sebelum forum tempat masukan itu disampaikan (salah ketik di lembar kerja OPD: dilaporkan ke OPD, masukan tetap dihitung)."
    ),
    "Ketua, Anggota or Pembina of the innovation's team.": ("Ketua, Anggota atau Pembina tim inovasi."),
    "Inisiatif, uji coba or penerapan (PP 38/2017).": ("Inisiatif, uji coba atau penerapan (PP 38/2017)."),
    "Every participation has its employee; the stage dates run inisiatif, uji coba, penerapan and the stage reached has its date.": (
        "Setiap keikutsertaan memiliki pegawainya; tanggal tahapan berurutan inisiatif, uji coba, penerapan dan tahapan yang dicapai memiliki tanggalnya."
    ),
    "The stages and the forms each add up to the OPD's innovations of the year; those with a consultation, started or reaching penerapan in the year are among them; leaders are among the ASN involved.": (
        "Tahapan dan bentuk masing-masing berjumlah sama dengan inovasi OPD pada tahun itu; yang dikonsultasikan, dimulai atau mencapai penerapan pada tahun itu termasuk di dalamnya; ketua termasuk ASN yang terlibat."
    ),
    "An IKM is between 25 and 100 and known exactly when its window had respondents; the change is the difference of the two.": (
        "IKM antara 25 dan 100 dan diketahui tepat ketika periodenya memiliki responden; perubahannya adalah selisih keduanya."
    ),
    "Each half year runs from 1 January or 1 July for six months; inputs followed up (by their target) and open past it are among those raised; complaints answered (within the deadline) and open past it are among those received; participants are the sum of their groups.": (
        "Setiap semester berjalan enam bulan sejak 1 Januari atau 1 Juli; masukan yang ditindaklanjuti (sebelum targetnya) dan yang terbuka melewati target termasuk masukan yang disampaikan; pengaduan yang dijawab (dalam tenggat) dan yang terbuka melewati tenggat termasuk pengaduan yang diterima; peserta adalah jumlah kelompoknya."
    ),
    "Every SKM answer U1..U9 is 1-4 (PermenPAN-RB 14/2017): the loader rewrites the questionnaire's words to their value and quarantines anything else, so another value here bypassed the contract.": (
        "Setiap jawaban SKM U1..U9 bernilai 1-4 (PermenPAN-RB 14/2017): loader mengubah jawaban berupa kata menjadi nilainya dan mengarantina yang lain, jadi nilai lain di sini melewati kontrak."
    ),
    "A complaint's dates are in order: received, disposed, answered, closed (the loader quarantines a complaint whose steps are not).": (
        "Tanggal pengaduan berurutan: diterima, didisposisi, ditindaklanjuti, selesai (loader mengarantina pengaduan yang tidak berurutan)."
    ),
    "Each element's NRR is 1-4 and the IKM 25-100; a semester has an IKM exactly when it has respondents, and the IKM is the average NRR x 25 (to the rounding of the NRR to 2 decimals).": (
        "NRR setiap unsur 1-4 dan IKM 25-100; satu semester memiliki IKM tepat bila ada respondennya, dan IKM adalah rata-rata NRR x 25 (sampai pembulatan NRR ke 2 desimal)."
    ),
    "The quality category is the one of ref_skm_quality_category whose IKM interval holds the IKM (PermenPAN-RB 14/2017: A 88.31-100, B 76.61-88.30, C 65.00-76.60, D 25.00-64.99).": (
        "Mutu pelayanan adalah kategori ref_skm_quality_category yang intervalnya memuat IKM (PermenPAN-RB 14/2017: A 88,31-100, B 76,61-88,30, C 65,00-76,60, D 25,00-64,99)."
    ),
    "Periods are complete: every unit has a row for each semester from its first to the latest one of the mart (a semester without a survey shows 0 respondents, it is not left out).": (
        "Periode lengkap: setiap unit memiliki baris untuk setiap semester sejak semester pertamanya sampai semester terakhir mart (semester tanpa survei menunjukkan 0 responden, tidak dihilangkan)."
    ),
    "Finding: unit-semesters with fewer respondents than the Krejcie-Morgan sample for the unit's service users (ref_skm_rule), a semester without a survey among them: their IKM is indicative.": (
        "Temuan: unit-semester dengan responden lebih sedikit dari sampel Krejcie-Morgan untuk jumlah pengguna layanannya (ref_skm_rule), termasuk semester tanpa survei: IKM-nya bersifat indikatif."
    ),
}
