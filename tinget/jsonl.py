"""Reading the evaluation commands' JSON-lines inputs with errors an operator can act on: the file and line
and what is wrong, never the line's text (it may hold personal data, and error messages reach logs)."""

from __future__ import annotations

import json
from pathlib import Path


class InputFileError(ValueError):
    """An input file is missing, unreadable, not UTF-8 JSON lines of objects, or lacks a required field."""


def read_jsonl(path, required: tuple[str, ...] = (), what: str = "input", *, allow_empty: bool = False) -> list[dict]:
    """The objects of a JSON-lines file (UTF-8, a BOM allowed, blank lines skipped); at least one unless
    ``allow_empty`` (an empty file would score as perfect: nothing missed)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{what} file {path}: {exc.strerror or exc.__class__.__name__}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputFileError(f"{path}:{line}: not UTF-8 (byte {exc.start}); {what} files are UTF-8 JSON lines") from exc
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise InputFileError(f"{path}:{n}: not valid JSON ({getattr(exc, 'msg', exc.__class__.__name__)})") from exc
        if not isinstance(row, dict):
            raise InputFileError(f"{path}:{n}: expected a JSON object, found {type(row).__name__}")
        missing = [k for k in required if k not in row]
        if missing:
            raise InputFileError(f"{path}:{n}: missing field(s) {', '.join(missing)}")
        rows.append(row)
    if not rows and not allow_empty:
        raise InputFileError(f"{what} file {path} has no items")
    return rows
