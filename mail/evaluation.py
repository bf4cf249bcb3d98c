"""`tinget eval mail DIR --predictions OUT [--json]`: triage every .eml in DIR as the postbox would.

Each mail goes through the same path as an imported one (parse, redact at once, set-aside rules,
segments, the trained model's intents, decision) under the demo municipality's mail settings
(``web.demo.DEMO_MAIL_SETTINGS`` is passed in by the CLI). One prediction line per mail:
``{"id", "action", "department", "intents", "auto_reply"}``. With ``labels.jsonl`` in DIR the summary
gives action accuracy, department accuracy on routed mails, auto-reply precision and set-aside
precision (and recall), plus throughput.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from mail.pipeline import triage_stream
from mail.triage import MailSettings

BATCH = 64


def _pct(a: int, b: int) -> float | None:
    return round(100.0 * a / b, 1) if b else None


def summarize(preds: list[dict], labels: dict[str, dict]) -> dict:
    n = correct = routed = routed_ok = auto = auto_ok = aside = aside_ok = gold_aside = aside_found = 0
    wrong: list[str] = []
    for p in preds:
        g = labels.get(p["id"])
        if g is None:
            continue
        n += 1
        correct += p["action"] == g["action"]
        if p["action"] != g["action"]:
            wrong.append(f"{p['id']}: {g['action']} -> {p['action']}")
        if g["action"] == "route":
            routed += 1
            routed_ok += p["department"] == g["department"]
            if p["department"] != g["department"]:
                wrong.append(f"{p['id']}: department {g['department']} -> {p['department']}")
        if p["auto_reply"]:
            auto += 1
            auto_ok += g["action"] == "answer" and set(p["intents"]) == set(g["intents"])
        if p["action"] == "set_aside":
            aside += 1
            aside_ok += g["action"] == "set_aside"
        if g["action"] == "set_aside":
            gold_aside += 1
            aside_found += p["action"] == "set_aside"
    return {"n": n, "action_accuracy": _pct(correct, n), "department_accuracy_routed": _pct(routed_ok, routed),
            "auto_reply_precision": _pct(auto_ok, auto), "auto_replies": auto,
            "set_aside_precision": _pct(aside_ok, aside), "set_aside_recall": _pct(aside_found, gold_aside),
            "errors": wrong}


def _read_mail(path: Path) -> bytes:
    """One mail file's bytes; InputFileError names the file and the problem (a directory named ``x.eml``,
    a file that cannot be read) instead of a traceback after the model has loaded."""
    from tinget.jsonl import InputFileError

    if path.is_dir():
        raise InputFileError(f"{path}: is a directory, not a mail file; `tinget eval mail` reads the .eml files "
                             f"directly in {path.parent} (rename or move the directory)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc.__class__.__name__})") from exc


def run_eval(directory: Path, predictions: Path, settings: dict, *, model: Path | None = None,
             allow=(), log=print) -> dict:
    from mail.nlu import load_nlu
    from tinget.jsonl import InputFileError, read_jsonl

    files = sorted(Path(directory).glob("*.eml"))
    if not files:
        raise InputFileError(f"{directory}: no .eml files")
    raws = [_read_mail(p) for p in files]  # before the model loads: a bad file fails at once
    labels_path = Path(directory) / "labels.jsonl"  # read before the model loads: a bad file fails at once
    labels = {row["id"]: row for row in read_jsonl(labels_path, ("id", "action", "department", "intents"), "labels")} \
        if labels_path.exists() else {}
    nlu = load_nlu(model)
    mail_settings = MailSettings.from_settings({"mail": settings})
    nlu.parse_many(["warm up"])  # load the encoder and the redactor's engines before timing
    from privacy import redact

    for lang, text in (("nb", "Kari Nordmann, Storgata 1"), ("sv", "Anna Ek, Storgatan 1"), ("da", "Ole Nielsen"),
                       ("fi", "Juha Salo, Kauppakatu 1"), ("en", "Sarah Miller"), ("nn", "Ivar Hauge")):
        redact(text, lang)
    started = time.perf_counter()
    decisions = [d for _mails, ds in triage_stream(raws, nlu, mail_settings, batch=BATCH, allow=allow) for d in ds]
    preds = [d.prediction(p.stem) for p, d in zip(files, decisions, strict=True)]
    elapsed = time.perf_counter() - started
    predictions.parent.mkdir(parents=True, exist_ok=True)
    with predictions.open("w", encoding="utf-8") as out:
        for p in preds:
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
    summary = summarize(preds, labels) if labels else {"n": len(preds)}
    summary.update({"mails": len(preds), "seconds": round(elapsed, 2),
                    "mails_per_minute": round(60 * len(preds) / elapsed) if elapsed else None,
                    "model": nlu.name})
    return summary
