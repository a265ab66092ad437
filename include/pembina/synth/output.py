"""Writing landing files byte-for-byte reproducibly, and recording each file and defect for the manifest."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from pembina.synth.defects import DefectLog, Mutation, RecordRules, inject

# openpyxl stamps the workbook and every zip entry with the current time; these replace it.
FIXED_TIMESTAMP = dt.datetime(2026, 1, 1)
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class Landing:
    """Writes files under ``out_dir`` and keeps the manifest's ``generated_files`` list."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.generated_files: list[dict] = []

    def write(self, relative_path: str, data: bytes, rows: int) -> None:
        path = self.out_dir / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.generated_files.append({"path": relative_path, "rows": rows, "sha256": hashlib.sha256(data).hexdigest()})

    def write_csv(
        self,
        relative_path: str,
        header: list[str],
        rows: list[list],
        delimiter: str = ",",
        encoding: str = "utf-8",
    ) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        self.write(relative_path, buffer.getvalue().encode(encoding), len(rows))

    def write_json(self, relative_path: str, document: dict, rows: int) -> None:
        text = json.dumps(document, ensure_ascii=False)
        self.write(relative_path, (text + "\n").encode("utf-8"), rows)

    def write_jsonl(self, relative_path: str, records: list[dict]) -> None:
        text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        self.write(relative_path, text.encode("utf-8"), len(records))

    def write_xlsx(self, relative_path: str, workbook: Workbook, rows: int) -> None:
        self.write(relative_path, reproducible_xlsx(workbook), rows)


def reproducible_xlsx(workbook: Workbook) -> bytes:
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()  # save_workbook would reset `modified` to now
    repacked = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(written.getvalue())) as source,
        zipfile.ZipFile(repacked, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return repacked.getvalue()


@dataclass(frozen=True)
class Sink:
    """Where the writers put their files and the defects they inject."""

    landing: Landing
    log: DefectLog
    defect_rate: float

    def break_rows(
        self,
        source: str,
        path: str,
        records: list[dict],
        rules: tuple[str, ...],
        rng: np.random.Generator,
        mutate: Mutation,
        key_field: str,
        applicable: Callable[[dict, str], bool] | None = None,
    ) -> list[dict]:
        """Inject the source's defects into the records of one file and log each of them."""
        self.log.declare(source, rules)
        records, defects = inject(records, rules, self.defect_rate, rng, mutate, key_field, applicable)
        for row_number, rule, field_name in defects:
            self.log.add(source, path, row_number, rule, field_name)
        return records

    def break_records(
        self,
        source: str,
        path: str,
        records: list[dict],
        rules: RecordRules,
        rng: np.random.Generator,
        applicable: Callable[[dict, str], bool] | None = None,
    ) -> list[dict]:
        return self.break_rows(source, path, records, rules.rules, rng, rules.mutate, rules.key_field, applicable)
