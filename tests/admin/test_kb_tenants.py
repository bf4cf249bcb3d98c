"""Two municipalities on one installation: each admin edits only its own KB, each resident gets its own
municipality's answers, and a caseworker or admin of one never sees the other's articles or cases."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.admin.helpers import ADMIN, admin_client, dialogue_answer, editor, save
from tests.conftest import Resident, csrf_token

HAVNES_ADMIN = ("admin@havnes.example", "havnes-admin")
HAVNES_SERVICE = ("service@havnes.example", "havnes-service")
FJORDVIK_SERVICE = ("service@fjordvik.example", "demo-service")


@pytest.fixture
def two(app, tmp_path):
    """Fjordvik (the demo) and Havnes, loaded from a municipality file like any other tenant."""
    from kb.importer import CONTENT_DIR, load_municipality
    from web.extensions import db
    from web.services.users import upsert_user

    data = yaml.safe_load((CONTENT_DIR / "demo" / "municipality.yml").read_text(encoding="utf-8"))
    data.update(slug="havnes", name="Havnes kommune", website="https://www.havnes.example")
    data["settings"]["phone"] = "+47 55 60 10 00"
    path = tmp_path / "havnes.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with app.app_context():
        m = load_municipality(db.session, path)
        upsert_user(m, HAVNES_ADMIN[0], "Hanne Admin", "admin", HAVNES_ADMIN[1], "all")
        upsert_user(m, HAVNES_SERVICE[0], "Sindre Service", "caseworker", HAVNES_SERVICE[1], ["service_desk"])
        db.session.commit()
    return app


def test_each_municipality_answers_with_its_own_override(two):
    fjordvik, havnes = admin_client(two, ADMIN), admin_client(two, HAVNES_ADMIN)
    save(fjordvik, "library", "nb", title="Bibliotek", body="Fjordvik sitt bibliotek.")
    save(havnes, "library", "nb", title="Bibliotek", body="Havnes sitt bibliotek, ring {municipality.phone}.")
    assert dialogue_answer(two, "library", "nb", "fjordvik")["text"] == "Fjordvik sitt bibliotek."
    assert dialogue_answer(two, "library", "nb", "havnes")["text"] == "Havnes sitt bibliotek, ring +47 55 60 10 00."
    # the base text with placeholders is filled with each one's own settings
    havnes_base = dialogue_answer(two, "job_vacancies", "nb", "havnes")["text"]
    assert "Havnes kommune" in havnes_base and "Fjordvik" not in havnes_base
    assert "Fjordvik kommune" in dialogue_answer(two, "job_vacancies", "nb", "fjordvik")["text"]


def test_an_admin_never_sees_or_edits_the_other_municipalitys_articles(two):
    fjordvik, havnes = admin_client(two, ADMIN), admin_client(two, HAVNES_ADMIN)
    save(havnes, "library", "nb", title="Havnes-tittel", body="Hemmelig Havnes-tekst.")
    save(havnes, "library", "nb", title="Havnes-tittel", body="Hemmelig Havnes-tekst, versjon 2.")
    havnes_page = editor(havnes, "library", "nb").split("History of the national base")[0]
    havnes_versions = re.findall(r"/admin/kb/library/nb/versions/(\d+)", havnes_page)
    assert havnes_versions

    # Fjordvik's list, editor and export show the national base, nothing of Havnes
    for page in (fjordvik.get("/admin/kb/").get_data(as_text=True), editor(fjordvik, "library", "nb"),
                 fjordvik.get("/admin/kb/export.yaml").get_data(as_text=True),
                 fjordvik.get("/admin/kb/export.csv").get_data(as_text=True)):
        assert "Havnes" not in page
    # Havnes's versions by id: 404 for Fjordvik, also for a rollback
    token = csrf_token(editor(fjordvik, "library", "nb"))
    for vid in havnes_versions:
        assert fjordvik.get(f"/admin/kb/library/nb/versions/{vid}").status_code == 404
        resp = fjordvik.post(f"/admin/kb/library/nb/versions/{vid}/rollback", data={"csrf_token": token})
        assert resp.status_code == 404
    # removing "an override" in Fjordvik cannot touch Havnes's
    assert fjordvik.post("/admin/kb/library/nb/remove", data={"csrf_token": token}).status_code == 404
    assert dialogue_answer(two, "library", "nb", "havnes")["text"] == "Hemmelig Havnes-tekst, versjon 2."
    # and Fjordvik editing its own copy leaves Havnes alone
    save(fjordvik, "library", "nb", title="Fjordvik", body="Fjordvik-tekst.")
    assert dialogue_answer(two, "library", "nb", "havnes")["text"] == "Hemmelig Havnes-tekst, versjon 2."


def test_cases_stay_within_their_municipality(two):
    from sqlalchemy import select

    from web.extensions import db
    from web.models import Case, Conversation

    client = two.test_client()
    havnes_resident = Resident(client, municipality="havnes")
    havnes_resident.say("Jeg trenger hjelp med saken min")  # Rasa is down here: the message becomes a case
    fjordvik_resident = Resident(client, municipality="fjordvik")
    fjordvik_resident.say("Jeg trenger hjelp med en annen sak")
    with two.app_context():
        def case_of(public_id):
            conv = db.session.scalar(select(Conversation).where(Conversation.public_id == public_id))
            return db.session.scalar(select(Case).where(Case.conversation_id == conv.id))

        havnes_case, fjordvik_case = case_of(havnes_resident.id), case_of(fjordvik_resident.id)
        assert havnes_case.department == fjordvik_case.department == "service_desk"
        havnes_id, fjordvik_id = havnes_case.id, fjordvik_case.id

    for who in (FJORDVIK_SERVICE, ADMIN):  # the same department, and an admin: still the other tenant
        fjordvik = admin_client(two, who)
        queue = fjordvik.get("/console/?status=all").get_data(as_text=True)
        assert f"#{fjordvik_id}" in queue and f"#{havnes_id}" not in queue
        assert fjordvik.get(f"/console/cases/{havnes_id}").status_code == 403
        token = csrf_token(fjordvik.get(f"/console/cases/{fjordvik_id}").get_data(as_text=True))
        for what in ("reply", "close", "original", "notes"):
            resp = fjordvik.post(f"/console/cases/{havnes_id}/{what}", data={"csrf_token": token, "text": "x"})
            assert resp.status_code == 403, what
    havnes = admin_client(two, HAVNES_SERVICE)
    assert f"#{havnes_id}" in havnes.get("/console/?status=all").get_data(as_text=True)
    assert havnes.get(f"/console/cases/{fjordvik_id}").status_code == 403


def test_widget_keys_and_transparency_are_per_municipality(two):
    from tinget.models import Municipality
    from web.extensions import db

    with two.app_context():
        keys = {m.slug: m.widget_key for m in db.session.query(Municipality)}
    assert keys["havnes"] != keys["fjordvik"]
    client = two.test_client()
    conf = client.get(f"/api/v1/widget/config?municipality={keys['havnes']}").get_json()
    assert conf["municipality"]["name"] == "Havnes kommune" and conf["municipality"]["phone"] == "+47 55 60 10 00"
    Resident(client, municipality=keys["havnes"]).say("Hei, et spørsmål")
    fjordvik_log = admin_client(two, ADMIN).get("/admin/transparency").get_data(as_text=True)
    havnes_log = admin_client(two, HAVNES_ADMIN).get("/admin/transparency").get_data(as_text=True)
    assert fjordvik_log.count("<tr>") < havnes_log.count("<tr>")


def test_another_municipalitys_export_is_refused_saying_how_to_import_it_anyway(two):
    """Havnes's export (its overrides: its texts) imported by Fjordvik's admin was published to Fjordvik's
    residents at once, without a word. It is refused, naming the line and the slug the file itself names
    (never whether that municipality is on the installation), and saying how to import it anyway."""
    from tests.admin.test_kb_import import upload

    fjordvik, havnes = admin_client(two, ADMIN), admin_client(two, HAVNES_ADMIN)
    save(havnes, "library", "nb", title="Bibliotek", body="Havnes sitt bibliotek er i rådhuset.")
    exported = havnes.get("/admin/kb/export.yaml").get_data(as_text=True)
    assert exported.startswith("municipality: havnes\n")
    before = fjordvik.get("/admin/kb/export.yaml").get_data(as_text=True)
    resp = upload(fjordvik, "kb-havnes.yaml", exported)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert ("Line 1: the file is the export of another municipality (havnes), and importing it would publish that "
            "municipality's texts to your residents. To import it anyway, change this line to “municipality: "
            "fjordvik”.") in page.replace("&#39;", "'")
    assert fjordvik.get("/admin/kb/export.yaml").get_data(as_text=True) == before
    assert dialogue_answer(two, "library", "nb", "fjordvik")["text"] != "Havnes sitt bibliotek er i rådhuset."
    # the same words for a slug no municipality has: the message tells nothing of who is on the installation
    page = upload(fjordvik, "x.yaml", exported.replace("municipality: havnes", "municipality: nowhere"))
    assert "another municipality (nowhere)" in page.get_data(as_text=True)
    # in the admin's language
    nb = admin_client(two, ADMIN, lang="nb")
    assert "eksporten fra en annen kommune (havnes)" in upload(nb, "x.yaml", exported).get_data(as_text=True)
    # as the message says: with the own slug the file is imported
    resp = upload(fjordvik, "kb-havnes.yaml", exported.replace("municipality: havnes", "municipality: fjordvik"))
    assert resp.status_code in (200, 302)
    assert dialogue_answer(two, "library", "nb", "fjordvik")["text"] == "Havnes sitt bibliotek er i rådhuset."
