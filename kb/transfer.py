"""Import and export of a municipality's KB as YAML or CSV.

Export: every article residents get (local override or national base) in every language, one record
each with ``id`` = ``<intent>:<lang>``, the unfilled text (placeholders kept) and ``origin`` (local or
base, for information). Import reads the same format: every record is checked first (columns, ids,
topics, languages, the article checks of kb.validation); one problem and nothing changes, and the
message names the line. A control character anywhere in the file refuses it too, naming the line and the
character: in a file it means damage or the wrong encoding (UTF-16 read as UTF-8 has a NUL after every
letter), and published it would be invisible to the admin and refused by Postgres. A record whose text equals what residents already get is left alone; any
other becomes a published new version of the local override (so it can be rolled back).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

import yaml
from sqlalchemy.orm import Session

from kb import editing
from kb.validation import Problem
from tinget.catalog import LANGUAGES, load_catalogue
from tinget.models import Municipality
from tinget.text import first_control

COLUMNS = ("id", "intent", "lang", "title", "source_url", "department", "body")
INFO_COLUMNS = ("origin", "version")  # written on export, ignored on import
MAX_RECORDS = 5000


@dataclass(frozen=True)
class ImportProblem:
    code: str  # control_character | not_yaml | too_deep | not_csv | cell_too_long | no_records | too_many | missing_columns | unknown_columns | not_a_record | not_text | duplicate_id | id_mismatch | unknown_intent | unknown_language | article | other_municipality
    line: int
    params: dict = field(default_factory=dict)
    problem: Problem | None = None  # for code "article": the article check that failed

    def __str__(self) -> str:
        detail = str(self.problem) if self.problem else ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"line {self.line}: {self.code}" + (f" ({detail})" if detail else "")


class ImportRejected(ValueError):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__("; ".join(str(p) for p in problems[:20]))
        self.problems = problems


@dataclass
class ImportResult:
    published: list[str] = field(default_factory=list)  # "intent:lang"
    unchanged: int = 0


# ------------------------------------------------------------------ export
def export_records(session: Session, municipality: Municipality) -> list[dict]:
    out = []
    for e in editing.entries(session, municipality):
        served = e.served
        if served is None:
            continue
        out.append({"id": f"{e.intent}:{e.lang}", "intent": e.intent, "lang": e.lang, "title": served.title,
                    "source_url": served.source_path, "department": served.department, "body": served.body,
                    "origin": e.origin, "version": served.version})
    return out


def to_yaml(records: list[dict], municipality: Municipality) -> str:
    class Literal(str):
        pass

    def literal(dumper, data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)

    yaml.SafeDumper.add_representer(Literal, literal)
    data = {"municipality": municipality.slug,
            "articles": [{k: (Literal(v) if k == "body" else v) for k, v in r.items()} for r in records]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def to_csv(records: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[*COLUMNS, *INFO_COLUMNS], lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow(r)
    return buf.getvalue()


# ------------------------------------------------------------------ reading
def decode_upload(data: bytes, fmt: str | None) -> tuple[str | None, str]:
    """The text of an uploaded file and the encoding it was read in ("utf-8", "utf-16", "cp1252"), or
    (None, "") when it is not text this importer can read.

    UTF-8 (with or without a BOM) is the format, and the only one for YAML. A CSV may also come as Excel
    saves it on a Nordic Windows: "CSV (semikolondelt)" / "CSV (comma delimited)" is Windows-1252, and
    "Unicode text" is UTF-16 with a BOM. Those are only taken when the decoded header line names the
    ``intent`` column both imports have: any bytes decode as Windows-1252, and a damaged or binary file
    must still be refused, not imported as garbage."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if fmt != "csv":
        return None, ""
    candidates = []
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates.append("utf-16")
    elif b"\x00" not in data:
        candidates.append("cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        header = text.lstrip("\ufeff").split("\n", 1)[0].lower()
        if "intent" in header:
            return text, encoding
    return None, ""


def parse(text: str, fmt: str, columns: tuple[str, ...] = COLUMNS, info: tuple[str, ...] = INFO_COLUMNS,
          key: str = "articles") -> list[tuple[int, dict]]:
    """(line, record) pairs from YAML (a list under ``key``) or CSV text with exactly ``columns`` (and
    optionally ``info``); ImportRejected names the line of a format error."""
    spec = (columns, info)
    _check_characters(text)
    records = _parse_yaml(text, spec, key) if fmt == "yaml" else _parse_csv(text, spec)
    _check_characters_in(records)
    if not records:
        raise ImportRejected([ImportProblem("no_records", 1)])
    if len(records) > MAX_RECORDS:
        raise ImportRejected([ImportProblem("too_many", records[MAX_RECORDS][0], {"limit": MAX_RECORDS})])
    return records


def _check_characters(text: str) -> None:
    """Refuse a file with a control character (not tab or line breaks), naming each line that has one."""
    problems = [ImportProblem("control_character", n, {"char": char})
                for n, line in enumerate(text.split("\n"), 1) if (char := first_control(line))]
    if problems:
        raise ImportRejected(problems)


def _check_characters_in(records: list[tuple[int, dict]]) -> None:
    """The same for values YAML writes with escapes (``"\\0"``), at the line of their record."""
    problems = [ImportProblem("control_character", line, {"char": char})
                for line, r in records if (char := next(filter(None, map(first_control, r.values())), None))]
    if problems:
        raise ImportRejected(problems)


SEPARATORS = (",", ";", "\t")


def separator(text: str) -> str:
    """The CSV separator of ``text``: the one of comma (our export), semicolon (Excel where the comma is
    the decimal sign, as in the Nordic countries) and tab that its header line has most of; comma if none."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    best = max(SEPARATORS, key=header.count)  # a tie (none at all): the first, comma
    return best if header.count(best) else ","


def _parse_csv(text: str, spec) -> list[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=separator(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _csv_problem(exc, 1) from exc
    if not header or not any(h.strip() for h in header):  # an empty file, or blanks only ("unknown columns: .")
        raise ImportRejected([ImportProblem("no_records", 1)])
    header = [h.strip() for h in header]
    _check_columns(header, 1, spec)
    out = []
    line = reader.line_num + 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) != len(header):
                    raise ImportRejected([ImportProblem("wrong_cell_count", line,
                                                        {"found": len(row), "expected": len(header)})])
                out.append((line, dict(zip(header, row, strict=True))))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_problem(exc, line) from exc
    return out


def _csv_problem(exc: csv.Error, line: int) -> ImportRejected:
    """A cell past the csv module's limit (a file that is not CSV, or one quote left open) is said in the
    admin's words, not as the module's English "field larger than field limit (131072)"."""
    if "field limit" in str(exc):
        return ImportRejected([ImportProblem("cell_too_long", line, {"limit": csv.field_size_limit()})])
    return ImportRejected([ImportProblem("not_csv", line, {"error": str(exc)})])


SCALARS = (str, int, float, bool, datetime.date)  # what YAML reads a scalar as (a date: datetime.date/datetime)


def _parse_yaml(text: str, spec, key: str) -> list[tuple[int, dict]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except RecursionError as exc:  # "[[[[…" thousands deep: PyYAML recurses per level (it was a 500)
        raise ImportRejected([ImportProblem("too_deep", 1)]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ImportRejected([ImportProblem("not_yaml", (mark.line + 1) if mark else 1,
                                            {"error": getattr(exc, "problem", "") or str(exc)})]) from exc
    items_node = None
    if isinstance(root, yaml.MappingNode):
        for node_key, value in root.value:
            if node_key.value == key:
                items_node = value
        items = (data or {}).get(key)
    elif isinstance(root, yaml.SequenceNode):
        items_node, items = root, data
    else:
        items = None
    if not isinstance(items, list) or not isinstance(items_node, yaml.SequenceNode):
        raise ImportRejected([ImportProblem("no_records", 1)])
    out = []
    for node, item in zip(items_node.value, items, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            raise ImportRejected([ImportProblem("not_a_record", line)])
        # every field is text (or a number, a date): a list or mapping is refused before str() writes it out,
        # since YAML aliases nest a list in itself 2^n times in n short lines ("billion laughs"), which str()
        # expanded into gigabytes on the server that all municipalities share
        for k, v in item.items():
            if not isinstance(k, SCALARS) or not (v is None or isinstance(v, SCALARS)):
                raise ImportRejected([ImportProblem("not_text", line, {
                    "field": str(k)[:64] if isinstance(k, SCALARS) else "?"})])
        keys = [str(k) for k in item]
        _check_columns(keys, line, spec)
        out.append((line, {str(k): "" if v is None else str(v) for k, v in item.items()}))
    return out


def _check_columns(columns: list[str], line: int, spec=(COLUMNS, INFO_COLUMNS)) -> None:
    wanted, info = spec
    missing = [c for c in wanted if c not in columns]
    unknown = [c for c in columns if c not in wanted and c not in info]
    problems = []
    if missing:
        problems.append(ImportProblem("missing_columns", line, {"columns": ", ".join(missing)}))
    if unknown:
        problems.append(ImportProblem("unknown_columns", line, {"columns": ", ".join(unknown)}))
    if problems:
        raise ImportRejected(problems)


def file_municipality(text: str, fmt: str) -> tuple[str, int] | None:
    """The slug a YAML export names at its top (``municipality: fjordvik``) and its line, or None (CSV, no
    such key, or not YAML: :func:`parse` says what is wrong with it)."""
    if fmt != "yaml":
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value == "municipality" and isinstance(value, yaml.ScalarNode) and str(value.value).strip():
            return str(value.value).strip(), key.start_mark.line + 1
    return None


def check_owner(text: str, fmt: str, municipality: Municipality) -> None:
    """Refuse another municipality's export: importing it would publish that municipality's texts (its
    overrides: its opening hours, its names) to this one's residents at once. The message names the slug the
    file itself names (never whether such a municipality is on the installation) and how to import anyway."""
    named = file_municipality(text, fmt)
    if named and named[0] != municipality.slug:
        raise ImportRejected([ImportProblem("other_municipality", named[1],
                                            {"slug": named[0][:64], "own": municipality.slug})])


# ------------------------------------------------------------------ importing
def check(municipality: Municipality, records: list[tuple[int, dict]]) -> list[ImportProblem]:
    topics = set(load_catalogue().topics)
    seen: dict[str, int] = {}
    problems: list[ImportProblem] = []
    for line, r in records:
        rid, intent, lang = r["id"].strip(), r["intent"].strip(), r["lang"].strip()
        if rid in seen:
            problems.append(ImportProblem("duplicate_id", line, {"id": rid, "first": seen[rid]}))
            continue
        seen[rid] = line
        if intent not in topics:
            problems.append(ImportProblem("unknown_intent", line, {"intent": intent}))
            continue
        if lang not in LANGUAGES:
            problems.append(ImportProblem("unknown_language", line, {"lang": lang}))
            continue
        if rid != f"{intent}:{lang}":
            problems.append(ImportProblem("id_mismatch", line, {"id": rid, "expected": f"{intent}:{lang}"}))
            continue
        fields = _fields(r)
        for p in editing.problems(municipality, intent, lang, fields):
            problems.append(ImportProblem("article", line, {}, p))
    return problems


def _fields(r: dict) -> editing.Fields:
    return editing.Fields(r["title"], r["body"], r["source_url"], r["department"]).normalised()


def apply(session: Session, municipality: Municipality, records: list[tuple[int, dict]], actor: str) -> ImportResult:
    """Check everything, then publish the changed records. Raises ImportRejected (nothing changed)."""
    problems = check(municipality, records)
    if problems:
        raise ImportRejected(problems)
    result = ImportResult()
    for _line, r in records:
        intent, lang = r["intent"].strip(), r["lang"].strip()
        fields = _fields(r)
        e = editing.entry(session, municipality, intent, lang)
        served = e.served
        if served is not None and editing.Fields.of(served).normalised() == fields:
            result.unchanged += 1
            continue
        editing.publish(session, municipality, intent, lang, actor, fields, note="import")
        result.published.append(f"{intent}:{lang}")
    return result
