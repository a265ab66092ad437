"""Source entities declared by mapping files: each training vendor and each university sends its own shape;
a YAML file per vendor (``mappings/training/<vendor>.yml``) or university (``mappings/university/<id>.yml``)
maps it onto one canonical raw table. Adding a vendor is a mapping file and a landing folder, no code.
The mapping file format is documented in docs/sources.md ("Mapping files")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from pembina.contracts import checks
from pembina.contracts.spec import NumberRange, build_contract
from pembina.sources.base import (
    NO_HEADER,
    DelimitedFormat,
    FileFormat,
    FileRejected,
    JsonFormat,
    JsonLinesFormat,
    SourceEntity,
    XlsxFormat,
)

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"
DATE_FORMATS = (*checks.DATE_LAYOUTS, checks.ISO_DATETIME)


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Family:
    """A family of mapped sources sharing one canonical raw table."""

    name: str  # training, university
    id_key: str  # the mapping's key naming the vendor or university
    table: str
    entity: str
    constant_column: str  # e.g. _vendor
    columns: tuple[str, ...]
    mandatory: tuple[str, ...]  # canonical fields every mapping must fill
    code_lists: dict[str, tuple[str, ...]]  # canonical code lists that translations must land in
    needs_duration_unit: bool = False


# The units a vendor may count a training's duration in (converted to JP by the seed ref_jp_conversion):
# jam pelajaran, minutes, clock hours of 60 minutes, days of training.
DURATION_UNITS = ("jp", "minutes", "clock_hours", "days")

TRAINING_PROGRAM_TYPES = (
    "latsar", "teknis", "fungsional", "sosial_kultural", "kepemimpinan", "e_learning", "seminar", "coaching",
)  # fmt: skip

TRAINING_COLUMNS = (
    "nip", "participant_name", "unit_name", "program_code", "program_name", "program_type", "cohort",
    "course_id", "start_date", "end_date", "started_at", "completed_at", "duration_value", "duration_unit",
    "completion_status", "result_grade", "score", "certificate_no",
)  # fmt: skip
UNIVERSITY_COLUMNS = (
    "nip", "participant_name", "program_name", "program_type", "degree_level", "start_date", "end_date",
    "status", "credits", "gpa", "grade_letter", "final_score",
)  # fmt: skip

TRAINING = Family(
    name="training",
    id_key="vendor",
    table="training_participation",
    entity="participation",
    constant_column="_vendor",
    columns=TRAINING_COLUMNS,
    mandatory=("nip", "program_name", "start_date", "duration_value", "completion_status"),
    code_lists={
        "program_type": TRAINING_PROGRAM_TYPES,
        "completion_status": ("passed", "failed", "withdrawn", "not_completed"),
        "duration_unit": DURATION_UNITS,
    },
    needs_duration_unit=True,
)
UNIVERSITY = Family(
    name="university",
    id_key="university",
    table="university_programme",
    entity="programme",
    constant_column="_university",
    columns=UNIVERSITY_COLUMNS,
    mandatory=("nip", "program_name", "program_type", "start_date", "end_date", "status"),
    code_lists={
        "program_type": ("tugas_belajar", "izin_belajar", "magang", "kursus_singkat"),
        "status": ("active", "passed", "failed", "withdrawn"),
    },
)
FAMILIES = {family.name: family for family in (TRAINING, UNIVERSITY)}

TOP_KEYS = {
    "name", "landing_folder", "file_pattern", "format", "columns", "ignore", "constants", "dates", "codes",
    "ranges", "decimal_comma", "required", "key", "duration_unit", "optional",
}  # fmt: skip
FORMAT_KEYS = {
    "csv": {"type", "delimiter", "encodings"},
    "xlsx": {"type", "sheet", "header_row"},
    "json": {"type", "list_key", "count_key", "encodings"},
    "jsonl": {"type", "encodings"},
}


@dataclass(frozen=True)
class Mapping:
    path: Path
    family: Family
    source_id: str  # vendor or university id
    name: str
    landing_folder: str
    file_pattern: str
    file_format: FileFormat
    columns: dict[str, str]  # canonical -> source column (or dotted JSON key)
    ignore: tuple[str, ...]
    constants: dict[str, str]
    dates: dict[str, str]
    codes: dict[str, dict[str, str]]
    ranges: dict[str, NumberRange]
    decimal_comma: tuple[str, ...]
    required: tuple[str, ...]
    key: tuple[str, ...]
    optional: tuple[str, ...]  # canonical fields whose source column a file may leave out

    @property
    def source(self) -> str:
        return f"{self.family.name}_{self.source_id}"


def _fail(path: Path, field: str, problem: str) -> MappingError:
    return MappingError(f"mapping {path}: field {field}: {problem}")


def _text_list(path: Path, field: str, value, allow_empty: bool = True) -> tuple[str, ...]:
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(path, field, f"must be a list of names (quote YES/NO/ON/OFF), not {value!r}")
    if not value and not allow_empty:
        raise _fail(path, field, "must not be empty")
    return tuple(value)


def _text_map(path: Path, field: str, value) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail(path, field, "must be a mapping")
    result = {}
    for name, item in value.items():
        if isinstance(item, bool) or item is None or isinstance(item, dict | list):
            raise _fail(path, f"{field}.{name}", f"must be a text value, not {item!r}")
        result[str(name)] = str(item)
    return result


def _file_format(path: Path, spec, dates: dict[str, str], columns: dict[str, str]) -> FileFormat:
    if not isinstance(spec, dict) or "type" not in spec:
        raise _fail(path, "format", "must be a mapping with a type (csv, xlsx, json or jsonl)")
    kind = spec["type"]
    if kind not in FORMAT_KEYS:
        raise _fail(path, "format.type", f"unknown format {kind!r} (known: {', '.join(FORMAT_KEYS)})")
    unknown = sorted(set(spec) - FORMAT_KEYS[kind])
    if unknown:
        raise _fail(
            path, f"format.{unknown[0]}", f"unknown option for {kind} (known: {', '.join(sorted(FORMAT_KEYS[kind]))})"
        )
    encodings = _text_list(path, "format.encodings", spec.get("encodings", ["utf-8"]), allow_empty=False)
    if kind == "csv":
        delimiter = spec.get("delimiter", ",")
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            raise _fail(path, "format.delimiter", f"must be one character, not {delimiter!r}")
        return DelimitedFormat(delimiter=delimiter, encodings=encodings, header_case_insensitive=False)
    if kind == "xlsx":
        header_row = spec.get("header_row", 1)
        if not isinstance(header_row, int) or header_row < 1:
            raise _fail(path, "format.header_row", f"must be a sheet row number from 1, not {header_row!r}")
        sheet = spec.get("sheet")
        if sheet is not None and not isinstance(sheet, str):
            raise _fail(path, "format.sheet", "must be a sheet name")
        text_dates = {columns[name]: fmt if fmt != checks.ISO_DATETIME else "%Y-%m-%d" for name, fmt in dates.items()}
        return XlsxFormat(sheet=sheet, header_row=header_row, date_formats=tuple(text_dates.items()))
    if kind == "json":
        if not isinstance(spec.get("list_key"), str):
            raise _fail(path, "format.list_key", "names the document's list of records and is required for json")
        return JsonFormat(list_key=spec["list_key"], count_key=spec.get("count_key"), encodings=encodings)
    return JsonLinesFormat(encodings=encodings)


def _duration_unit(path: Path, spec) -> str:
    """The unit the vendor counts durations in, declared with the reason it is that unit: a "jam" in a
    recap can be a JP or a clock hour, and only the vendor's own definition tells which."""
    if not isinstance(spec, dict) or set(spec) != {"unit", "reason"}:
        raise _fail(path, "duration_unit", f"must be {{unit: {' | '.join(DURATION_UNITS)}, reason: ...}}, not {spec!r}")
    unit, reason = spec["unit"], spec["reason"]
    if unit not in DURATION_UNITS:
        raise _fail(path, "duration_unit.unit", f"must be one of {', '.join(DURATION_UNITS)}, not {unit!r}")
    if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
        raise _fail(path, "duration_unit.reason", "one line saying why the vendor's figures are in this unit")
    return unit


def load_mapping(path: Path, family: Family) -> Mapping:
    """Read and check one mapping file; every problem names the file and the field."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MappingError(f"mapping {path}: not valid YAML: {exc}") from None
    if not isinstance(document, dict):
        raise MappingError(f"mapping {path}: must be a YAML mapping of fields")
    known = TOP_KEYS | {family.id_key}
    for name in document:
        if name not in known:
            raise _fail(path, str(name), f"unknown key (known: {', '.join(sorted(known))})")
    for name in (family.id_key, "landing_folder", "file_pattern", "format", "columns", "required", "key"):
        if name not in document:
            raise _fail(path, name, "is required")
    if family.needs_duration_unit and "duration_unit" not in document:
        raise _fail(path, "duration_unit", f"is required: {{unit: {' | '.join(DURATION_UNITS)}, reason: ...}}")
    if not family.needs_duration_unit and "duration_unit" in document:
        raise _fail(path, "duration_unit", f"a {family.name} sends no duration (JP credit is the seed's)")
    source_id = document[family.id_key]
    if not isinstance(source_id, str) or not source_id.isidentifier() or source_id.lower() != source_id:
        raise _fail(path, family.id_key, f"must be a lower-case identifier, not {source_id!r}")

    columns = _text_map(path, "columns", document["columns"])
    constants = _text_map(path, "constants", document.get("constants"))
    for name in [*columns, *constants]:
        if name not in family.columns:
            raise _fail(path, f"columns.{name}", f"is not a canonical column of raw.{family.table}")
    if family.needs_duration_unit:
        constants["duration_unit"] = _duration_unit(path, document["duration_unit"])
    for name in family.mandatory:
        if name not in columns:
            raise _fail(path, f"columns.{name}", "required canonical field is not mapped to a source column")
    filled = {*columns, *constants}

    dates = _text_map(path, "dates", document.get("dates"))
    for name, fmt in dates.items():
        if name not in columns:
            raise _fail(path, f"dates.{name}", "is not a mapped column")
        if fmt not in DATE_FORMATS:
            raise _fail(path, f"dates.{name}", f"unknown date format {fmt!r} (known: {', '.join(DATE_FORMATS)})")
    for name in ("start_date", "end_date"):
        if name in columns and name not in dates:
            raise _fail(path, f"dates.{name}", "the date format of a mapped date column is required")

    codes_spec = document.get("codes") or {}
    if not isinstance(codes_spec, dict):
        raise _fail(path, "codes", "must map canonical columns to {source value: canonical value}")
    codes: dict[str, dict[str, str]] = {}
    for name, translation in codes_spec.items():
        if name not in columns:
            raise _fail(path, f"codes.{name}", "is not a mapped column")
        codes[name] = _text_map(path, f"codes.{name}", translation)
        allowed = family.code_lists.get(name)
        for value, canonical in codes[name].items():
            if allowed is not None and canonical not in allowed:
                raise _fail(path, f"codes.{name}.{value}", f"{canonical!r} is not one of {', '.join(allowed)}")
    for name, allowed in family.code_lists.items():
        if name in columns and name not in codes:
            raise _fail(path, f"codes.{name}", f"a translation to {', '.join(allowed)} is required")

    ranges_spec = document.get("ranges") or {}
    if not isinstance(ranges_spec, dict):
        raise _fail(path, "ranges", "must map canonical columns to {min, max, whole}")
    decimal_comma = _text_list(path, "decimal_comma", document.get("decimal_comma"))
    for name in decimal_comma:
        if name not in columns:
            raise _fail(path, f"decimal_comma.{name}", "is not a mapped column")
    ranges: dict[str, NumberRange] = {}
    for name, spec in ranges_spec.items():
        if name not in columns:
            raise _fail(path, f"ranges.{name}", "is not a mapped column")
        if not isinstance(spec, dict) or set(spec) - {"min", "max", "whole"} or {"min", "max"} - set(spec):
            raise _fail(path, f"ranges.{name}", "must be {min: number, max: number, whole: true|false}")
        if not all(isinstance(spec[bound], int | float) for bound in ("min", "max")):
            raise _fail(path, f"ranges.{name}", "min and max must be numbers")
        ranges[name] = NumberRange(spec["min"], spec["max"], bool(spec.get("whole", True)), name in decimal_comma)

    required = _text_list(path, "required", document["required"])
    for name in required:
        if name not in filled:
            raise _fail(path, f"required.{name}", "is not a mapped column")
    key = _text_list(path, "key", document["key"], allow_empty=False)
    for name in key:
        if name not in filled:
            raise _fail(path, f"key.{name}", "is not a mapped column")
    optional = _text_list(path, "optional", document.get("optional"))
    for name in optional:
        if name not in columns:
            raise _fail(path, f"optional.{name}", "is not a mapped column")
        if name in (*required, *key, *family.mandatory):
            raise _fail(path, f"optional.{name}", "a required, key or mandatory field cannot be optional")
    ignore = _text_list(path, "ignore", document.get("ignore"))
    for name in ("landing_folder", "file_pattern", "name"):
        if name in document and not isinstance(document[name], str):
            raise _fail(path, name, "must be text")
    return Mapping(
        path=path,
        family=family,
        source_id=source_id,
        name=document.get("name", source_id),
        landing_folder=document["landing_folder"],
        file_pattern=document["file_pattern"],
        file_format=_file_format(path, document["format"], dates, columns),
        columns=columns,
        ignore=ignore,
        constants=constants,
        dates=dates,
        codes=codes,
        ranges=ranges,
        decimal_comma=decimal_comma,
        required=required,
        key=key,
        optional=optional,
    )


def entity_from_mapping(mapping: Mapping) -> SourceEntity:
    family = mapping.family
    contract = build_contract(
        entity=f"{family.table}:{mapping.source_id}",
        columns=family.columns,
        required=mapping.required,
        key=mapping.key,
        nip=("nip",),
        dates=mapping.dates,
        codes={name: list(translation) for name, translation in mapping.codes.items()},
        ranges=mapping.ranges,
        optional=mapping.optional,
    )
    optional_columns = [mapping.columns[name] for name in mapping.optional]

    def check_header(header: list[str], path: Path) -> list[str]:
        present = set(header)
        expected = set(mapping.columns.values()) | set(mapping.ignore)
        if not present & expected:
            raise FileRejected(NO_HEADER)
        for canonical, column in mapping.columns.items():
            if column not in present and column not in optional_columns:
                raise FileRejected(
                    f"mapping {mapping.path.name}: field {canonical} expects column {column!r} not found in {path.name}"
                )
        unexpected = [name for name in header if name not in expected]
        if unexpected:
            raise FileRejected(
                f"unexpected columns: {', '.join(unexpected)} (neither mapped nor ignored by {mapping.path.name})"
            )
        duplicated = sorted({name for name in header if header.count(name) > 1})
        if duplicated:
            raise FileRejected(f"duplicated columns: {', '.join(duplicated)}")
        return [column for column in optional_columns if column not in present]

    def transform(table: pa.Table) -> pa.Table:
        rows = table.num_rows
        arrays = []
        for name in family.columns:
            if name in mapping.columns:
                arrays.append(checks.tidy_text(table[mapping.columns[name]]))
            elif name in mapping.constants:
                arrays.append(pa.array([mapping.constants[name]] * rows, pa.string()))
            else:
                arrays.append(pa.nulls(rows, pa.string()))
        return pa.Table.from_arrays(arrays, names=list(family.columns))

    def finalise(table: pa.Table) -> pa.Table:
        for name in family.columns:
            values = table[name]
            if name in mapping.dates:
                values = checks.to_iso_date(values, mapping.dates[name])
            if name in mapping.codes:
                values = checks.translate(values, mapping.codes[name])
            if name in mapping.decimal_comma:
                values = pc.replace_substring(values, ",", ".")
            if values is not table[name]:
                table = table.set_column(table.column_names.index(name), name, values)
        return table

    return SourceEntity(
        source=mapping.source,
        entity=family.entity,
        landing_subdir=mapping.landing_folder,
        file_pattern=mapping.file_pattern,
        file_format=mapping.file_format,
        contract=contract,
        transform=transform,
        finalise=finalise,
        check_header=check_header,
        constants=((family.constant_column, mapping.source_id),),
        table=family.table,
        description=mapping.name,
    )


def load_family(family: Family, directory: Path | None = None) -> dict[str, Mapping]:
    """Every mapping of a family, by source id; a broken mapping fails here, naming its file and field."""
    folder = (directory or MAPPINGS_DIR) / family.name
    mappings: dict[str, Mapping] = {}
    for path in sorted(folder.glob("*.yml")):
        mapping = load_mapping(path, family)
        if mapping.source in mappings:
            raise _fail(
                path, family.id_key, f"{mapping.source_id!r} is also declared by {mappings[mapping.source].path}"
            )
        mappings[mapping.source] = mapping
    return mappings


@cache
def mapped_sources(directory: Path | None = None) -> dict[str, Mapping]:
    """Every mapped source (training vendors, universities) by source id, e.g. ``training_lan_ri``."""
    result: dict[str, Mapping] = {}
    for family in FAMILIES.values():
        result.update(load_family(family, directory))
    return result
