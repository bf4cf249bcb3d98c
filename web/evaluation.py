"""`tinget eval intents`: each dev message through the same path as a resident's.

Starts what it needs in a temporary instance: a fresh SQLite database with the demo KB, the action
server and the Rasa server with the trained model. The app's own database is untouched.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from tinget.catalog import load_catalogue

# The contract's routes are answer | chitchat | handoff | out_of_scope. A clarifying question ("did you
# mean A or B?") answers nothing and opens no case: the bot keeps talking, reported as chitchat.
EVAL_ROUTE = {"clarify": "chitchat"}


def _read_jsonl(path: Path) -> list[dict]:
    from tinget.jsonl import read_jsonl

    return read_jsonl(path, ("id", "text", "lang", "intent"), "intents")


def summarize(items: list[dict], preds: list[dict]) -> dict:
    cat = load_catalogue()
    by_lang: dict[str, Counter] = defaultdict(Counter)
    wrong_answers = Counter()
    confusions = Counter()
    for item, pred in zip(items, preds, strict=True):
        lang, gold, got = item["lang"], item["intent"], pred["intent"]
        route = pred["route"]
        c = by_lang[lang]
        c["n"] += 1
        correct = got == gold
        if gold in ("personal_case", "out_of_scope"):
            c["special"] += 1
            if route == "answer":
                c["special_answered"] += 1
                wrong_answers[f"{gold}->{got}"] += 1
            if gold == "personal_case":
                c["personal"] += 1
                c["personal_handoff"] += route == "handoff"
            correct = route in ("handoff", "out_of_scope")
        elif cat.route(gold) == "answer":
            c["topic"] += 1
            c["topic_correct"] += got == gold and route == "answer"
            if route == "answer" and got != gold:
                c["topic_wrong_answer"] += 1
        c["correct"] += correct
        if got != gold:
            confusions[f"{gold} -> {got}"] += 1
    total = Counter()
    for c in by_lang.values():
        total.update(c)

    def pct(a, b):
        return round(100.0 * a / b, 1) if b else None

    def block(c):
        return {"n": c["n"], "accuracy": pct(c["correct"], c["n"]),
                "topic_accuracy": pct(c["topic_correct"], c["topic"]),
                "topic_wrong_answer_rate": pct(c["topic_wrong_answer"], c["topic"]),
                "special_answered_with_topic": pct(c["special_answered"], c["special"]),
                "personal_case_to_handoff": pct(c["personal_handoff"], c["personal"])}

    latencies = sorted(p["latency_ms"] for p in preds if "latency_ms" in p)
    return {
        "handoff_departments": _departments(items, preds, cat),
        "overall": block(total),
        "per_language": {lang: block(c) for lang, c in sorted(by_lang.items())},
        "personal_or_oos_answered_with_topic": dict(wrong_answers.most_common(10)),
        "top_confusions": dict(confusions.most_common(15)),
        "latency_ms_p50": latencies[len(latencies) // 2] if latencies else None,
        "latency_ms_p95": latencies[int(len(latencies) * 0.95)] if latencies else None,
    }


def _departments(items: list[dict], preds: list[dict], cat) -> dict:
    """Where the handed-over messages went: a topic message handed over should reach the topic's department
    (else a caseworker must pass it on); a message that names nothing and is not the resident's own case
    (out_of_scope) belongs to the service desk. The message's gold intent gives the right queue; a personal case
    has none in the data and is only counted."""
    counts: Counter = Counter()
    wrong: Counter = Counter()
    for item, pred in zip(items, preds, strict=True):
        if pred.get("route") != "handoff" or "department" not in pred:
            continue
        gold = item["intent"]
        right = (cat.department(gold) if gold in cat.intents and cat.route(gold) == "answer"
                 else "service_desk" if gold == "out_of_scope" else "")
        counts["handoffs"] += 1
        counts[f"to_{pred['department'] or 'none'}"] += 1
        if right:
            counts["with_known_department"] += 1
            counts["right_department"] += pred["department"] == right
            if pred["department"] != right:
                wrong[f"{gold} -> {pred['department']}"] += 1
    return {**dict(sorted(counts.items())), "wrong": dict(wrong.most_common(10))}


def evaluate_intents(file: Path, predictions: Path, *, model: Path | None = None, log=print) -> dict:
    from bot.servers import Stack
    from bot.training import current_model, train

    items = _read_jsonl(file)
    model = model or current_model()
    if model is None:
        log("No trained Rasa model: training one now (tinget bot train) …")
        model = train()
    with tempfile.TemporaryDirectory(prefix="tinget-eval-") as tmp:
        tmpdir = Path(tmp)
        db_url = f"sqlite:///{tmpdir / 'app.db'}"
        app = _eval_app(tmpdir, db_url)
        log(f"Starting Rasa ({model.name}) and the action server …")
        with Stack(model, db_url, f"sqlite:///{tmpdir / 'tracker.db'}", log_dir=tmpdir / "logs") as stack:
            app.config["RASA_URL"] = stack.rasa_url
            app.extensions["tinget.model_version"] = model.name
            # no warm-up here: the Rasa server warms its model up before it accepts a connection (bot/warm_up.py)
            preds = _run(app, items, log)
    predictions.parent.mkdir(parents=True, exist_ok=True)
    with predictions.open("w", encoding="utf-8") as out:
        for p in preds:
            out.write(json.dumps({k: p[k] for k in ("id", "lang", "intent", "confidence", "route")},
                                 ensure_ascii=False) + "\n")
    summary = summarize(items, preds)
    summary["model"] = model.name
    return summary


def _eval_app(tmpdir: Path, db_url: str):
    from flask_migrate import upgrade

    from web import create_app
    from web.demo import load_demo

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "INSTANCE_PATH": str(tmpdir),
                      "SUGGESTER_ENABLED": False, "RASA_TRACKER_URL": ""}, config_name="testing")
    with app.app_context():
        upgrade()
        load_demo()
    return app


def _run(app, items: list[dict], log) -> list[dict]:
    from web.extensions import db
    from web.services import conversations, inquiry

    preds = []
    with app.app_context():
        for n, item in enumerate(items, 1):
            municipality = conversations.municipality_for(None)
            conv = conversations.start(municipality, municipality.default_lang)
            started = time.perf_counter()
            outcome = inquiry.handle_message(conv, item["text"])
            latency = (time.perf_counter() - started) * 1000
            msg = outcome.resident_message
            case = conv.cases[-1] if outcome.touched_case and conv.cases else None
            preds.append({"id": item["id"], "lang": msg.lang, "intent": msg.intent or "nlu_fallback",
                          "confidence": round(msg.confidence, 4), "route": EVAL_ROUTE.get(outcome.route, outcome.route),
                          "latency_ms": round(latency, 1), "department": case.department if case else ""})
            db.session.remove()
            if n % 50 == 0:
                log(f"  {n}/{len(items)} messages")
    return preds
