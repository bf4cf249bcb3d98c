"""Teach the bot from what residents asked: group the questions it could not answer, turn a group into
training examples (or a request for a new article), retrain in the background and load the new model.

Questions are the stored, redacted resident messages. Training examples go to one file per intent and
language in the municipality's own folder under ``TEACH_DIR`` (default ``training_data/nlu/taught/``),
``<slug>/<intent>_<lang>.yml``, which ``rasa train --data training_data`` reads with everything else. The
model is one for the installation, but the files say whose residents' words they are: the export of the
training examples (web.services.kb_admin.training_examples) gives each admin only the own ones.
Retraining runs ``tinget bot train`` in a subprocess; the new model is loaded into every running Rasa
server with ``PUT /model`` (Rasa keeps serving with the old one until the new one is in place); then
the suggester index is rebuilt. A failed step leaves the bot
on its last good model and the status says why.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np
import requests
import yaml
from flask import current_app
from sqlalchemy import func, select

from tinget.catalog import LANGUAGES, load_catalogue
from tinget.db import utcnow
from tinget.models import Municipality
from tinget.text import clean
from web.extensions import db
from web.models import AuditEvent, Conversation, Message, User
from web.services import shared_model

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
UNANSWERED_ROUTES = ("handoff", "out_of_scope")
LOW_CONFIDENCE_ROUTES = ("answer", "clarify")
TAUGHT_ACTIONS = ("teach_examples", "article_request")
MAX_EXAMPLE = 300


class TeachError(ValueError):
    def __init__(self, code: str, **details):
        super().__init__(code)
        # no_questions | intent_unknown | lang_unknown | busy | shared_model
        self.code, self.details = code, details


# ------------------------------------------------------------------ questions and groups
@dataclass
class Question:
    ids: list[int]  # messages with this (normalised) text
    text: str
    lang: str
    intent: str
    confidence: float
    route: str


@dataclass
class Group:
    questions: list[Question]
    langs: list[str] = field(default_factory=list)
    intent_guess: str = ""

    @property
    def size(self) -> int:
        return sum(len(q.ids) for q in self.questions)

    @property
    def message_ids(self) -> list[int]:
        return [i for q in self.questions for i in q.ids]

    @property
    def lang(self) -> str:
        return self.langs[0] if self.langs else "nb"


def _handled_ids(municipality_id: int) -> set[int]:
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.municipality_id == municipality_id,
                                                         AuditEvent.action.in_(TAUGHT_ACTIONS)))
    return {int(i) for e in events for i in (e.details or {}).get("message_ids", [])}


def questions(municipality_id: int, days: int = 90, limit: int = 1000) -> list[Question]:
    """Resident messages (redacted) the bot handed over or answered with low confidence, not yet taught,
    identical texts merged."""
    low = current_app.config.get("TEACH_LOW_CONFIDENCE", 0.6)
    since = utcnow() - timedelta(days=days)
    rows = db.session.execute(
        select(Message.id, Message.text, Message.lang, Message.intent, Message.confidence, Message.route)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.municipality_id == municipality_id, Message.sender == "resident",
               Message.created_at >= since,
               (Message.route.in_(UNANSWERED_ROUTES))
               | (Message.route.in_(LOW_CONFIDENCE_ROUTES) & (Message.confidence < low)))
        .order_by(Message.id.desc()).limit(limit)).all()
    done = _handled_ids(municipality_id)
    merged: dict[str, Question] = {}
    for mid, text, lang, intent, conf, route in rows:
        text = " ".join((text or "").split())
        if mid in done or len(text) < 3:
            continue
        key = text.lower()
        if key in merged:
            merged[key].ids.append(mid)
        else:
            merged[key] = Question([mid], text, lang or "nb", intent or "", float(conf or 0), route)
    return list(merged.values())


def group(items: list[Question], encoder=None, threshold: float | None = None) -> list[Group]:
    """Average-linkage agglomerative clustering on cosine similarity of the suggester's query vectors:
    two groups join while their mean pairwise similarity is at least ``threshold``. Largest first."""
    if not items:
        return []
    threshold = threshold if threshold is not None else current_app.config.get("TEACH_GROUP_THRESHOLD", 0.87)
    if len(items) == 1:
        labels = np.array([1])
    else:
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import pdist

        if encoder is None:
            from suggester.encoder import get_encoder

            encoder = get_encoder(current_app.config["SUGGESTER_ENCODER"])
        vectors = encoder.encode_queries([q.text for q in items])
        distances = np.clip(pdist(vectors, metric="cosine"), 0, 2)
        labels = fcluster(linkage(distances, method="average"), t=1 - threshold, criterion="distance")
    clusters: dict[int, list[Question]] = {}
    for label, q in zip(labels, items, strict=True):
        clusters.setdefault(int(label), []).append(q)
    groups = []
    for members in clusters.values():
        members.sort(key=lambda q: -len(q.ids))
        langs = Counter()
        intents = Counter()
        for q in members:
            langs[q.lang] += len(q.ids)
            if q.intent:
                intents[q.intent] += len(q.ids)
        groups.append(Group(members, [lang for lang, _ in langs.most_common()],
                            intents.most_common(1)[0][0] if intents else ""))
    groups.sort(key=lambda g: (-g.size, g.questions[0].text))
    return groups


def _own_messages(municipality_id: int, message_ids: list[int]) -> list[Message]:
    if not message_ids:
        raise TeachError("no_questions")
    rows = list(db.session.scalars(
        select(Message).join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.id.in_(message_ids), Message.sender == "resident",
               Conversation.municipality_id == municipality_id)))
    if len(rows) != len(set(message_ids)):
        raise TeachError("no_questions")  # someone else's message, or gone
    return rows


# ------------------------------------------------------------------ training examples
def taught_dir() -> Path:
    return Path(current_app.config.get("TEACH_DIR") or ROOT / "training_data" / "nlu" / "taught")


def _clean_example(text: str) -> str:
    """One line of a Rasa YAML example block: no newlines, no entity-annotation syntax."""
    text = " ".join(text.split())[:MAX_EXAMPLE]
    text = re.sub(r"\]\s*[({\[]", "] ", text)  # "[x](entity)" would be read as an entity annotation
    return text.lstrip("-# ").strip()


def _examples_in(path: Path) -> dict[str, str]:
    """Example text (lower-case) -> intent for one NLU file; a broken file reads as empty."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    out = {}
    for block in data.get("nlu") or []:
        if isinstance(block, dict) and block.get("intent"):
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out[line[2:].strip().lower()] = block["intent"]
    return out


def existing_examples() -> dict[str, str]:
    files = list((ROOT / "training_data").glob("**/*.yml"))
    if taught_dir().exists():  # every municipality's: Rasa refuses one text under two intents
        files += [p for p in sorted(taught_dir().glob("**/*.yml")) if p not in files]
    known: dict[str, str] = {}
    for path in files:
        known.update(_examples_in(path))
    return known


def examples_shown_to(admin: User) -> dict[str, str]:
    """:func:`existing_examples` as far as ``admin`` may see them (as the training examples' export gives
    them): the shared files and the own municipality's taught examples (and, on a one-municipality
    installation, those taught before examples were kept per municipality); never another municipality's,
    which are its residents' questions."""
    from bot.examples import taught_folder

    taught = taught_dir().resolve()
    files = [p for p in (ROOT / "training_data").glob("**/*.yml") if not p.resolve().is_relative_to(taught)]
    files += sorted((taught / taught_folder(admin.municipality.slug)).glob("*.yml"))
    if db.session.scalar(select(func.count(Municipality.id))) == 1:
        files += sorted(taught.glob("*.yml"))
    known: dict[str, str] = {}
    for path in files:
        known.update(_examples_in(path))
    return known


def _write_taught(slug: str, intent: str, lang: str, examples: list[str]) -> Path:
    from bot.examples import taught_folder

    path = taught_dir() / taught_folder(slug) / f"{intent}_{lang}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    current: list[str] = []
    if path.exists():  # keep earlier lines as written
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        current = [line.strip()[2:] for b in data.get("nlu") or [] for line in str(b.get("examples", "")).splitlines()
                   if line.strip().startswith("- ")]
    lines = current + examples
    body = "".join(f"    - {e}\n" for e in lines)
    text = (f"# Taught in /admin/teach from residents' (redacted) questions. Language: {lang}.\n"
            f'version: "3.1"\nnlu:\n- intent: {intent}\n  examples: |\n{body}')
    yaml.safe_load(text)  # never write a file Rasa cannot read
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


EACH_OWN_LANGUAGE = ""  # add_examples(lang=...): every question under the language it was asked in


def add_examples(admin: User, message_ids: list[int], intent: str, lang: str) -> dict:
    """Write the questions as examples of ``intent``; skips exact duplicates and texts that are already
    examples of another intent (Rasa refuses those). ``lang`` is the file every question goes to, or
    :data:`EACH_OWN_LANGUAGE`: each question to its own language's file (a group may mix languages: the
    suggester's vectors are multilingual). Returns {"added", "skipped", "conflicts", "paths"}; a conflict is
    (text, intent), the intent None when the example it clashes with is not the admin's to see
    (:func:`examples_shown_to`: another municipality's residents' question)."""
    if not shared_model.may_change(admin):
        raise TeachError("shared_model")
    if intent not in load_catalogue().intents:
        raise TeachError("intent_unknown")
    if lang != EACH_OWN_LANGUAGE and lang not in LANGUAGES:
        raise TeachError("lang_unknown")
    msgs = _own_messages(admin.municipality_id, message_ids)
    known = existing_examples()
    shown: dict[str, str] | None = None  # read on the first conflict
    added, skipped, conflicts = [], [], []
    by_lang: dict[str, list[str]] = {}
    for msg in msgs:
        text = _clean_example(msg.text)
        other = known.get(text.lower())
        if not text or other == intent or text.lower() in {a.lower() for a in added}:
            skipped.append(text)
        elif other:
            shown = shown if shown is not None else examples_shown_to(admin)
            conflicts.append((text, other if shown.get(text.lower()) == other else None))
        else:
            added.append(text)
            own = lang or (msg.lang if msg.lang in LANGUAGES else "nb")
            by_lang.setdefault(own, []).append(text)
    paths = [str(_write_taught(admin.municipality.slug, intent, code, texts)) for code, texts in sorted(by_lang.items())]
    db.session.add(AuditEvent(municipality_id=admin.municipality_id, actor=admin.email, action="teach_examples",
                              target=f"intent:{intent}",
                              details={"message_ids": [m.id for m in msgs], "lang": lang or "own",
                                       "added": len(added),
                                       "langs": {code: len(texts) for code, texts in sorted(by_lang.items())}}))
    db.session.commit()
    return {"added": added, "skipped": skipped, "conflicts": conflicts, "paths": paths}


def forget_questions(municipality_id: int | None, message_ids) -> int:
    """Deletion (on request, by retention): the article requests lose the questions of these messages, which
    they kept as text (redacted is not anonymous: a question can describe the resident's situation); deleting a
    conversation left its question in the KB team's list for good. The request keeps its note and how many
    questions were removed (``forgotten``). Returns how many questions went; the caller commits."""
    gone = set(message_ids)
    if not gone:
        return 0
    removed = 0
    query = select(AuditEvent).where(AuditEvent.action == "article_request")
    if municipality_id is not None:
        query = query.where(AuditEvent.municipality_id == municipality_id)
    for event in db.session.scalars(query):
        details = dict(event.details or {})
        ids, texts = details.get("message_ids") or [], details.get("questions") or []
        keep = [n for n, message_id in enumerate(ids) if message_id not in gone]
        if len(keep) == len(ids):
            continue
        # questions[n] is the text of message_ids[n] (request_article keeps the first 20 texts)
        details["message_ids"] = [ids[n] for n in keep]
        details["questions"] = [texts[n] for n in keep if n < len(texts)]
        details["forgotten"] = int(details.get("forgotten") or 0) + len(ids) - len(keep)
        event.details = details  # a new dict: JSON columns do not track in-place changes
        removed += len(ids) - len(keep)
    return removed


TAUGHT_REMOVED = "taught_examples_removed"


def _taught_files(municipality: Municipality, intent: str) -> list[Path]:
    """The files ``intent``'s examples taught by ``municipality`` can be in: its own folder (any language),
    and on a one-municipality installation also the files written before examples were kept per
    municipality (which are then its own)."""
    from bot.examples import taught_folder

    base = taught_dir()
    files = sorted((base / taught_folder(municipality.slug)).glob(f"{intent}_*.yml"))
    if db.session.scalar(select(func.count(Municipality.id))) == 1:
        files += sorted(base.glob(f"{intent}_*.yml"))
    return files


def _remove_examples(path: Path, drop: set[str]) -> int:
    """Take the examples whose text (lower-case) is in ``drop`` out of one taught file; the file goes when
    no example is left (Rasa refuses an intent block without examples). Returns how many lines went."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return 0
    removed = 0
    for block in data.get("nlu") or []:
        if not isinstance(block, dict):
            continue
        lines = str(block.get("examples") or "").splitlines()
        keep = [line for line in lines if not (line.strip().startswith("- ") and line.strip()[2:].strip().lower() in drop)]
        removed += len(lines) - len(keep)
        block["examples"] = "".join(f"{line.strip()}\n" for line in keep if line.strip())
    if not removed:
        return 0
    blocks = [b for b in data.get("nlu") or [] if isinstance(b, dict) and b.get("examples")]
    if not blocks:
        path.unlink()
        return removed
    header = "".join(line + "\n" for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    body = "".join(f"- intent: {b['intent']}\n  examples: |\n"
                   + "".join(f"    {line}\n" for line in b["examples"].splitlines()) for b in blocks)
    text = f'{header}version: "3.1"\nnlu:\n{body}'
    yaml.safe_load(text)  # never write a file Rasa cannot read
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return removed


def forget_taught(municipality_id: int | None, message_ids) -> int:
    """Deletion (on request, by retention): the training examples an admin taught from these messages leave
    the municipality's taught files. A taught example is the municipality's training data once accepted, but
    its text is the resident's (redacted) words, and the DPO expects a deletion to reach every copy of them.
    Each ``teach_examples`` audit event links the examples to their source messages (``message_ids``); an
    example stays only while another, not deleted, message taught with the same words still backs it (then
    it is also that resident's question, still in their conversation). The event loses the deleted ids and
    counts them (``forgotten``); the municipality's audit log gets a ``taught_examples_removed`` event with
    the count, which the teach page shows until the next retraining: the model keeps what it learned from
    them until it is retrained. Called before the messages are deleted (their texts say which lines);
    returns how many example lines went; the caller commits."""
    gone = set(message_ids)
    if not gone:
        return 0
    query = select(AuditEvent).where(AuditEvent.action == "teach_examples")
    if municipality_id is not None:
        query = query.where(AuditEvent.municipality_id == municipality_id)
    events = list(db.session.scalars(query))
    hit = [e for e in events if gone.intersection((e.details or {}).get("message_ids") or [])]
    removed_by: Counter = Counter()
    for event in hit:
        details = dict(event.details or {})
        ids = details.get("message_ids") or []
        intent = (event.target or "").removeprefix("intent:")
        # the same words taught from a message that stays (in any of the municipality's events of this intent)
        backing = {i for e in events if e.municipality_id == event.municipality_id and e.target == event.target
                   for i in (e.details or {}).get("message_ids") or [] if i not in gone}
        texts = dict(db.session.execute(select(Message.id, Message.text)
                                        .where(Message.id.in_(backing | set(ids)))).all())
        kept = {_clean_example(texts[i]).lower() for i in backing if i in texts}
        drop = {_clean_example(texts[i]).lower() for i in ids if i in gone and i in texts} - kept - {""}
        municipality = db.session.get(Municipality, event.municipality_id) if event.municipality_id else None
        if drop and intent and municipality is not None:
            for path in _taught_files(municipality, intent):
                removed_by[event.municipality_id] += _remove_examples(path, drop)
        details["message_ids"] = [i for i in ids if i not in gone]
        details["forgotten"] = int(details.get("forgotten") or 0) + len(ids) - len(details["message_ids"])
        event.details = details  # a new dict: JSON columns do not track in-place changes
    for owner, count in sorted(removed_by.items()):
        if count:
            db.session.add(AuditEvent(municipality_id=owner, actor="deletion", action=TAUGHT_REMOVED,
                                      target="training_data", details={"examples": count}))
    return sum(removed_by.values())


def removed_since_retrain(municipality_id: int, app=None) -> int:
    """How many of the municipality's taught examples deletions removed since the model in use was trained
    (all of them when no retraining finished here yet): the model still knows them until a retraining."""
    st = status(app)
    query = select(AuditEvent).where(AuditEvent.municipality_id == municipality_id,
                                     AuditEvent.action == TAUGHT_REMOVED)
    if st.state == "done" and st.started_at:  # removed after the training had read the files: still in it
        from datetime import UTC, datetime

        query = query.where(AuditEvent.created_at >= datetime.fromtimestamp(st.started_at, UTC).replace(tzinfo=None))
    return sum(int((e.details or {}).get("examples") or 0) for e in db.session.scalars(query))


def request_article(admin: User, message_ids: list[int], intent: str, note: str) -> AuditEvent:
    """Ask for a new or better article: the questions (redacted) go to the KB team's list."""
    if intent and intent not in load_catalogue().intents:
        raise TeachError("intent_unknown")
    msgs = _own_messages(admin.municipality_id, message_ids)
    event = AuditEvent(municipality_id=admin.municipality_id, actor=admin.email, action="article_request",
                       target=f"intent:{intent}" if intent else "intent:",
                       details={"message_ids": [m.id for m in msgs], "questions": [m.text for m in msgs][:20],
                                # a JSON column: the text columns' cleaning type (tinget.db) does not reach it
                                "note": clean(note or "").strip()[:1000], "status": "open"})
    db.session.add(event)
    db.session.commit()
    return event


def article_requests(municipality_id: int, limit: int = 50) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.municipality_id == municipality_id,
                                                            AuditEvent.action == "article_request")
                                   .order_by(AuditEvent.id.desc()).limit(limit)))


# ------------------------------------------------------------------ retraining
@dataclass
class RetrainStatus:
    state: str = "idle"  # idle | training | loading | reindexing | done | failed
    progress: float | None = None  # 0..1 within the current state, when known
    detail: str = ""  # e.g. the Rasa stage, or "encoding passages 120/300"
    error: str = ""  # failed: loading | training | reindexing
    reason: str = ""  # failed: the tool's own last words
    model: str = ""  # the model now serving (done) or kept (failed)
    started_at: float = 0.0
    finished_at: float = 0.0
    load_started_at: float = 0.0  # the PUT /model window (residents kept being answered meanwhile)
    load_finished_at: float = 0.0
    by: str = ""
    pid: int = 0  # the web process running it

    @property
    def running(self) -> bool:
        return self.state in ("training", "loading", "reindexing")


_LOCK = threading.Lock()
_EPOCHS = re.compile(r"Epochs:\s+(\d+)%")
_READY = re.compile(r"Model (?:ready|is up to date): (\S+\.tar\.gz)")
# Rasa's training hooks log each graph component it trains (or restores from its cache)
_COMPONENT = re.compile(r"(Starting to train|Finished training|Restored) component '(\w+)'")


def _status_path(app) -> Path:
    return Path(app.config["INSTANCE_PATH"]) / "retrain-status.json"


def status(app=None) -> RetrainStatus:
    """The last retraining's status (kept in a file so every web worker reports the same)."""
    app = app or current_app._get_current_object()
    try:
        data = json.loads(_status_path(app).read_text(encoding="utf-8"))
        st = RetrainStatus(**{k: v for k, v in data.items() if k in RetrainStatus.__dataclass_fields__})
    except (OSError, ValueError, TypeError):
        return RetrainStatus()
    if st.running and not _alive(app, st.pid):
        st.state, st.error, st.reason = "failed", "interrupted", "the web process stopped during the run"
    return st


def _alive(app, pid: int) -> bool:
    """Is the run still going? Ours: its thread is there. Another worker's: that process is there."""
    if pid == os.getpid():
        return bool(app.extensions.get("tinget.retrain.thread"))
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, ValueError, OverflowError):
        return False
    except PermissionError:
        return True
    return pid > 0


def _save(app, st: RetrainStatus) -> None:
    path = _status_path(app)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(st)), encoding="utf-8")
    os.replace(tmp, path)


def train_command(app) -> list[str]:
    return list(app.config.get("TEACH_TRAIN_COMMAND") or
                [sys.executable, "-c", "from web.cli import cli; cli()", "bot", "train"])


def start_retrain(admin: User) -> RetrainStatus:
    if not shared_model.may_change(admin):
        raise TeachError("shared_model")
    app = current_app._get_current_object()
    if not _LOCK.acquire(blocking=False):
        raise TeachError("busy")
    if status(app).running:  # started by another web worker
        _LOCK.release()
        raise TeachError("busy")
    try:
        st = RetrainStatus(state="training", started_at=time.time(), by=admin.email, detail="starting",
                           pid=os.getpid())
        _save(app, st)
        db.session.add(AuditEvent(municipality_id=admin.municipality_id, actor=admin.email, action="retrain",
                                  target="rasa"))
        db.session.commit()
        thread = threading.Thread(target=_run, args=(app, st, admin.municipality_id), name="retrain", daemon=True)
        app.extensions["tinget.retrain.thread"] = thread
        thread.start()
    except BaseException:
        _LOCK.release()
        raise
    return st


def _run(app, st: RetrainStatus, municipality_id: int) -> None:
    try:
        model = _train(app, st)
        if model is None:
            return
        if not _load(app, st, model):
            return
        _reindex(app, st, municipality_id)
        st.state, st.progress, st.finished_at = "done", 1.0, time.time()
        _save(app, st)
    except Exception as exc:  # never leave the status "running"
        log.exception("retraining failed")
        st.state, st.error, st.reason, st.finished_at = "failed", st.error or "internal", str(exc)[:500], time.time()
        _save(app, st)
    finally:
        app.extensions.pop("tinget.retrain.thread", None)
        _LOCK.release()


def _train(app, st: RetrainStatus) -> Path | None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(train_command(app), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    tail: list[str] = []
    done = 0
    model: Path | None = None
    buf = b""
    last_save = 0.0
    while True:
        chunk = proc.stdout.read1(4096) if hasattr(proc.stdout, "read1") else proc.stdout.read(4096)
        if not chunk:
            break
        buf += chunk
        *lines, buf = re.split(rb"[\r\n]", buf)
        for raw in lines:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            tail = (tail + [line])[-12:]
            m = _EPOCHS.search(line)
            if m:
                st.progress = int(m.group(1)) / 100
            m = _COMPONENT.search(line)
            if m:
                done += m.group(1) != "Starting to train"
                st.progress = None if m.group(1) == "Starting to train" else st.progress
                st.detail = f"{m.group(2)} ({done} components trained)"
            m = _READY.search(line)
            if m:
                model = Path(m.group(1))
        if time.time() - last_save > 0.5:
            _save(app, st)
            last_save = time.time()
    code = proc.wait()
    if buf.strip():
        tail = (tail + [buf.decode("utf-8", "replace").strip()])[-12:]
    if code != 0 or model is None or not model.exists():
        st.state, st.error, st.finished_at = "failed", "training", time.time()
        st.reason = "\n".join(line for line in tail if "Epochs" not in line)[-1500:] or f"exit code {code}"
        st.model = app.extensions.get("tinget.model_version", "")
        _save(app, st)
        return None
    st.detail = model.name
    return model


def _load(app, st: RetrainStatus, model: Path) -> bool:
    """``PUT /model`` on every Rasa server; Rasa answers after the new model is in place and served the
    old one meanwhile. Checks ``/status`` afterwards."""
    st.state, st.progress, st.detail, st.load_started_at = "loading", None, model.name, time.time()
    _save(app, st)
    urls = [u.strip().rstrip("/") for u in app.config["RASA_URL"].split(",") if u.strip()]
    timeout = app.config.get("TEACH_LOAD_TIMEOUT", 600)
    for n, url in enumerate(urls):
        try:
            resp = requests.put(f"{url}/model", json={"model_file": str(model.resolve())}, timeout=timeout)
            loaded = requests.get(f"{url}/status", timeout=30).json().get("model_file", "")
        except (requests.RequestException, ValueError) as exc:
            reason = f"{url}: {exc.__class__.__name__}"
        else:
            if resp.status_code in (200, 204) and Path(loaded).name == model.name:
                st.progress = (n + 1) / len(urls)
                _save(app, st)
                continue
            reason = f"{url} answered {resp.status_code}: {resp.text[:300]}"
        st.state, st.error, st.reason, st.finished_at = "failed", "loading", reason, time.time()
        st.model = app.extensions.get("tinget.model_version", "")
        _save(app, st)
        return False
    app.extensions["tinget.model_version"] = model.name
    st.model, st.load_finished_at = model.name, time.time()
    return True


def _reindex(app, st: RetrainStatus, municipality_id: int) -> None:
    st.state, st.progress, st.detail = "reindexing", 0.0, ""
    _save(app, st)
    if not app.config.get("SUGGESTER_ENABLED"):
        st.detail = "suggester off"
        return

    def progress(stage: str, done: int, total: int) -> None:
        st.progress, st.detail = (done / total if total else 1.0), f"{stage} {done}/{total}"
        _save(app, st)

    from web.services.drafts import reindex

    with app.app_context():
        try:
            reindex(db.session.get(Municipality, municipality_id), progress=progress)
        except Exception as exc:  # the bot has its new model; say the suggester did not follow
            log.exception("suggester reindex after retraining failed")
            st.state, st.error, st.reason, st.finished_at = "failed", "reindexing", str(exc)[:500], time.time()
            _save(app, st)
            raise
