"""Readers for the landing formats. Each turns a file into batches of Arrow string columns named as in the
file, with the 1-based data-row number of every row and the rows that could not be parsed at all, with the
rule they broke (``malformed_row``; for delimited text also the rules of ``records``), which the loader
quarantines. A file that cannot be read at all raises ``FileRejected``."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import ParseError

import ijson
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from pembina.ingest import records
from pembina.ingest.files import delimited_encoding, detect_encoding, is_utf8, read_header
from pembina.sources.base import DelimitedFormat, FileFormat, FileRejected, JsonFormat, JsonLinesFormat, XlsxFormat

BLOCK_BYTES = 1 << 20
CHUNK_BYTES = 8 << 20
MAX_LINE_BYTES = 64 << 20
XLSX_CHUNK_ROWS = 50_000
JSON_CHUNK_ROWS = 50_000  # records parsed at a time: held as Python objects until Arrow takes them, ~1 KB each
# what a damaged workbook raises from openpyxl, zipfile or the XML parser (named in the reason; its text,
# which may quote the workbook's content, is not)
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    ParseError,
    TypeError,
)


@dataclass
class Batch:
    table: pa.Table  # string columns, named as in the file
    row_numbers: np.ndarray  # int32, 1-based data-row numbers of the table's rows
    malformed: list[records.SetAside] = field(default_factory=list)


@dataclass
class OpenedFile:
    encoding: str | None
    columns: list[str]
    batches: Iterator[Batch]


def open_file(fmt: FileFormat, path: Path) -> OpenedFile:
    """Check the file as a whole (encoding, header, structure) and return its batches."""
    if isinstance(fmt, DelimitedFormat):
        return _open_delimited(fmt, path)
    if isinstance(fmt, XlsxFormat):
        return _open_xlsx(fmt, path)
    if isinstance(fmt, JsonFormat):
        return _open_json(fmt, path)
    if isinstance(fmt, JsonLinesFormat):
        return _open_json_lines(fmt, path)
    raise TypeError(f"no reader for {fmt!r}")


# -- delimited text ---------------------------------------------------------------------------------------


def _open_delimited(fmt: DelimitedFormat, path: Path) -> OpenedFile:
    encoding = delimited_encoding(path, fmt.encodings)
    header = read_header(path, encoding, fmt.delimiter, fmt.header_case_insensitive)
    return OpenedFile(encoding, header, _delimited_batches(fmt, path, encoding, header))


def _delimited_batches(fmt: DelimitedFormat, path: Path, encoding: str, header: list[str]) -> Iterator[Batch]:
    """Parsed in blocks of ``BLOCK_BYTES`` (Arrow's parser is fastest on blocks that stay in the CPU cache)
    and handed on in chunks of about ``CHUNK_BYTES`` (the checks cost a little Python per chunk). Rows are
    numbered by their record (``records``: 1 = the first record after the header)."""
    invalid: list[tuple[int, int, str]] = []  # (Arrow's number: the n-th non-blank record, fields, text)

    def on_invalid_row(row) -> str:
        invalid.append((row.number, row.actual_columns, row.text))
        return "skip"

    parse_options = pv.ParseOptions(delimiter=fmt.delimiter, invalid_row_handler=on_invalid_row)
    # The records Arrow sees are valid UTF-8 (checked while hashing, or set aside by the scanner), so Arrow's
    # own UTF-8 validation would repeat it at a quarter of the parser's speed.
    convert_options = pv.ConvertOptions(
        column_types=dict.fromkeys(header, pa.string()), check_utf8=False, strings_can_be_null=True
    )

    def parse(piece: records.Piece) -> pa.Table:
        invalid.clear()
        data = piece.data if scanner.utf8 else piece.data.decode(encoding).encode("utf-8")
        if not data.strip(b"\r\n"):
            return pa.table({name: pa.array([], pa.string()) for name in header})
        return pv.read_csv(
            pa.py_buffer(data),
            # one Arrow block for the whole piece: a row longer than BLOCK_BYTES is read whole
            read_options=pv.ReadOptions(column_names=header, block_size=len(data) + 1, use_threads=False),
            parse_options=parse_options,
            convert_options=convert_options,
        )

    scanner = records.Scanner(fmt.delimiter, len(header), encoding, clean_utf8=is_utf8(path))
    tables: list[pa.Table] = []
    numbers: list[np.ndarray] = []
    malformed: list[records.SetAside] = []
    gathered = 0
    for piece in scanner.pieces(_line_blocks(path)):
        table = parse(piece)
        found = table.num_rows + len(invalid)
        if piece.numbers is None:
            lines = piece.data.count(b"\n") + piece.open_end
            first = piece.first_number
            if found == lines:
                record_numbers = np.arange(first, first + lines, dtype=np.int32)
            else:
                record_numbers = first + records.non_blank_lines(piece.data)
        else:
            in_step = _in_step(piece, table, invalid)
            if not in_step and piece.scan is not None:
                piece = piece.scan.piece(unclosed=True)  # a quote Arrow reads past a line end: set it aside
                table = parse(piece)
                in_step = _in_step(piece, table, invalid)
            if not in_step:
                raise FileRejected(f"the records from file offset {piece.offset} could not be told apart")
            record_numbers = piece.numbers
        malformed += piece.set_aside
        if invalid:
            skipped = np.array([number - 1 for number, _, _ in invalid])
            last = len(record_numbers) - 1
            malformed += [
                _unparsed(int(record_numbers[index]), fields, len(header), text, piece.open_end and index == last)
                for index, (_, fields, text) in zip(skipped, invalid, strict=True)
            ]
            record_numbers = np.delete(record_numbers, skipped)
        tables.append(table)
        numbers.append(record_numbers)
        gathered += len(piece.data)
        if gathered >= CHUNK_BYTES:
            yield Batch(pa.concat_tables(tables), np.concatenate(numbers), malformed)
            tables, numbers, malformed, gathered = [], [], [], 0
    if tables:
        yield Batch(pa.concat_tables(tables), np.concatenate(numbers), malformed)


def _in_step(piece: records.Piece, table: pa.Table, invalid: list[tuple[int, int, str]]) -> bool:
    """Whether Arrow found the scanner's records; removes the sentinels from ``invalid``, renumbered."""
    sentinel = records.SENTINEL[:-1].decode()
    found = [number for number, _, text in invalid if text == sentinel]
    invalid[:] = [
        (number - int(np.searchsorted(piece.sentinels, number)), fields, text)
        for number, fields, text in invalid
        if text != sentinel
    ]
    return found == piece.sentinels.tolist() and table.num_rows + len(invalid) == len(piece.numbers)


def _unparsed(number: int, fields: int, expected: int, text: str, last_unterminated: bool) -> records.SetAside:
    if last_unterminated and fields < expected:
        message = f"the file ends inside this record: no line end, {fields} of the header's {expected} fields"
        return records.SetAside(number, records.TRUNCATED_ROW, message, text)
    message = f"the row has {fields} field{'s' if fields != 1 else ''} where the header has {expected}"
    return records.SetAside(number, records.MALFORMED_ROW, message, text)


def _line_blocks(path: Path) -> Iterator[tuple[bytes, int, bool]]:
    """The file's data records (header skipped) as raw bytes, in blocks of about ``BLOCK_BYTES`` that end
    at a line end, each with its offset in the file and whether the file ends with it. The blocks are cut
    here rather than by Arrow's streaming reader, which reads up to 32 blocks ahead of its parser: memory
    that grows with the block size and gains nothing on a two-core machine."""
    carry = b""
    offset = 0  # of ``carry`` in the file
    header_skipped = False
    with path.open("rb") as source:
        while True:
            raw = source.read(BLOCK_BYTES)
            data = carry + raw
            if not header_skipped:
                end_of_header = data.find(b"\n")
                if end_of_header < 0 and raw:
                    carry = data
                    continue
                offset = end_of_header + 1 if end_of_header >= 0 else len(data)
                data = data[offset:]
                header_skipped = True
            if not raw:
                if data.strip(b"\r\n"):  # the last line, without a line end
                    yield data, offset, True
                return
            cut = data.rfind(b"\n") + 1
            if cut == 0:  # a row longer than a block: read on until it ends
                if len(data) > MAX_LINE_BYTES:
                    raise FileRejected(f"a line runs past {MAX_LINE_BYTES >> 20} MB: not a delimited export")
                carry = data
                continue
            yield data[:cut], offset, False
            carry, offset = data[cut:], offset + cut


_BEYOND_HEADER = "the row has values in columns beyond the header"


def _not_an_object(number: int, text: str) -> records.SetAside:
    return records.SetAside(number, records.MALFORMED_ROW, "the record is not a JSON object", text)


# -- cell and JSON values as text ------------------------------------------------------------------------


def _text(value, date_format: str = "%Y-%m-%d") -> str | None:
    """A cell or JSON value as the text a CSV would have carried."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):  # a JSON fraction as ijson reads it: the float json.loads would give
        value = float(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime(date_format)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.strftime(date_format)
    if isinstance(value, dt.time):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=float)  # a list: kept as JSON text


def _columns_table(names: list[str], columns: dict[str, list]) -> pa.Table:
    return pa.table({name: pa.array(columns[name], pa.string()) for name in names})


# -- XLSX -----------------------------------------------------------------------------------------------


def _open_xlsx(fmt: XlsxFormat, path: Path) -> OpenedFile:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.stat().st_size == 0:
        raise FileRejected("the file is empty")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, *_XLSX_ERRORS) as exc:
        raise FileRejected(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    if fmt.form is not None and fmt.sheet not in workbook.sheetnames:
        return _open_form_sheets(fmt, workbook)
    try:
        sheet = workbook[fmt.sheet] if fmt.sheet else workbook.active
    except KeyError:
        workbook.close()
        raise FileRejected(f"sheet {fmt.sheet!r} not found (sheets: {', '.join(workbook.sheetnames)})") from None
    rows = sheet.iter_rows(min_row=fmt.header_row, values_only=True)
    try:
        header_cells = next(rows, None)
    except _XLSX_ERRORS as exc:
        workbook.close()
        raise FileRejected(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    if header_cells is None or all(cell in (None, "") for cell in header_cells):
        workbook.close()
        raise FileRejected(f"sheet {sheet.title!r} row {fmt.header_row} (the header) is empty")
    header = [str(cell).strip() if cell is not None else "" for cell in header_cells]
    while header and header[-1] == "":
        header.pop()
    return OpenedFile(None, header, _xlsx_batches(fmt, workbook, rows, header))


def _xlsx_batches(fmt: XlsxFormat, workbook, rows, header: list[str]) -> Iterator[Batch]:
    width = len(header)
    formats = [dict(fmt.date_formats).get(name, "%Y-%m-%d") for name in header]
    columns: dict[str, list] = {name: [] for name in header}
    numbers: list[int] = []
    malformed: list[records.SetAside] = []
    try:
        for number, cells in enumerate(rows, start=1):
            if cells is None or all(cell is None or cell == "" for cell in cells):
                continue  # an empty sheet row carries no data
            if len(cells) > width and any(cell not in (None, "") for cell in cells[width:]):
                text = json.dumps([_text(cell) for cell in cells], ensure_ascii=False)
                malformed.append(records.SetAside(number, records.MALFORMED_ROW, _BEYOND_HEADER, text))
            else:
                for position, name in enumerate(header):
                    cell = cells[position] if position < len(cells) else None
                    columns[name].append(_text(cell, formats[position]))
                numbers.append(number)
            if len(numbers) >= XLSX_CHUNK_ROWS:
                yield Batch(_columns_table(header, columns), np.array(numbers, np.int32), malformed)
                columns, numbers, malformed = {name: [] for name in header}, [], []
    except _XLSX_ERRORS as exc:
        raise FileRejected(f"the workbook is corrupt past its header ({type(exc).__name__})") from None
    finally:
        workbook.close()
    if numbers or malformed:
        yield Batch(_columns_table(header, columns), np.array(numbers, np.int32), malformed)


def _label(cell) -> str:
    return str(cell).strip() if cell is not None else ""


def _form_block(fmt: XlsxFormat, sheet) -> dict[str, object]:
    """The label / value pairs of a form sheet's first ``block_rows`` rows (blank labels skipped)."""
    block: dict[str, object] = {}
    for cells in sheet.iter_rows(min_row=1, max_row=fmt.form.block_rows, max_col=2, values_only=True):
        label = _label(cells[0]) if cells else ""
        if label:
            block[label] = cells[1] if len(cells) > 1 else None
    return block


def _form_table_header(fmt: XlsxFormat, sheet) -> list[str]:
    row = fmt.form.table_header_row
    cells = next(sheet.iter_rows(min_row=row, max_row=row, values_only=True), None) or ()
    header = [_label(cell) for cell in cells]
    while header and header[-1] == "":
        header.pop()
    return header


def _open_form_sheets(fmt: XlsxFormat, workbook) -> OpenedFile:
    form = fmt.form
    try:
        sheets = list(workbook.worksheets)
        first = sheets[0]
        if form.table_header_row is None:
            header = list(_form_block(fmt, first))
        else:
            header = [*form.carry, *_form_table_header(fmt, first)]
    except _XLSX_ERRORS as exc:
        workbook.close()
        raise FileRejected(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    if not header or (form.table_header_row is not None and len(header) == len(form.carry)):
        workbook.close()
        raise FileRejected(f"sheet {first.title!r} holds no form (no labels in its first {form.block_rows} rows)")
    return OpenedFile(None, header, _form_batches(fmt, workbook, sheets, header))


def _form_batches(fmt: XlsxFormat, workbook, sheets, header: list[str]) -> Iterator[Batch]:
    """Every sheet's records in one batch (a forum workbook holds tens of sheets, not thousands of rows).
    A sheet whose labels or table header differ from the first sheet's is set aside whole, row by row."""
    form = fmt.form
    formats = dict(fmt.date_formats)
    columns: dict[str, list] = {name: [] for name in header}
    numbers: list[int] = []
    malformed: list[records.SetAside] = []
    number = 0

    def add(record: dict) -> None:
        for name in header:
            columns[name].append(_text(record.get(name), formats.get(name, "%Y-%m-%d")))
        numbers.append(number)

    try:
        for sheet in sheets:
            block = _form_block(fmt, sheet)
            if form.table_header_row is None:
                number += 1
                if list(block) != header:
                    text = json.dumps({k: _text(v) for k, v in block.items()}, ensure_ascii=False)
                    message = f"sheet {sheet.title!r}: its labels differ from those of the first sheet"
                    malformed.append(records.SetAside(number, records.MALFORMED_ROW, message, text))
                else:
                    add(block)
                continue
            table_header = _form_table_header(fmt, sheet)
            carried = {label: block.get(label) for label in form.carry}
            same = table_header == header[len(form.carry) :] and all(label in block for label in form.carry)
            width = len(table_header)
            for cells in sheet.iter_rows(min_row=form.table_header_row + 1, values_only=True):
                if cells is None or all(cell is None or cell == "" for cell in cells):
                    continue
                number += 1
                beyond = len(cells) > width and any(cell not in (None, "") for cell in cells[width:])
                if not same or beyond:
                    text = json.dumps([_text(cell) for cell in cells], ensure_ascii=False)
                    reason = (
                        _BEYOND_HEADER if same else f"sheet {sheet.title!r}: its form differs from the first sheet's"
                    )
                    malformed.append(records.SetAside(number, records.MALFORMED_ROW, reason, text))
                    continue
                add({**carried, **dict(zip(table_header, cells, strict=False))})
    except _XLSX_ERRORS as exc:
        raise FileRejected(f"the workbook is corrupt past its first form ({type(exc).__name__})") from None
    finally:
        workbook.close()
    yield Batch(_columns_table(header, columns), np.array(numbers, np.int32), malformed)


_SCALAR_TYPES = (pa.types.is_string, pa.types.is_integer, pa.types.is_floating, pa.types.is_boolean, pa.types.is_null)


# -- JSON -----------------------------------------------------------------------------------------------
# A JSON or JSON lines file is read twice, streaming both times, so that memory holds a batch, not the file.
# The first pass checks the file as a whole (syntax, structure, the declared count) and finds the columns,
# the keys of every record: a file is rejected before any of it is loaded, and a key first seen in the
# last record is a column of every batch. The second pass hands the records on in batches.

_FILE_CHANGED = "the file changed while it was read"


def _flatten(record: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


class _Keys:
    """The flattened keys of JSON records, in order of first appearance. A record holding no object whose
    keys were seen before in that order costs a set lookup."""

    def __init__(self):
        self.names: dict[str, None] = {}
        self._flat_shapes: set[tuple] = set()

    def see(self, record: dict) -> dict:
        """The record flattened (itself when it holds no object), its keys noted."""
        if dict in map(type, record.values()):
            flat = _flatten(record)
            self.names.update(dict.fromkeys(flat))
            return flat
        shape = tuple(record)
        if shape not in self._flat_shapes:
            self._flat_shapes.add(shape)
            self.names.update(dict.fromkeys(shape))
        return record


class _RecordColumns:
    """A batch of flattened JSON records gathered into text columns. A column is built by Arrow from the
    Python values and cast to text when its values share a scalar type (the usual case), value by value
    otherwise."""

    def __init__(self):
        self.keys = _Keys()
        self.records: list[dict] = []
        self.numbers: list[int] = []
        self.malformed: list[records.SetAside] = []
        self._shapes: set[tuple] = set()  # the records' keys, in order

    def __len__(self) -> int:
        return len(self.records) + len(self.malformed)

    def add(self, number: int, record: dict) -> None:
        flat = self.keys.see(record)
        self._shapes.add(tuple(flat))
        self.records.append(flat)
        self.numbers.append(number)

    def _values(self, names: list[str]) -> dict[str, Sequence]:
        """Each column's values; when every record has the same keys in the same order (the usual case),
        transposed by ``zip`` rather than looked up record by record."""
        if len(self._shapes) == 1:
            [shape] = self._shapes
            return dict(zip(shape, zip(*map(dict.values, self.records), strict=True), strict=True))
        return {name: [record.get(name) for record in self.records] for name in names}

    @staticmethod
    def _column(values: Sequence) -> pa.Array:
        try:
            array = pa.array(values)
            if any(test(array.type) for test in _SCALAR_TYPES):
                return pc.cast(array, pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            pass
        return pa.array([_text(value) for value in values], pa.string())

    def batch(self, names: list[str] | None = None) -> Batch:
        """The batch with columns ``names`` (a record without one of them holds a missing value there), or
        with its own records' keys."""
        if names is None:
            names = list(self.keys.names)
        elif not self.keys.names.keys() <= set(names):
            raise FileRejected(_FILE_CHANGED)
        values = self._values(names)
        missing = pa.nulls(len(self.records), pa.string())
        columns = {name: self._column(values[name]) if name in values else missing for name in names}
        return Batch(pa.table(columns), np.array(self.numbers, np.int32), self.malformed)


def _open_json(fmt: JsonFormat, path: Path) -> OpenedFile:
    encoding = detect_encoding(path, fmt.encodings)
    _check_json_document(path, encoding)
    keys = _Keys()
    read = 0
    for _, record in _json_records(path, encoding, fmt.list_key):
        read += 1
        if isinstance(record, dict):
            keys.see(record)
    if read == 0:
        _check_json_list(path, encoding, fmt.list_key)
    if fmt.count_key is not None:
        declared = _json_top_level_value(path, encoding, fmt.count_key)
        if declared != read:
            raise FileRejected(
                f"{fmt.count_key}={declared!r} but {fmt.list_key!r} holds {read} records: truncated or inconsistent"
            )
    names = list(keys.names)
    return OpenedFile(encoding, names, _json_document_batches(path, encoding, fmt.list_key, names))


def _json_document_batches(path: Path, encoding: str, list_key: str, names: list[str]) -> Iterator[Batch]:
    chunk = _RecordColumns()
    handed_on = False
    for number, record in _json_records(path, encoding, list_key):
        if isinstance(record, dict):
            chunk.add(number, record)
        else:
            chunk.malformed.append(_not_an_object(number, json.dumps(record, ensure_ascii=False, default=float)))
        if len(chunk) >= JSON_CHUNK_ROWS:
            yield chunk.batch(names)
            chunk, handed_on = _RecordColumns(), True
    if len(chunk) or not handed_on:
        yield chunk.batch(names)


def _json_source(path: Path, encoding: str):
    """The file as ijson reads it: bytes when UTF-8 (ijson's C parser reads UTF-8), else decoded text."""
    if encoding.replace("-", "").lower() in ("utf8", "ascii"):
        return path.open("rb")
    return path.open(encoding=encoding, newline="")


def _malformed_json(exc: ijson.JSONError, where: str) -> FileRejected:
    """The parser's reason without the excerpt of the file it quotes (which may be a person's record)."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return FileRejected(f"malformed JSON: {reason.removeprefix('parse error: ')} {where}")


def _json_records(path: Path, encoding: str, list_key: str) -> Iterator[tuple[int, object]]:
    """The records of the document's list, numbered from 1, parsed as the file is read."""
    number = 0
    with _json_source(path, encoding) as source:
        try:
            for number, record in enumerate(ijson.items(source, f"{list_key}.item"), start=1):
                yield number, record
        except ijson.JSONError as exc:
            raise _malformed_json(exc, f"(after record {number} of {list_key!r})") from None


def _json_kind(event: str, value) -> str:
    """The Python type name of the JSON value an ijson event starts, as the rejections name it."""
    kinds = {"start_map": "dict", "start_array": "list", "string": "str", "boolean": "bool", "null": "NoneType"}
    return kinds.get(event) or type(value).__name__


def _check_json_document(path: Path, encoding: str) -> None:
    with _json_source(path, encoding) as source:
        try:
            _, event, value = next(ijson.parse(source))
        except ijson.JSONError as exc:
            raise _malformed_json(exc, "(at the start of the document)") from None
    if event != "start_map":
        raise FileRejected(f"the JSON document is a {_json_kind(event, value)}, not an object")


def _check_json_list(path: Path, encoding: str, list_key: str) -> None:
    """Why the document's list gave no record, unless it is an empty list."""
    keys = []
    with _json_source(path, encoding) as source:
        events = ijson.parse(source)
        for prefix, event, value in events:
            if prefix == "" and event == "map_key":
                keys.append(value)
                if value == list_key:
                    _, kind, first = next(events)
                    if kind == "start_array":
                        return
                    raise FileRejected(f"{list_key!r} is a {_json_kind(kind, first)}, not a list")
    raise FileRejected(f"the JSON document has no {list_key!r} list (keys: {', '.join(keys)})")


def _json_top_level_value(path: Path, encoding: str, key: str):
    """The value of one of the document's own keys (None when absent); read up to it, or to the end."""
    with _json_source(path, encoding) as source:
        return next(ijson.items(source, key), None)


def _open_json_lines(fmt: JsonLinesFormat, path: Path) -> OpenedFile:
    encoding = detect_encoding(path, fmt.encodings)
    names: dict[str, None] = {}
    objects = set_aside = 0
    for batch in _json_lines_batches(path, encoding, as_text=False):  # the columns, not yet their text
        names.update(dict.fromkeys(batch.table.column_names))
        objects += len(batch.row_numbers)
        set_aside += len(batch.malformed)
    if not objects and not set_aside:
        raise FileRejected("the file holds no JSON record")
    if not objects:
        raise FileRejected(f"no line is a JSON object ({set_aside} lines read)")
    batches = _with_columns(_json_lines_batches(path, encoding), list(names))
    return OpenedFile(encoding, list(names), batches)


def _with_columns(batches: Iterator[Batch], names: list[str]) -> Iterator[Batch]:
    """The batches with the file's columns, in its order; a column a batch lacks holds missing values."""
    for batch in batches:
        table = batch.table
        if not set(table.column_names) <= set(names):
            raise FileRejected(_FILE_CHANGED)
        missing = pa.nulls(table.num_rows, pa.string())
        columns = {name: table[name] if name in table.column_names else missing for name in names}
        yield Batch(pa.table(columns), batch.row_numbers, batch.malformed)


def _json_lines_batches(path: Path, encoding: str, as_text: bool = True) -> Iterator[Batch]:
    """The file's records in batches, each with the columns of its own records, lines numbered from 1. A
    UTF-8 file is read in blocks of about ``CHUNK_BYTES`` by Arrow's JSON reader, a block it cannot read
    line by line; a file in another encoding line by line, ``JSON_CHUNK_ROWS`` lines a batch. Without
    ``as_text`` Arrow's columns keep the types it inferred (which costs a second parse for timestamps)."""
    before = 0  # lines before the batch
    if encoding.replace("-", "").lower() in ("utf8", "ascii"):
        for block in _json_line_blocks(path):
            table = _json_lines_fast(block, as_text)
            if table is not None:
                lines = block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
                yield Batch(table, np.arange(before + 1, before + lines + 1, dtype=np.int32))
            else:
                batch, lines = _json_lines_parsed(io.StringIO(block.decode("utf-8"), newline=""), before)
                yield batch
            before += lines
        return
    with path.open(encoding=encoding, newline="") as handle:
        while lines := list(itertools.islice(handle, JSON_CHUNK_ROWS)):
            batch, _ = _json_lines_parsed(lines, before)
            yield batch
            before += len(lines)


def _json_line_blocks(path: Path) -> Iterator[bytes]:
    """The file in blocks of about ``CHUNK_BYTES`` that end at a line end (the last at the file's end)."""
    carry = b""
    with path.open("rb") as source:
        while raw := source.read(CHUNK_BYTES):
            data = carry + raw
            cut = data.rfind(b"\n") + 1
            if cut == 0:  # a line longer than a block: read on until it ends
                if len(data) > MAX_LINE_BYTES:
                    raise FileRejected(f"a line runs past {MAX_LINE_BYTES >> 20} MB: not a JSON lines export")
                carry = data
                continue
            yield data[:cut]
            carry = data[cut:]
    if carry:
        yield carry


def _json_lines_parsed(lines, before: int) -> tuple[Batch, int]:
    """The lines' records, parsed one by one (a line that is not a JSON object is set aside), and how many
    lines there were."""
    chunk = _RecordColumns()
    count = 0
    for count, line in enumerate(lines, start=1):
        number = before + count
        text = line.rstrip("\r\n")
        if not text.strip():
            continue  # a blank line carries no record
        try:
            record = json.loads(text)
        except json.JSONDecodeError:
            chunk.malformed.append(_not_an_object(number, text))
            continue
        if isinstance(record, dict):
            chunk.add(number, record)
        else:
            chunk.malformed.append(_not_an_object(number, text))
    return chunk.batch(), count


def _json_lines_fast(block: bytes, as_text: bool = True) -> pa.Table | None:
    """Arrow's JSON reader on one block of whole lines, when every line is a flat-enough JSON object and one
    record; None sends the caller to the line-by-line reader, which also finds the lines that are not JSON."""
    import pyarrow.json as pj

    lines = block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
    read_options = pj.ReadOptions(block_size=len(block) + 1)  # the block is read whole
    try:
        table = pj.read_json(pa.BufferReader(block), read_options=read_options)
        # Arrow infers timestamps from ISO text, which would lose the text as sent: read those as strings
        stamps = [field.name for field in table.schema if pa.types.is_temporal(field.type)]
        if stamps and as_text:
            schema = pa.schema([(name, pa.string()) for name in stamps])
            parse_options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer")
            table = pj.read_json(pa.BufferReader(block), read_options=read_options, parse_options=parse_options)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows != lines:  # blank lines: numbering would shift
        return None
    while any(pa.types.is_struct(column.type) for column in table.columns):
        table = table.flatten()
    # timestamps are left as Arrow read them only when not read as text: inside an object the second read,
    # whose schema names top-level fields, has not kept them as text
    types = _SCALAR_TYPES if as_text else (*_SCALAR_TYPES, pa.types.is_temporal)
    if not all(any(test(column.type) for test in types) for column in table.columns):
        return None
    if not as_text:
        return table
    return pa.table({name: pc.cast(table[name], pa.string()) for name in table.column_names})
