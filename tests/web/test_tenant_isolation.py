"""Tenant isolation, route by route: two municipalities on one installation (one database, one app).

Fjordvik (the demo) and Elvdal each have departments, an admin and a caseworker. Elvdal gets one of
everything a route can address: a chat case with a draft, a note and an encrypted original, a mail
case with a reply whose e-mail failed, a set-aside mail, a KB override with versions, a taught group,
an article request, an accepted reply, transparency records and audit events. Every Elvdal row carries
the marker ``zqxelv``.

Then Fjordvik's admin and caseworker address each of Elvdal's objects by its id or reference, reading
(GET) and changing (POST with a valid CSRF token): each answer is 403 or 404 (or the route's own
refusal), and Elvdal's rows are byte for byte what they were (:func:`snapshot`). Fjordvik's lists,
exports, searches and aggregates never show Elvdal's rows or counts: the exports are compared with
the same exports taken before Elvdal had any data. A resident's conversation token opens only its own
conversation.

The mail servers: an admin may name the municipality's own IMAP/SMTP server, but the installation's
passwords (``TINGET_IMAP_PASSWORD``, ``TINGET_SMTP_PASSWORD``) never go to a server an admin chose.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from tests.conftest import Resident, csrf_token, login, make_app
from tests.processes import LoopbackListener

MARK = "zqxelv"
FJ_ADMIN = ("admin@fjordvik.example", "demo-admin")
FJ_WORKER = ("service@fjordvik.example", "demo-service")  # service_desk, finance, welfare, culture
EL_ADMIN = ("admin@elvdal.example", "elvdal-admin-pass")
EL_WORKER = ("ola@elvdal.example", "elvdal-worker-pass")


# ------------------------------------------------------------------ the two municipalities
def _client(app, who):
    client = app.test_client()
    client.get("/auth/login?lang=en")
    resp = login(client, *who)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    return client


def _elvdal_file(tmp: Path) -> Path:
    from kb.importer import CONTENT_DIR

    data = yaml.safe_load((CONTENT_DIR / "demo" / "municipality.yml").read_text(encoding="utf-8"))
    data.pop("users", None)
    data.update(slug="elvdal", name="Elvdal kommune", website="https://www.elvdal.example",
                privacy_policy_url="https://www.elvdal.example/personvern-zqxelv")
    data["settings"].update(phone="+47 55 70 10 00", email="postmottak@elvdal.example")
    for dep in data["departments"]:
        dep["names"] = {lang: f"{name} Elvdal" for lang, name in dep.get("names", {}).items()}
        dep["email"] = f"{dep['key']}@elvdal.example"
    data["departments"].append({"key": "elv_ferry", "names": {"nb": "Ferjekontoret zqxelv"}})
    path = tmp / "elvdal.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _fjordvik_exports(client) -> dict[str, str]:
    """What Fjordvik's admin exports and counts: compared before and after Elvdal has data."""
    urls = ("/admin/transparency/export.json", "/admin/transparency/export.csv", "/admin/analytics.csv",
            "/admin/kb/export.yaml", "/admin/kb/export.csv", "/admin/kb/training.yaml", "/admin/kb/training.csv")
    out = {}
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        out[url] = resp.get_data(as_text=True)
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from kb.importer import load_municipality
    from tinget.db import utcnow
    from tinget.models import Municipality
    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import AcceptedReply, AuditEvent, Case, Conversation, Draft, Message
    from web.services.users import upsert_user

    tmp = tmp_path_factory.mktemp("tenants")
    training = tmp / "training"
    (training / "nlu" / "taught").mkdir(parents=True)
    # both are in the region's bot team (web.services.shared_model): each teaches, and exports only its own
    app = make_app(tmp, TRAINING_DATA_DIR=str(training), TEACH_DIR=str(training / "nlu" / "taught"),
                   RATELIMIT_ENABLED=False, BOT_TEAM=["fjordvik", "elvdal"])
    with app.app_context():
        elvdal = load_municipality(db.session, _elvdal_file(tmp))
        upsert_user(elvdal, EL_ADMIN[0], "Elin Elvdal", "admin", EL_ADMIN[1], "all")
        upsert_user(elvdal, EL_WORKER[0], "Ola Elvdal", "caseworker", EL_WORKER[1], ["service_desk", "elv_ferry"])
        db.session.commit()

    # Fjordvik: one case of its own (the bot is down: the message becomes a case in the service desk)
    fj_resident = Resident(app.test_client(), municipality="fjordvik")
    assert fj_resident.say("Jeg lurer på noe om fjordvik-saken min").status_code == 201
    # and one that counts as younger than Elvdal's cases below (console: 'next case')
    newer = Resident(app.test_client(), municipality="fjordvik")
    assert newer.say("Enda en sak i Fjordvik").status_code == 201
    with app.app_context():
        case = db.session.scalar(select(Conversation).where(Conversation.public_id == newer.id)).cases[0]
        case.created_at = utcnow() + timedelta(minutes=10)
        db.session.commit()
    fj_admin, fj_worker = _client(app, FJ_ADMIN), _client(app, FJ_WORKER)
    with app.app_context():
        fj_question = db.session.scalar(select(Conversation).where(Conversation.public_id == fj_resident.id)).messages[0]
        fj_question_id, fj_taught = fj_question.id, fj_question.text
    token = csrf_token(fj_admin.get("/admin/teach").get_data(as_text=True))  # Fjordvik teaches its own question
    assert fj_admin.post("/admin/teach/groups", data={"csrf_token": token, "q": str(fj_question_id),
                                                      "intent": "library", "lang": "nb"}).status_code == 302
    # taught before examples were kept per municipality: whose is not known
    (training / "nlu" / "taught" / "library_sv.yml").write_text(
        f'version: "3.1"\nnlu:\n- intent: library\n  examples: |\n    - Gammalt {MARK} exempel\n', encoding="utf-8")
    before = _fjordvik_exports(fj_admin)

    # Elvdal: a chat case by the same path, then one of everything else
    el_resident = Resident(app.test_client(), municipality="elvdal")
    assert el_resident.say(f"Spørsmål {MARK} om ferja og saken min").status_code == 201
    assert el_resident.say(f"Enda et spørsmål {MARK} om bryggen").status_code == 201
    el_admin = _client(app, EL_ADMIN)
    from tests.admin.helpers import save

    save(el_admin, "library", "nb", title=f"Bibliotek {MARK}", body=f"Elvdal sitt bibliotek {MARK}.")
    save(el_admin, "library", "nb", title=f"Bibliotek {MARK}", body=f"Elvdal sitt bibliotek {MARK}, versjon 2.")
    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "elvdal"))
        conv = db.session.scalar(select(Conversation).where(Conversation.public_id == el_resident.id))
        case = conv.cases[0]
        questions = [msg.id for msg in conv.messages if msg.sender == "resident"]
        case.drafts.append(Draft(rank=0, text=f"Hei! Svar {MARK} om ferja.", score=0.8, lang="nb",
                                 sources=[{"source_id": "article:library:nb"}]))
        db.session.add(AcceptedReply(municipality_id=m.id, case_id=case.id, question=f"ferje {MARK}",
                                     reply=f"Ferja går {MARK} hver time.", lang="nb", department="service_desk"))
        db.session.add(AuditEvent(municipality_id=m.id, actor=EL_ADMIN[0], action="kb_publish",
                                  target=f"kb:{MARK}"))
        # a mail case whose reply was not sent (resend), and a set-aside mail (restore)
        mconv = Conversation(municipality_id=m.id, lang="nb", channel="mail", state="handoff")
        question = Message(conversation=mconv, sender="resident", text=f"E-post {MARK} om vedtak", lang="nb",
                           route="handoff")
        db.session.add_all([mconv, question])
        db.session.flush()
        mcase = Case(municipality_id=m.id, conversation=mconv, department="service_desk", reason="mail",
                     lang="nb", status="answered")
        db.session.add(mcase)
        db.session.flush()
        reply = Message(conversation=mconv, sender="caseworker", text=f"Svar {MARK}", lang="nb",
                        meta={"author": "Ola Elvdal", "case_id": mcase.id, "mail": "failed",
                              "mail_failure": "no_smtp"})
        db.session.add(reply)
        db.session.add(MailItem(municipality_id=m.id, direction="in", message_id=f"<case-{MARK}@elvdal.example>",
                                conversation_id=mconv.id, case_id=mcase.id, subject=f"Vedtak {MARK}",
                                text=f"E-post {MARK} om vedtak", lang="nb", action="route",
                                department="service_desk"))
        aside = MailItem(municipality_id=m.id, direction="in", message_id=f"<news-{MARK}@elvdal.example>",
                         subject=f"Nyhetsbrev {MARK}", text=f"Nyheter {MARK}", lang="nb", action="set_aside",
                         set_aside_kind="newsletter", reason=f"newsletter {MARK}",
                         keep_until=utcnow() + timedelta(days=30))
        db.session.add(aside)
        db.session.commit()
        ids = {"case": case.id, "draft": case.drafts[0].id, "mail_case": mcase.id, "mail_reply": reply.id,
               "set_aside": aside.id, "message": questions[0], "question2": questions[1],
               "conversation": conv.public_id, "municipality": m.id,
               "department": next(d.id for d in m.departments if d.key == "elv_ferry"),
               "admin": _user_id(EL_ADMIN[0]), "worker": _user_id(EL_WORKER[0])}
        fconv = db.session.scalar(select(Conversation).where(Conversation.public_id == fj_resident.id))
        ids["fj_case"], ids["fj_message"] = fconv.cases[0].id, fconv.messages[0].id
    # Elvdal's admin teaches one question and asks for an article with the other (elvdal's own audit
    # events, a taught file with an Elvdal resident's words)
    token = csrf_token(el_admin.get("/admin/teach").get_data(as_text=True))
    assert el_admin.post("/admin/teach/groups", data={"csrf_token": token, "q": str(ids["message"]),
                                                      "intent": "library", "lang": "nb"}).status_code == 302
    assert el_admin.post("/admin/teach/groups", data={"csrf_token": token, "q": str(ids["question2"]),
                                                      "intent": "library", "action": "article",
                                                      "note": MARK}).status_code == 302
    el_page = el_admin.get("/admin/kb/library/nb").get_data(as_text=True).split("History of the national base")[0]
    import re

    ids["versions"] = sorted({int(v) for v in re.findall(r"/admin/kb/library/nb/versions/(\d+)", el_page)})
    assert ids["versions"], "Elvdal's override has versions"
    taught = "".join(p.read_text(encoding="utf-8") for p in (training / "nlu" / "taught").glob("**/*.yml"))
    assert MARK in taught, "Elvdal's taught example is on disk"

    yield {"app": app, "ids": ids, "before": before, "fj_admin": fj_admin, "fj_worker": fj_worker, "fj_taught": fj_taught,
           "el_resident": el_resident, "fj_resident": fj_resident, "training": training}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _user_id(email: str) -> int:
    from web.extensions import db
    from web.models import User

    return db.session.scalar(select(User.id).where(User.email == email))


def snapshot(app, municipality_id: int) -> str:
    """Every row of one municipality (and the files it owns), as text: equal snapshots = nothing changed."""
    from kb.models import Article, ArticleVersion
    from tinget.models import Department, Municipality
    from web.extensions import db
    from web.mail_models import MailItem
    from web.models import (
        AcceptedReply,
        AuditEvent,
        Case,
        CaseNote,
        CaseOriginal,
        Conversation,
        Draft,
        Message,
        TransparencyRecord,
        User,
    )

    def rows(model, *where, skip=()):
        out = []
        for row in db.session.scalars(select(model).where(*where).order_by(model.id)):
            out.append({c.name: repr(getattr(row, c.key)) for c in model.__table__.columns if c.name not in skip})
        return out

    with app.app_context():
        db.session.expire_all()
        conv_ids = select(Conversation.id).where(Conversation.municipality_id == municipality_id)
        case_ids = select(Case.id).where(Case.municipality_id == municipality_id)
        article_ids = select(Article.id).where(Article.municipality_id == municipality_id)
        user_ids = select(User.id).where(User.municipality_id == municipality_id)
        m = db.session.get(Municipality, municipality_id)
        data = {
            "municipality": repr(m.settings), "users": rows(User, User.municipality_id == municipality_id),
            "user_departments": sorted((u.id, d.key) for u in db.session.scalars(
                select(User).where(User.id.in_(user_ids))) for d in u.departments),
            "departments": rows(Department, Department.municipality_id == municipality_id),
            "conversations": rows(Conversation, Conversation.municipality_id == municipality_id),
            "messages": rows(Message, Message.conversation_id.in_(conv_ids)),
            "cases": rows(Case, Case.municipality_id == municipality_id),
            "notes": rows(CaseNote, CaseNote.case_id.in_(case_ids)),
            "originals": rows(CaseOriginal, CaseOriginal.case_id.in_(case_ids)),
            "drafts": rows(Draft, Draft.case_id.in_(case_ids)),
            "accepted": rows(AcceptedReply, AcceptedReply.municipality_id == municipality_id),
            "transparency": rows(TransparencyRecord, TransparencyRecord.municipality_id == municipality_id),
            "audit": rows(AuditEvent, AuditEvent.municipality_id == municipality_id),
            "articles": rows(Article, Article.municipality_id == municipality_id),
            "versions": rows(ArticleVersion, ArticleVersion.article_id.in_(article_ids)),
            "mail": rows(MailItem, MailItem.municipality_id == municipality_id),
            # another tenant's audit events naming this one's objects (e.g. a teach group of its messages)
            "foreign_audit": [r for r in rows(AuditEvent, AuditEvent.municipality_id != municipality_id)
                              if MARK in json.dumps(r)],
        }
        taught = Path(app.config["TEACH_DIR"])
        data["taught"] = {str(p.relative_to(taught)): p.read_text(encoding="utf-8") for p in sorted(taught.glob("**/*.yml"))}
        return json.dumps(data, indent=1, sort_keys=True, default=str)


# ------------------------------------------------------------------ addressing the other tenant's objects
# (method, url, form data, expected statuses). {name} is filled from world["ids"]. Every POST carries a
# valid CSRF token of the logged-in user's own session.
DENIED = (403, 404)
ROUTES = [
    ("GET", "/console/cases/{case}", {}, DENIED),
    ("POST", "/console/cases/{case}/original", {}, DENIED),
    ("POST", "/console/cases/{case}/reply", {"text": "Hei fra Fjordvik"}, DENIED),
    ("POST", "/console/cases/{case}/reply", {"text": "Hei", "draft_id": "{draft}"}, DENIED),
    ("POST", "/console/cases/{case}/close", {}, DENIED),
    ("POST", "/console/cases/{case}/reassign", {"department": "service_desk", "reason": "flytt"}, DENIED),
    ("POST", "/console/cases/{case}/notes", {"text": "notat"}, DENIED),
    ("POST", "/console/cases/{case}/drafts/{draft}/accept", {}, DENIED),
    ("POST", "/console/cases/{case}/drafts/{draft}/reject", {"reason": "feil"}, DENIED),
    ("POST", "/console/cases/{mail_case}/messages/{mail_reply}/resend", {}, DENIED),
    ("GET", "/console/cases/{mail_case}", {}, DENIED),
    # an own case with the other tenant's draft or reply
    ("POST", "/console/cases/{fj_case}/drafts/{draft}/accept", {}, DENIED),
    ("POST", "/console/cases/{fj_case}/drafts/{draft}/reject", {"reason": "feil"}, DENIED),
    ("POST", "/console/cases/{fj_case}/messages/{mail_reply}/resend", {}, DENIED),
    ("POST", "/console/mail/set-aside/{set_aside}/restore", {"department": "service_desk"}, DENIED),
    ("GET", "/admin/users/{admin}", {}, DENIED),
    ("GET", "/admin/users/{worker}", {}, DENIED),
    ("POST", "/admin/users/{worker}", {"name": "Hacked", "email": "ola@elvdal.example", "role": "admin",
                                       "lang": "nb"}, DENIED),
    ("POST", "/admin/users/{worker}/active", {}, DENIED),
    ("POST", "/admin/users/{worker}/password", {"password": "a very new password 42"}, DENIED),
    ("POST", "/admin/users/{admin}/reset", {}, DENIED),
    ("POST", "/admin/departments/{department}", {"name": "Hacked", "lang": "nb"}, DENIED),
    ("GET", "/admin/kb/library/nb/versions/{version0}", {}, DENIED),
    ("GET", "/admin/kb/library/nb/versions/{version1}", {}, DENIED),
    ("POST", "/admin/kb/library/nb/versions/{version0}/rollback", {}, DENIED),
    # by intent and language the admin reaches only the own entry: no override of its own to remove
    ("POST", "/admin/kb/library/nb/remove", {}, DENIED),
    ("POST", "/admin/kb/library/nb/discard", {}, DENIED),
    # deletion by case number or conversation id: "no such ... in this municipality" (400), nothing deleted
    ("POST", "/admin/delete", {"case": "{case}"}, (400, 403)),
    ("POST", "/admin/delete", {"conversation": "{conversation}"}, (400, 403)),
    ("POST", "/admin/delete", {"case": "{case}", "conversation": "", "shown": "{conversation}", "confirm": "1"},
     (400, 403)),
    ("POST", "/admin/delete", {"conversation": "{conversation}", "case": "", "shown": "{conversation}",
                               "confirm": "1"}, (400, 403)),
    # teaching from the other tenant's questions: refused ("choose at least one question"), nothing written
    ("POST", "/admin/teach/groups", {"q": "{message}", "intent": "library", "lang": "nb"}, (302, 403)),
    ("POST", "/admin/teach/groups", {"q": "{fj_message},{message}", "intent": "library", "lang": ""},
     (302, 403)),
    ("POST", "/admin/teach/groups", {"q": "{question2}", "intent": "", "action": "article", "note": "x"},
     (302, 403)),
]


def _fill(value: str, ids: dict) -> str:
    values = {**ids, "version0": ids["versions"][0], "version1": ids["versions"][-1]}
    return value.format(**values)


def _token(client) -> str:
    return csrf_token(client.get("/console/").get_data(as_text=True))


@pytest.mark.parametrize("who", ["fj_admin", "fj_worker"])
@pytest.mark.parametrize("method, url, data, expected", ROUTES,
                         ids=[f"{m} {u} {'+'.join(d)}".strip() for m, u, d, _e in ROUTES])
def test_the_other_tenants_objects_are_out_of_reach(world, who, method, url, data, expected):
    app, ids, client = world["app"], world["ids"], world[who]
    before = snapshot(app, ids["municipality"])
    url = _fill(url, ids)
    if method == "GET":
        resp = client.get(url)
    else:
        form = {k: _fill(v, ids) for k, v in data.items()}
        resp = client.post(url, data={**form, "csrf_token": _token(client)})
    assert resp.status_code in expected, (resp.status_code, resp.get_data(as_text=True)[:400])
    body = resp.get_data(as_text=True)
    assert MARK not in body and "Elvdal" not in body
    if resp.status_code == 302:
        page = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert MARK not in page
    assert snapshot(app, ids["municipality"]) == before


def test_next_case_never_leads_to_the_other_tenant_nor_tells_when_its_case_came(world):
    """'Next case after #n' with another tenant's case number is 'next case' without one: which of the own
    cases it leads to must not tell when the other tenant's case came in. (Fjordvik's first case is older
    than Elvdal's, its second younger: on main, 'next after Elvdal's' led to the second.)"""
    ids = world["ids"]
    for who in ("fj_admin", "fj_worker"):
        first = world[who].get("/console/next").headers["Location"]
        for case in ("case", "mail_case"):
            resp = world[who].get(f"/console/next?after={ids[case]}")
            assert resp.status_code == 302
            assert f"/console/cases/{ids[case]}" not in resp.headers["Location"]
            assert resp.headers["Location"] == first


def test_a_user_cannot_be_given_the_other_tenants_department(world):
    client = world["fj_admin"]
    token = csrf_token(client.get("/admin/users/new").get_data(as_text=True))
    resp = client.post("/admin/users/new", data={
        "csrf_token": token, "name": "Nils Ny", "email": "nils@fjordvik.example", "role": "caseworker",
        "departments": ["elv_ferry"], "lang": "nb", "password": "a long enough password 7"})
    assert resp.status_code == 400
    with world["app"].app_context():
        assert _user_id("nils@fjordvik.example") is None


# ------------------------------------------------------------------ lists, searches, exports, aggregates
LISTS = ["/console/", "/console/?status=all", "/console/?status=closed", "/console/?status=unsent",
         f"/console/?status=all&q={MARK}", "/console/?status=all&q=Elvdal", "/console/?department=elv_ferry",
         "/console/mail/set-aside", "/console/mail/set-aside?state=restored", "/console/mail/set-aside?kind=newsletter",
         "/admin/", "/admin/transparency", "/admin/analytics", "/admin/kb/", "/admin/kb/?show=local",
         "/admin/kb/?show=drafts", "/admin/kb/library/nb", "/admin/users", "/admin/teach", "/admin/mail",
         "/admin/delete", "/admin/teach/retrain/status"]


@pytest.mark.parametrize("who", ["fj_admin", "fj_worker"])
def test_lists_and_searches_show_only_the_own_municipality(world, who):
    client = world[who]
    shown = []
    for url in LISTS:
        resp = client.get(url)
        assert resp.status_code in (200, 403), (url, resp.status_code)
        body = resp.get_data(as_text=True)
        for q in (MARK, "Elvdal"):  # the search box shows what was searched for
            body = body.replace(f'name="q" type="search" value="{q}"', "")
        ids = world["ids"]
        if MARK in body or "Elvdal" in body or "elvdal" in body or any(
                f"/console/cases/{ids[k]}\"" in body for k in ("case", "mail_case")):
            shown.append(url)
    assert shown == []


def test_the_caseworkers_queue_counts_only_the_own_cases(world):
    """The navigation's unread count and the 'unsent' filter: Elvdal's unread case and its unsent mail
    reply (both in a department Fjordvik's caseworker also has) are not counted."""
    from sqlalchemy import func

    from web.extensions import db
    from web.models import Case, Conversation, User
    from web.services import cases

    with world["app"].app_context():
        for email in (FJ_ADMIN[0], FJ_WORKER[0]):
            user = db.session.scalar(select(User).where(User.email == email))
            assert all(c.municipality_id != world["ids"]["municipality"] for c in cases.queue(user, status="all"))
            assert cases.unsent_total(user) == 0
            own_unread = db.session.scalar(
                select(func.coalesce(func.sum(Case.unread), 0)).join(Conversation)
                .where(Conversation.municipality_id == user.municipality_id, Case.status != "closed",
                       Case.department.in_(user.department_keys())))
            assert cases.unread_total(user) == own_unread >= 1


def test_exports_and_aggregates_are_as_before_the_other_tenant_had_data(world):
    """Transparency log, analytics and KB exports, and the bot's training examples, taken by Fjordvik's
    admin before Elvdal had any data, are the same now that Elvdal has conversations, cases, mails, a KB
    override and a taught group. The training examples Fjordvik exports hold the ones it taught itself,
    not Elvdal's (its residents' words), nor those taught before examples were kept per municipality
    (whose they are is not known)."""
    after = _fjordvik_exports(world["fj_admin"])
    changed = [url for url in after if after[url] != world["before"][url]]
    assert changed == []
    assert all(MARK not in text for text in after.values())
    exported = yaml.safe_load(after["/admin/kb/training.yaml"])["examples"]
    assert {"intent": "library", "lang": "nb", "text": world["fj_taught"]} in exported


def test_no_shared_cache_may_keep_a_municipalitys_pages(world):
    """A reverse proxy in front of the region's installation may cache: every console, admin and login
    answer says it is for this user only."""
    client = world["fj_admin"]
    for url in ("/console/", f"/console/cases/{world['ids']['fj_case']}", "/admin/users", "/admin/kb/export.csv",
                "/admin/transparency/export.json", "/admin/analytics.csv", "/admin/teach/retrain/status",
                f"/admin/users/{world['ids']['worker']}", "/auth/login"):
        cache = client.get(url).headers.get("Cache-Control", "")
        assert "private" in cache or "no-store" in cache, (url, cache)


# ------------------------------------------------------------------ residents
def test_a_conversation_token_opens_only_its_own_conversation(world):
    app, ids = world["app"], world["ids"]
    fj, el = world["fj_resident"], world["el_resident"]
    client = app.test_client()
    before = snapshot(app, ids["municipality"])
    wrong = {"X-Conversation-Token": fj.token}
    base = f"/api/v1/conversations/{el.id}"
    assert client.get(f"{base}/messages", headers=wrong).status_code == 403
    assert client.get(f"{base}/messages?token={fj.token}").status_code == 403
    assert client.get(f"{base}/messages").status_code == 403
    assert client.post(f"{base}/messages", json={"text": "hei"}, headers=wrong).status_code == 403
    assert client.post(f"{base}/email", json={"email": "x@example.org"}, headers=wrong).status_code == 403
    assert client.delete(base, headers=wrong).status_code == 403
    assert client.delete(f"{base}?token={fj.token}").status_code == 403
    assert snapshot(app, ids["municipality"]) == before
    # its own token still works, and reads only its own conversation's messages
    own = client.get(f"/api/v1/conversations/{fj.id}/messages", headers=fj.headers)
    assert own.status_code == 200 and MARK not in own.get_data(as_text=True)


def test_two_residents_of_one_municipality_are_apart_too(world):
    app = world["app"]
    client = app.test_client()
    a, b = Resident(client, municipality="fjordvik"), Resident(client, municipality="fjordvik")
    assert b.say("Hei, dette er b").status_code == 201
    for path in ("messages", "email"):
        resp = (client.get if path == "messages" else client.post)(
            f"/api/v1/conversations/{b.id}/{path}", headers=a.headers,
            **({} if path == "messages" else {"json": {"email": ""}}))
        assert resp.status_code == 403
    assert client.delete(f"/api/v1/conversations/{b.id}", headers=a.headers).status_code == 403
    assert b.messages().status_code == 200


def test_the_widget_of_one_municipality_tells_nothing_of_another(world):
    client = world["app"].test_client()
    config = client.get("/api/v1/widget/config?municipality=fjordvik").get_data(as_text=True)
    assert MARK not in config and "Elvdal" not in config and "elvdal" not in config
    assert "Elvdal kommune" in client.get("/api/v1/widget/config?municipality=elvdal").get_data(as_text=True)
    # with two municipalities the widget must say which one: never silently the first
    resp = client.post("/api/v1/conversations", json={"lang": "nb"})
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "missing_municipality"
    assert client.get("/api/v1/widget/config").status_code == 400
    for page in ("/accessibility?municipality=fjordvik", "/"):
        assert MARK not in client.get(page).get_data(as_text=True)


# ------------------------------------------------------------------ the suggester, the lexicon, the command line
def test_drafts_and_the_language_lexicon_read_only_the_own_municipality(world):
    """A Fjordvik case's drafts come from Fjordvik's index, built from Fjordvik's articles and accepted
    replies only (one index directory and one fan-out topic per municipality); the words that make a
    message count as a KB language are the own KB's."""
    from kb.store import kb_lexicon
    from tinget.models import Municipality
    from web.extensions import db
    from web.services import drafts

    app = world["app"]
    with app.app_context():
        fj = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        el = db.session.scalar(select(Municipality).where(Municipality.slug == "elvdal"))
        docs = drafts.documents(fj)
        assert docs and all(MARK not in (d.text + d.title) for d in docs)
        assert any(MARK in d.text for d in drafts.documents(el))  # Elvdal's own do hold the marker
        assert drafts.index_dir(fj) != drafts.index_dir(el)
        assert drafts._topic(fj) != drafts._topic(el)
        assert not kb_lexicon(db.session, fj.id).knows("nb", MARK)
        assert kb_lexicon(db.session, el.id).knows("nb", MARK)


def test_deletion_on_the_command_line_stays_in_the_named_municipality(world):
    from web.cli import cli

    app, ids = world["app"], world["ids"]
    before = snapshot(app, ids["municipality"])
    runner = app.test_cli_runner()
    for ref in (str(ids["case"]), f"#{ids['case']}", ids["conversation"]):
        result = runner.invoke(cli, ["privacy", "delete", ref, "--yes", "--municipality", "fjordvik"])
        assert result.exit_code != 0 and "nothing was deleted" in result.output
    assert snapshot(app, ids["municipality"]) == before


@pytest.mark.parametrize("command", [["privacy", "delete", "1", "--yes"], ["mail", "import", "{eml}"],
                                     ["mail", "poll"]])
def test_commands_must_name_the_municipality_when_there_are_several(world, tmp_path, command):
    """With several municipalities a command that acts for one must be told which: by default 'the first'
    put Elvdal's mail into Fjordvik's cases (mail import, poll) or deleted in the wrong one."""
    from tinget.models import Municipality
    from web.cli import cli
    from web.extensions import db
    from web.mail_models import MailItem

    app = world["app"]
    eml = tmp_path / "elvdal.eml"
    eml.write_bytes(b"From: a@example.org\r\nTo: postmottak@elvdal.example\r\nSubject: Ferje\r\n"
                    b"Message-ID: <cli-test@example.org>\r\n\r\nNar gaar ferja?\r\n")
    with app.app_context():
        mails = db.session.query(MailItem).count()
        fjordvik_id = db.session.scalar(select(Municipality.id).where(Municipality.slug == "fjordvik"))
    fjordvik = snapshot(app, fjordvik_id)
    result = app.test_cli_runner().invoke(cli, [part.format(eml=eml) for part in command])
    assert result.exit_code != 0 and "--municipality" in result.output and "elvdal" in result.output
    with app.app_context():
        assert db.session.query(MailItem).count() == mails
    assert snapshot(app, fjordvik_id) == fjordvik


# ------------------------------------------------------------------ the installation's mail passwords
class _CapturingIMAP(LoopbackListener):
    """A postbox an admin could name as the municipality's own: it records the LOGIN it is sent."""

    def __init__(self):
        self.logins: list[str] = []
        super().__init__(backlog=4)

    def handle(self, conn):
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
            for raw in lines:
                tag, _, rest = raw.decode("utf-8", "replace").strip().partition(" ")
                command = rest.split(" ", 1)[0].upper()
                if command == "CAPABILITY":
                    conn.sendall(f"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done\r\n".encode())
                elif command == "LOGIN":
                    self.logins.append(rest)
                    conn.sendall(f"{tag} NO refused\r\n".encode())
                elif command == "LOGOUT":
                    conn.sendall(f"* BYE\r\n{tag} OK bye\r\n".encode())
                    break
                else:
                    conn.sendall(f"{tag} BAD unknown\r\n".encode())


REGION_IMAP, REGION_SMTP = "region-imap-secret", "region-smtp-secret"  # the installation's (test values)
OWN_IMAP, OWN_SMTP = "fjordvik-imap", "fjordvik-smtp"
INSTALLATION = {"MAIL_IMAP_HOST": "imap.region.example", "MAIL_IMAP_USER": "region", "MAIL_IMAP_PASSWORD": REGION_IMAP,
                "SMTP_HOST": "smtp.region.example", "SMTP_USER": "region", "SMTP_PASSWORD": REGION_SMTP}


def _save_mail(client, **fields):
    page = client.get("/admin/mail").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "min_confidence": "0.9", "set_aside_days": "30", **fields}
    resp = client.post("/admin/mail", data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


def test_an_admin_named_server_never_gets_the_installations_imap_password(tmp_path):
    """Fjordvik's admin names a postbox of their own choosing and presses 'Test incoming mail': the
    installation's password (the region's, shared by every municipality) must not be sent to it."""
    fake = _CapturingIMAP()
    try:
        app = make_app(tmp_path, **INSTALLATION)
        client = _client(app, FJ_ADMIN)
        _save_mail(client, imap_host="127.0.0.1", imap_port=str(fake.port), imap_user="attacker", imap_secure="")
        token = csrf_token(client.get("/admin/mail").get_data(as_text=True))
        assert client.post("/admin/mail/test/imap", data={"csrf_token": token}).status_code == 302
        assert all(REGION_IMAP not in login_line for login_line in fake.logins), fake.logins
    finally:
        fake.close()


@pytest.mark.parametrize("own", [
    {"host": "imap.attacker.example", "port": 993, "user": "attacker", "ssl": True, "folder": "INBOX"},
    {"host": "imap.attacker.example", "port": 993, "user": "", "ssl": True, "folder": "INBOX"},
    # the installation's host with another account or folder: the region's password is not for it either
    {"host": "imap.region.example", "port": 993, "user": "elvdal", "ssl": True, "folder": "INBOX"},
])
def test_the_installations_passwords_go_only_to_the_installations_servers(tmp_path, own):
    from web.extensions import db
    from web.services.mail import imap_settings, municipality_for
    from web.services.smtp import smtp_settings

    app = make_app(tmp_path, **INSTALLATION)
    with app.app_context():
        m = municipality_for("fjordvik")
        assert imap_settings(m).password == REGION_IMAP  # the installation's own server: its password
        assert smtp_settings(m).password == REGION_SMTP
        smtp_own = {"host": own["host"].replace("imap", "smtp"), "port": 587, "user": own["user"], "starttls": True}
        m.settings = {**m.settings, "mail": {"imap": own, "smtp": smtp_own}}
        db.session.commit()
        assert imap_settings(m).password == ""
        assert smtp_settings(m).password == ""


def test_a_municipalitys_own_server_uses_its_own_password(tmp_path):
    """The operator gives a municipality's own server its password in the environment
    (TINGET_IMAP_PASSWORD_<SLUG>, TINGET_SMTP_PASSWORD_<SLUG>); the page names that variable."""
    from web.extensions import db
    from web.services.mail import imap_settings, municipality_for
    from web.services.smtp import smtp_settings

    app = make_app(tmp_path, **INSTALLATION, MAIL_IMAP_PASSWORDS={"FJORDVIK": OWN_IMAP},
                   SMTP_PASSWORDS={"FJORDVIK": OWN_SMTP})
    client = _client(app, FJ_ADMIN)
    _save_mail(client, imap_host="imap.fjordvik.example", imap_user="postmottak", imap_secure="y",
               smtp_host="smtp.fjordvik.example", smtp_user="postmottak", smtp_secure="y")
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "TINGET_IMAP_PASSWORD_FJORDVIK" in page and "TINGET_SMTP_PASSWORD_FJORDVIK" in page
    with app.app_context():
        m = municipality_for("fjordvik")
        assert imap_settings(m).password == OWN_IMAP
        assert smtp_settings(m).password == OWN_SMTP
        m.settings = {**m.settings, "mail": {}}  # back to the installation's servers
        db.session.commit()
        assert imap_settings(m).password == REGION_IMAP


def test_per_municipality_passwords_are_read_from_the_environment(monkeypatch):
    from web.config import per_municipality

    monkeypatch.setenv("TINGET_IMAP_PASSWORD_SOR_FRON", "s1")
    monkeypatch.setenv("TINGET_IMAP_PASSWORD_", "ignored")
    assert per_municipality("TINGET_IMAP_PASSWORD_") == {"SOR_FRON": "s1"}


# ------------------------------------------------------------------ the sender of replies
def test_replies_never_go_out_as_another_municipality(tmp_path):
    """On the installation's SMTP server (the region's relay) a municipality's replies go out only from its
    own domains: Fjordvik's admin cannot make Fjordvik's mail cases answer as postmottak@elvdal.example
    (residents' mail servers trust the relay for every municipality on it)."""
    from web.extensions import db
    from web.services.mail import from_address, municipality_for

    app = make_app(tmp_path, **INSTALLATION)
    client = _client(app, FJ_ADMIN)
    page = client.get("/admin/mail").get_data(as_text=True)
    resp = client.post("/admin/mail", data={"csrf_token": csrf_token(page), "min_confidence": "0.9",
                                            "set_aside_days": "30", "sender": "postmottak@elvdal.example"})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True).replace("&#39;", "'")
    assert "The sender must be an address of the municipality's own domain (fjordvik.example)" in html
    with app.app_context():
        m = municipality_for("fjordvik")
        assert "from" not in (m.settings.get("mail") or {})
    for own in ("svar@fjordvik.example", "post@kommune.fjordvik.example"):
        _save_mail(client, sender=own)
        with app.app_context():
            assert from_address(municipality_for("fjordvik")) == own
    # an address saved for the municipality's own SMTP server stays there: on the installation's server
    # (the own one removed later) replies go out from the municipality's contact address
    _save_mail(client, sender="postmottak@elvdal.example", smtp_host="smtp.fjordvik.example", smtp_secure="y")
    with app.app_context():
        m = municipality_for("fjordvik")
        assert from_address(m) == "postmottak@elvdal.example"
        m.settings = {**m.settings, "mail": {**m.settings["mail"], "smtp": {}}}
        db.session.commit()
        assert from_address(m) == "postmottak@fjordvik.example"
