"""The bot's NLU training examples (``training_data/nlu/<lang>/<intent>.yml``) as records, for export and
import as YAML or CSV (columns ``intent``, ``lang``, ``text``).

Import only adds examples (it never removes one) and checks the whole file first: a record with an
unknown intent or language, an empty or multi-line text, the same example twice in the file, or an
example that already belongs to another intent in that language (it would teach the model two answers
to one question) refuses the file, naming the line; then nothing is written. The generated files
(``nlu/generated``) are left out: ``tinget bot generate`` owns them; the examples taught in the admin
(``nlu/taught/<municipality>/``) are checked against, and exported to the municipality that taught them
only: they are its residents' (redacted) questions. New examples take effect with the next training run.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.training import ROOT
from tinget.catalog import LANGUAGES, load_catalogue

COLUMNS = ("intent", "lang", "text")
MAX_TEXT = 300


@dataclass(frozen=True)
class ExampleProblem:
    code: str  # unknown_intent | unknown_language | empty_text | text_too_long | multiline_text | duplicate_example
    #            | conflicting_example | conflicting_example_other (with an example the admin may not see)
    line: int
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"line {self.line}: {self.code} ({', '.join(f'{k}={v}' for k, v in self.params.items())})"


@dataclass
class ExamplesResult:
    added: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)


def default_dir() -> Path:
    return ROOT / "training_data"


def _path(data_dir: Path, lang: str, intent: str) -> Path:
    return data_dir / "nlu" / lang / f"{intent}.yml"


def taught_folder(slug: str) -> str:
    """The folder under ``nlu/taught/`` of the examples one municipality taught: its slug, safe as a name."""
    return re.sub(r"[^a-z0-9_-]", "_", (slug or "").lower()) or "_"


def read(data_dir: Path, *, taught: str | None = None, legacy: bool = True) -> list[dict]:
    """Every example of the per-language files (``nlu/<lang>/<intent>.yml``) and of the examples taught
    from residents' questions (web.services.teach), in that order.

    Taught examples are kept per municipality, ``nlu/taught/<slug>/<intent>_<lang>.yml``: ``taught`` is
    the slug of the one municipality whose examples are wanted (None: every municipality's, as the model
    is trained on all of them and a new example must not contradict any). ``legacy``: also the files
    taught before examples were kept per municipality (``nlu/taught/<intent>_<lang>.yml``, by whom is
    not known)."""
    files = [(lang, path) for lang in LANGUAGES for path in sorted((data_dir / "nlu" / lang).glob("*.yml"))]
    base = data_dir / "nlu" / "taught"
    paths = sorted(base.glob("*.yml")) if legacy else []
    paths += sorted(base.glob("*/*.yml")) if taught is None else sorted((base / taught_folder(taught)).glob("*.yml"))
    for path in paths:
        lang = path.stem.rsplit("_", 1)[-1]
        if lang in LANGUAGES:
            files.append((lang, path))
    out = []
    for lang, path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            for text in _lines(item.get("examples") or ""):
                out.append({"intent": item.get("intent") or path.stem, "lang": lang, "text": text})
    return out


def _lines(block: str) -> list[str]:
    return [line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")]


def to_csv(records: list[dict]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buf.getvalue()


def to_yaml(records: list[dict]) -> str:
    return yaml.safe_dump({"examples": records}, allow_unicode=True, sort_keys=False, width=1000)


def check(data_dir: Path, records: list[tuple[int, dict]], visible: set[tuple[str, str]] | None = None
          ) -> list[ExampleProblem]:
    """The problems of ``records``. ``visible``: the (lang, casefolded text) of the examples the importing admin
    may see (the shared files and the own municipality's taught ones, as the export gives them); None: all.
    An example that clashes with one the admin may not see (another municipality's residents' question) is
    refused as ``conflicting_example_other``, which names neither its intent nor whose it is."""
    intents = set(load_catalogue().intents) - {"nlu_fallback"}
    owner: dict[tuple[str, str], str] = {}  # (lang, folded text) -> intent, from the data
    for r in read(data_dir):
        owner.setdefault((r["lang"], r["text"].casefold()), r["intent"])
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    problems: list[ExampleProblem] = []
    for line, r in records:
        intent, lang, text = r["intent"].strip(), r["lang"].strip(), r["text"]
        if intent not in intents:
            problems.append(ExampleProblem("unknown_intent", line, {"intent": intent}))
            continue
        if lang not in LANGUAGES:
            problems.append(ExampleProblem("unknown_language", line, {"lang": lang}))
            continue
        if "\n" in text.strip() or "\r" in text.strip():
            problems.append(ExampleProblem("multiline_text", line))
            continue
        text = text.strip()
        if not text:
            problems.append(ExampleProblem("empty_text", line))
            continue
        if len(text) > MAX_TEXT:
            problems.append(ExampleProblem("text_too_long", line, {"limit": MAX_TEXT}))
            continue
        key = (lang, text.casefold())
        if key in seen:
            first, first_intent = seen[key]
            code = "duplicate_example" if first_intent == intent else "conflicting_example"
            problems.append(ExampleProblem(code, line, {"text": text[:80], "first": first, "intent": first_intent}))
            continue
        seen[key] = (line, intent)
        if owner.get(key, intent) != intent:
            if visible is None or key in visible:
                problems.append(ExampleProblem("conflicting_example", line,
                                               {"text": text[:80], "first": 0, "intent": owner[key]}))
            else:
                problems.append(ExampleProblem("conflicting_example_other", line, {"text": text[:80]}))
    return problems


class ExamplesRejected(ValueError):
    def __init__(self, problems: list[ExampleProblem]):
        super().__init__("; ".join(str(p) for p in problems[:20]))
        self.problems = problems


def apply(data_dir: Path, records: list[tuple[int, dict]], visible: set[tuple[str, str]] | None = None
          ) -> ExamplesResult:
    """Check everything, then add the new examples to their files. Raises ExamplesRejected (nothing written).
    ``visible``: see :func:`check`."""
    problems = check(data_dir, records, visible)
    if problems:
        raise ExamplesRejected(problems)
    existing = {(r["lang"], r["intent"], r["text"].casefold()) for r in read(data_dir)}
    new: dict[tuple[str, str], list[str]] = {}
    result = ExamplesResult()
    for _line, r in records:
        lang, intent, text = r["lang"].strip(), r["intent"].strip(), r["text"].strip()
        if (lang, intent, text.casefold()) in existing:
            result.unchanged += 1
            continue
        new.setdefault((lang, intent), []).append(text)
        result.added += 1
    for (lang, intent), texts in sorted(new.items()):
        path = _path(data_dir, lang, intent)
        current = []
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            current = [t for item in data.get("nlu") or [] for t in _lines(item.get("examples") or "")]
        _write(path, intent, current + texts)
        result.files.append(str(path.relative_to(data_dir)))
    return result


def _write(path: Path, intent: str, texts: list[str]) -> None:
    """Rasa's NLU format, written to a temporary file and renamed (a reader never sees half a file)."""
    lines = ['version: "3.1"', "nlu:", f"- intent: {intent}", "  examples: |"]
    lines += [f"    - {t}" for t in texts]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
