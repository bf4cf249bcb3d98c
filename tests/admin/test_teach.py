"""Teach the bot: grouping unanswered questions, writing training examples, article requests, and
retraining in the background (failure keeps the model; with the real Rasa server a new model is loaded
while residents keep getting answers)."""

from __future__ import annotations

import sys
import threading
import time
from datetime import datetime, timedelta

import pytest
import yaml
from sqlalchemy import select

from tests.admin import activity
from tests.conftest import csrf_token, login
from tests.e2e.conftest import browser, live_server, log_in  # noqa: F401  (browser fixtures, reused)
from tinget.models import Municipality
from web.extensions import db

ADMIN = ("admin@fjordvik.example", "demo-admin")
CASEWORKER = ("skole@fjordvik.example", "demo-skole")
HEAT_PUMP = ["Kan jeg få tilskudd til varmepumpe?", "Får jeg støtte til ny varmepumpe?",
             "Tilskudd varmepumpe enebolig"]
PIER = ["Hvem eier bryggen ved torget?", "Hvem har ansvar for bryggen?"]
HENS = ["Kan jeg ha høner i hagen?"]


@pytest.fixture
def teach_app(app, tmp_path):
    app.config["TEACH_DIR"] = str(tmp_path / "taught")
    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        when = datetime.utcnow() - timedelta(days=1)
        for n, text in enumerate(HEAT_PUMP + PIER + HENS):
            activity.add_turn(m, when + timedelta(minutes=n), text, intent="out_of_scope", route="out_of_scope",
                              confidence=0.3, reason="out_of_scope")
        activity.add_turn(m, when, "Tilskudd varmepumpe enebolig", intent="property_tax", route="answer",
                          confidence=0.41)  # the same words again, answered with low confidence
        activity.add_turn(m, when, "Når åpner biblioteket?", intent="library", route="answer", confidence=0.95)
        activity.add_turn(m, when, "bibliotek", intent="out_of_scope", route="handoff", confidence=0.2)
        db.session.commit()
    return app


@pytest.fixture
def admin(teach_app):
    client = teach_app.test_client()
    login(client, *ADMIN)
    client.get("/admin/?lang=en")  # flash messages in English from here on (the session keeps the choice)
    return client


def _groups(app):
    from web.services import teach

    with app.test_request_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        return teach.group(teach.questions(m.id))


def test_questions_are_grouped_by_similarity(teach_app, admin):
    groups = _groups(teach_app)
    texts = [sorted(q.text for q in g.questions) for g in groups]
    assert sorted(HEAT_PUMP) in texts and sorted(PIER) in texts
    heat = next(g for g in groups if HEAT_PUMP[0] in [q.text for q in g.questions])
    assert heat.size == 4  # the repeated text counts twice
    assert all("biblioteket" not in q.text for g in groups for q in g.questions)  # confident answers are not here
    page = admin.get("/admin/teach?lang=en").get_data(as_text=True)
    assert "Group 1: 4 questions" in page and PIER[0] in page


def _post_group(client, texts_of_group, **data):
    page = client.get("/admin/teach").get_data(as_text=True)
    import re

    ids = [value for value, text in re.findall(r'name="q" value="([\d,]+)" checked> <span lang="\w+">([^<]+)</span>'
                                               r'</label>', page)
               if text.strip() in texts_of_group]
    return client.post("/admin/teach/groups", data={"csrf_token": csrf_token(page), "q": ids, **data})


def test_group_becomes_training_examples(teach_app, admin, tmp_path):
    resp = _post_group(admin, HEAT_PUMP + ["bibliotek"], intent="property_tax", lang="nb", action="examples")
    assert resp.status_code == 302
    path = tmp_path / "taught" / "fjordvik" / "property_tax_nb.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = [line[2:] for line in data["nlu"][0]["examples"].splitlines()]
    assert data["nlu"][0]["intent"] == "property_tax" and sorted(examples) == sorted(HEAT_PUMP)
    page = admin.get("/admin/teach?lang=en").get_data(as_text=True)
    # "bibliotek" would clash with the library intent, named as the admin reads it (not its key "library")
    assert "is already an example of Library." in page and "example of library" not in page
    assert "training examples added to Property tax." in page
    assert HEAT_PUMP[0] not in page  # taught questions leave the list
    # a second group is appended to the same file, earlier lines kept
    _post_group(admin, ["Tilskudd varmepumpe enebolig"], intent="property_tax", lang="nb", action="examples")
    _post_group(admin, PIER, intent="property_tax", lang="nb", action="examples")
    examples = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"][0]["examples"].splitlines()
    assert len(examples) == 5


def test_group_becomes_article_request_and_bad_input_is_refused(teach_app, admin):
    _post_group(admin, PIER, intent="", action="article", note="Harbour owner page")
    page = admin.get("/admin/teach?lang=en").get_data(as_text=True)
    assert "Harbour owner page" in page and PIER[0] + " · " + PIER[1] in page or PIER[1] + " · " + PIER[0] in page
    resp = _post_group(admin, HENS, intent="no_such_intent", lang="nb", action="examples")
    assert "Choose an intent from the list." in admin.get("/admin/teach?lang=en").get_data(as_text=True)
    token = csrf_token(admin.get("/admin/teach").get_data(as_text=True))
    resp = admin.post("/admin/teach/groups", data={"csrf_token": token, "q": ["999999"], "intent": "library",
                                                   "lang": "nb", "action": "examples"})
    assert resp.status_code == 302
    assert "Choose at least one question." in admin.get("/admin/teach?lang=en").get_data(as_text=True)
    assert admin.post("/admin/teach/groups", data={"q": ["1"], "intent": "library"}).status_code == 400  # no CSRF
    assert admin.post("/admin/teach/retrain", data={}).status_code == 400  # no CSRF


def test_caseworker_gets_403(teach_app):
    client = teach_app.test_client()
    login(client, *CASEWORKER)
    assert client.get("/admin/teach").status_code == 403
    assert client.get("/admin/teach/retrain/status").status_code == 403


def _wait(client, timeout=120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        st = client.get("/admin/teach/retrain/status?lang=en").get_json()
        if not st["running"]:
            return st
        time.sleep(0.2)
    raise AssertionError(f"retraining still running: {st}")


def _start(client):
    token = csrf_token(client.get("/admin/teach").get_data(as_text=True))
    return client.post("/admin/teach/retrain", data={"csrf_token": token}, headers={"Accept": "application/json"})


def test_failed_training_keeps_the_model_and_says_why(teach_app, admin):
    teach_app.extensions["tinget.model_version"] = "tinget-good.tar.gz"
    teach_app.config["TEACH_TRAIN_COMMAND"] = [
        sys.executable, "-c", "import sys; print('Training Rasa model …'); "
        "print('YamlSyntaxException: training_data/nlu/taught/library_nb.yml line 4'); sys.exit(1)"]
    resp = _start(admin)
    assert resp.status_code == 202 and resp.get_json()["running"]
    st = _wait(admin)
    assert st["state"] == "failed" and st["error"] == "Training failed."
    assert "library_nb.yml line 4" in st["reason"]
    assert st["label"] == "Retraining failed. The bot keeps its last good model."
    assert teach_app.extensions["tinget.model_version"] == "tinget-good.tar.gz"
    page = admin.get("/admin/teach?lang=en").get_data(as_text=True)
    assert "library_nb.yml line 4" in page and "tinget-good.tar.gz" in page


def test_model_that_cannot_be_loaded_is_not_taken(teach_app, admin, tmp_path):
    model = tmp_path / "tinget-new.tar.gz"
    model.write_bytes(b"not a model")
    teach_app.extensions["tinget.model_version"] = "tinget-good.tar.gz"
    teach_app.config["TEACH_TRAIN_COMMAND"] = [sys.executable, "-c", f"print('Model ready: {model}')"]
    assert _start(admin).status_code == 202
    assert _start(admin).status_code in (409, 202)  # a second start while running is refused
    st = _wait(admin)
    assert st["state"] == "failed" and st["error"] == "The new model could not be loaded."
    assert "127.0.0.1:9" in st["reason"]  # the test app's Rasa URL: nothing listens
    assert teach_app.extensions["tinget.model_version"] == "tinget-good.tar.gz"


def _small_app(tmp, **config):
    """The app on a KB of one national article (library): the suggester reindex takes seconds, not minutes."""
    import shutil

    from flask_migrate import upgrade

    from kb.importer import CONTENT_DIR
    from tests.conftest import DEAD_RASA
    from web import create_app
    from web.demo import load_demo

    content = tmp / "content"
    (content / "national").mkdir(parents=True)
    (content / "demo").mkdir()
    for name in ("library.yml", "system.yml"):
        shutil.copy(CONTENT_DIR / "national" / name, content / "national" / name)
    shutil.copy(CONTENT_DIR / "demo" / "municipality.yml", content / "demo" / "municipality.yml")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'small.db'}", "INSTANCE_PATH": str(tmp),
                      "RASA_URL": DEAD_RASA, "RASA_TIMEOUT": 5, "SUGGESTER_ENABLED": True,
                      "SUGGESTER_INDEX_DIR": str(tmp / "index"), "RASA_TRACKER_URL": "", **config})
    with app.app_context():
        upgrade()
        load_demo(content)
    return app


@pytest.mark.rasa
def test_retrain_loads_new_model_while_residents_are_answered(rasa_stack, tmp_path):
    """`PUT /model` on the real Rasa server with a freshly 'trained' model file (a copy of the served one:
    real training takes minutes and is `tinget bot train`'s own business), residents asking all along;
    then the suggester index is rebuilt with progress."""
    import requests

    from tests.conftest import Resident
    from tests.web.test_faults import QUESTION, _answered

    new = tmp_path / "tinget-retrained.tar.gz"
    app = _small_app(tmp_path, RASA_URL=rasa_stack.rasa_url, TEACH_TRAIN_COMMAND=[
        sys.executable, "-c", f"import shutil; shutil.copy({str(rasa_stack.model)!r}, {str(new)!r}); "
        f"print('Model ready: {new}')"])
    app.extensions["tinget.model_version"] = rasa_stack.model.name
    residents, admin = app.test_client(), app.test_client()
    login(admin, *ADMIN)
    _answered(Resident(residents).say(QUESTION))  # warm: redactor and language models loaded
    turns: list[tuple[float, float, int, str]] = []  # start, end, HTTP status, route
    stop = threading.Event()

    def ask():  # residents asking all the time, from another thread, as from the widget
        while not stop.is_set():
            t0 = time.time()
            resp = Resident(residents).say(QUESTION)
            turns.append((t0, time.time(), resp.status_code, (resp.get_json() or {}).get("route", "")))

    asker = threading.Thread(target=ask, daemon=True)
    try:
        asker.start()
        assert _start(admin).status_code == 202
        states = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            st = admin.get("/admin/teach/retrain/status").get_json()
            if not states or states[-1] != (st["state"], st["detail"]):
                states.append((st["state"], st["detail"]))
            if not st["running"]:
                break
            time.sleep(0.1)
        stop.set()
        asker.join(60)
        during = [t for t in turns if t[0] < st["load_finished_at"] and t[1] > st["load_started_at"]]
        answered = sum(1 for t in turns if t[2] == 201 and t[3] in ("answer", "clarify", "chitchat"))
        slowest = max(t[1] - t[0] for t in turns)
        print(f"{answered} of {len(turns)} residents answered during the run, {len(during)} while the model "
              f"loaded ({st['load_finished_at'] - st['load_started_at']:.2f} s), slowest {slowest:.2f} s; {states}")
        assert st["state"] == "done", st
        assert any(s == "reindexing" and d.startswith("encode") for s, d in states), states
        assert answered == len(turns) and during  # nobody was turned into a case, also mid-load
        assert requests.get(f"{rasa_stack.rasa_url}/status", timeout=10).json()["model_file"].endswith(new.name)
        assert app.extensions["tinget.model_version"] == new.name
        assert (tmp_path / "index" / "fjordvik").exists()
        _answered(Resident(residents).say(QUESTION))
    finally:  # the session's server goes back to its own model file
        stop.set()
        requests.put(f"{rasa_stack.rasa_url}/model", json={"model_file": str(rasa_stack.model.resolve())}, timeout=600)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_retrain_button_shows_progress_and_failure_in_the_browser(teach_app, live_server, browser):  # noqa: F811
    """The page's script (no inline code: CSP) starts the run and polls the status until it ends."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    teach_app.config["TEACH_TRAIN_COMMAND"] = [
        sys.executable, "-c", "import sys, time; print(\"Starting to train component 'E5Featurizer'.\", flush=True); "
        "time.sleep(4); print('InvalidDomain: intent nosuch is not in the domain'); sys.exit(1)"]
    log_in(browser, live_server.url, *ADMIN)
    browser.get(live_server.url + "/admin/teach")
    browser.find_element(By.ID, "retrain-button").click()
    wait = WebDriverWait(browser, 60)
    wait.until(lambda d: "E5Featurizer" in d.find_element(By.ID, "retrain-detail").text)
    wait.until(lambda d: d.find_element(By.ID, "retrain-error").is_displayed())
    assert "Training failed." in browser.find_element(By.ID, "retrain-error").text
    assert "intent nosuch is not in the domain" in browser.find_element(By.ID, "retrain-reason").text
    assert browser.find_element(By.ID, "retrain-button").is_enabled()
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert not errors, errors


def test_a_refused_start_answers_json_and_the_page_has_words_for_it(teach_app, admin):
    """The retrain button's script needs an answer it can read when the start is refused: a refused CSRF
    token is a 400 and a lost login a 401, both as the JSON error (not the login form's HTML, which
    fetch() used to get after a redirect and could not parse); the page holds the texts it then shows."""
    resp = admin.post("/admin/teach/retrain", data={}, headers={"Accept": "application/json"})
    assert resp.status_code == 400 and resp.is_json
    assert resp.get_json() == {"error": {"code": "bad_request",
                                         "message": "The request could not be handled. Reload the page and try again."}}
    anonymous = teach_app.test_client()
    token = csrf_token(anonymous.get("/auth/login").get_data(as_text=True))
    resp = anonymous.post("/admin/teach/retrain", data={"csrf_token": token}, headers={"Accept": "application/json"})
    assert resp.status_code == 401 and resp.is_json and resp.get_json()["error"]["code"] == "unauthorized"
    page = admin.get("/admin/teach?lang=nb").get_data(as_text=True)
    assert 'id="retrain-failure" role="alert" aria-live="assertive"' in page
    assert "Økten din er utløpt." in page and "Siden er utløpt." in page  # the script's texts, translated


@pytest.mark.browser
def test_a_failed_start_is_said_in_the_browser(teach_app, live_server, browser, monkeypatch):  # noqa: F811
    """A start that failed (CSRF token refused, logged out, server error, an answer that is not JSON) used
    to re-enable the button without a word. Now the alert region says what happened."""
    from flask import Response, abort
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from web.services import teach as teaching

    calls = []

    def started(*_a, **_kw):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the server failed")  # 500, as JSON
        abort(Response("<html><h1>502 Bad Gateway</h1></html>", 502, mimetype="text/html"))  # a proxy's page

    wait = WebDriverWait(browser, 20)

    def click_and_read(expected_calls=None):
        browser.find_element(By.ID, "retrain-button").click()
        if expected_calls is not None:
            wait.until(lambda d: len(calls) == expected_calls)
        wait.until(lambda d: d.find_element(By.ID, "retrain-failure").text.strip())
        wait.until(lambda d: d.find_element(By.ID, "retrain-button").is_enabled())
        return browser.find_element(By.ID, "retrain-failure").text

    log_in(browser, live_server.url, *ADMIN)
    browser.get(live_server.url + "/admin/teach")
    assert browser.find_element(By.ID, "retrain-failure").get_attribute("role") == "alert"
    browser.execute_script("document.querySelector('#retrain-form [name=csrf_token]').value = 'forged';")
    assert click_and_read() == "The page has expired. Reload the page and try again."

    monkeypatch.setattr(teaching, "start_retrain", started)
    browser.get(live_server.url + "/admin/teach")
    server = "The retraining could not be started: the server did not answer as expected. Try again in a moment."
    assert click_and_read(expected_calls=1) == server  # 500
    assert click_and_read(expected_calls=2) == server  # 502, not JSON

    browser.execute_async_script(  # logged out meanwhile (another tab): the page's token is still good
        "const done = arguments[arguments.length - 1];"
        "const body = new FormData(); body.append('csrf_token', document.querySelector('[name=csrf_token]').value);"
        "fetch('/auth/logout', {method: 'POST', body: body, credentials: 'same-origin'}).then(() => done());")
    assert click_and_read() == "Your session has expired. Log in again, then retrain."
    assert len(calls) == 2

    browser.execute_script("window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));")  # offline
    assert click_and_read() == ("The retraining could not be started: no answer from the server. "
                                "Check the connection and try again.")


def test_a_group_that_mixes_languages_keeps_each_question_under_its_own_language(teach_app, tmp_path):
    """The suggester's vectors are multilingual, so a Danish and a Swedish question about the same thing
    land in one group. Written under one language, the Swedish example was filed as Danish."""
    hens_da, hens_sv = "Kan jeg have høns i haven?", "Kan jag ha höns i trädgården?"
    with teach_app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
        when = datetime.utcnow() - timedelta(hours=2)
        activity.add_turn(m, when, hens_da, intent="out_of_scope", route="out_of_scope", lang="da", confidence=0.3)
        activity.add_turn(m, when, hens_sv, intent="out_of_scope", route="out_of_scope", lang="sv", confidence=0.3)
        db.session.commit()
    client = teach_app.test_client()
    login(client, *ADMIN)
    page = client.get("/admin/teach?lang=en").get_data(as_text=True)
    import re

    forms = page.split('action="/admin/teach/groups"')[1:]
    mixed = [f for f in forms if hens_da in f and hens_sv in f]
    single = [f for f in forms if PIER[0] in f]
    assert mixed, "the multilingual encoder puts the two questions in one group"
    assert re.search(r"<option value=\"\" selected>Each question(&#39;|&#x27;|')s own language</option>", mixed[0]), mixed[0][:3000]
    assert single and re.search(r'<option value="nb" selected>', single[0]), "a one-language group keeps its language"
    resp = _post_group(client, [hens_da, hens_sv], intent="property_tax", lang="", action="examples")
    assert resp.status_code == 302
    for lang, text in (("da", hens_da), ("sv", hens_sv)):
        data = yaml.safe_load((tmp_path / "taught" / "fjordvik" / f"property_tax_{lang}.yml").read_text(encoding="utf-8"))
        assert data["nlu"][0]["examples"].splitlines() == [f"- {text}"]
    assert not (tmp_path / "taught" / "fjordvik" / "property_tax_nb.yml").exists()
    # the admin can still file a whole group under one chosen language
    _post_group(client, PIER, intent="property_tax", lang="nb", action="examples")
    data = yaml.safe_load((tmp_path / "taught" / "fjordvik" / "property_tax_nb.yml").read_text(encoding="utf-8"))
    assert sorted(line[2:] for line in data["nlu"][0]["examples"].splitlines()) == sorted(PIER)


def test_questions_and_the_intent_choice_name_the_intents(teach_app, admin):
    """The questions' line and the intent list showed the catalogue's keys ("out_of_scope", "library"): the
    admin reads the names in the page's language; the form still sends the key."""
    page = admin.get("/admin/teach?lang=nb").get_data(as_text=True)
    assert '<option value="library">Bibliotek</option>' in page
    assert '<option value="property_tax">Eiendomsskatt</option>' in page
    assert "· Utenfor temaene 0.30 · Utenfor temaene" in page  # intent and route of a question
    import re

    shown = re.sub(r"<[^>]+>", " ", page)
    assert "out_of_scope" not in shown and "property_tax" not in shown


def test_the_intent_choice_is_in_the_alphabetical_order_of_the_names(teach_app, admin):
    """The intent list was sorted by key ("after_school_care", "bot_challenge", ... ): named in the page's
    language, it read in no order. It follows the names' alphabetical order in each language (Æ Ø Å after
    Z in Norwegian)."""
    import html
    import re

    for lang in ("nb", "sv", "fi", "en"):
        page = admin.get(f"/admin/teach?lang={lang}").get_data(as_text=True)
        select = page[page.index('name="intent"'):]
        select = select[:select.index("</select>")]
        names = [html.unescape(n) for n in re.findall(r'<option value="[^"]+"[^>]*>([^<]+)</option>', select)]
        assert len(names) > 20, lang
        order = {"nb": "æøå", "sv": "åäö", "fi": "åäö", "en": ""}[lang]
        key = [("".join(chr(0x7b + order.index(c)) if c in order else c for c in n.casefold())) for n in names]
        assert key == sorted(key), (lang, names)


def test_a_clash_with_another_municipalitys_taught_question_names_neither_its_intent_nor_whose(teach_app, tmp_path):
    """Elvdal (same installation, same model) taught a question as an example of one intent; Fjordvik's
    residents asked the same words. Fjordvik's admin is told it was not added, and what to do, but not the
    intent Elvdal chose: Elvdal's taught examples are its residents' questions."""
    from kb.importer import load_municipality
    from tests.web.test_tenant_isolation import _elvdal_file

    teach_app.config["BOT_TEAM"] = ["fjordvik"]
    with teach_app.app_context():
        load_municipality(db.session, _elvdal_file(tmp_path))
        db.session.commit()
    taught = tmp_path / "taught" / "elvdal" / "waste_collection_nb.yml"
    taught.parent.mkdir(parents=True)
    taught.write_text(f'version: "3.1"\nnlu:\n- intent: waste_collection\n  examples: |\n    - {PIER[0]}\n',
                      encoding="utf-8")
    client = teach_app.test_client()
    login(client, *ADMIN)
    client.get("/admin/?lang=en")
    assert _post_group(client, PIER, intent="property_tax", lang="nb", action="examples").status_code == 302
    page = client.get("/admin/teach?lang=en").get_data(as_text=True).replace("&#39;", "'")
    assert (f"Not added: “{PIER[0]}” already belongs to another intent, in examples taught from residents' "
            "questions that are not shown to you. Leave this question out of the group, or teach it with other "
            "words.") in page
    assert "Waste" not in page.split("Not added", 1)[1].split("</", 1)[0]
    path = tmp_path / "taught" / "fjordvik" / "property_tax_nb.yml"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"][0]["examples"].strip() == f"- {PIER[1]}"


def test_deleting_a_conversation_takes_its_question_out_of_the_article_requests(teach_app, admin):
    """An article request keeps the residents' questions as text (redacted, not anonymous) for the KB team.
    Deleting a conversation on request, or by retention, left its question there for good: the resident's words
    outlived their deletion. Now the request loses that question (the others and the note stay, with a count of
    those removed)."""
    from web.models import AuditEvent, Conversation, Message
    from web.services import retention

    _post_group(admin, PIER, intent="", action="article", note="Harbour owner page")
    with teach_app.app_context():
        convs = {text: db.session.scalar(select(Conversation.public_id).join(Message).where(Message.text == text))
                 for text in PIER}
    # on request: the admin's deletion page, both steps
    page = admin.get("/admin/delete").get_data(as_text=True)
    preview = admin.post("/admin/delete", data={"csrf_token": csrf_token(page), "conversation": convs[PIER[0]]})
    from tests.privacy.deletion_helpers import confirm_form

    done = admin.post("/admin/delete", data=confirm_form(preview.get_data(as_text=True)), follow_redirects=True)
    assert "Deleted:" in done.get_data(as_text=True)
    teach_page = admin.get("/admin/teach?lang=en").get_data(as_text=True)
    assert PIER[0] not in teach_page and PIER[1] in teach_page and "Harbour owner page" in teach_page
    with teach_app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "article_request"))
        assert event.details["questions"] == [PIER[1]] and event.details["forgotten"] == 1
        # by retention: the other conversation's last activity is past the period
        conv = db.session.scalar(select(Conversation).where(Conversation.public_id == convs[PIER[1]]))
        conv.last_activity = datetime.utcnow() - timedelta(days=400)
        db.session.commit()
        assert retention.run()["conversations"] >= 1
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "article_request"))
        assert event.details["questions"] == [] and event.details["message_ids"] == []
        assert event.details["forgotten"] == 2 and event.details["note"] == "Harbour owner page"


def test_deleting_a_conversation_takes_the_examples_taught_from_it_out_of_the_training_data(teach_app, admin, tmp_path):
    """Examples an admin taught from residents' questions kept the resident's (redacted) words in the training
    data after the conversation was deleted. Now a deletion (on request or by retention) removes the examples it
    was the source of, unless a message that stays was taught with the same words; the teach page says how many
    went and that the model knows them until it is retrained; the transparency records lose their link."""
    from tests.privacy.deletion_helpers import confirm_form
    from web.models import AuditEvent, Conversation, Message, TransparencyRecord
    from web.services import retention

    _post_group(admin, HEAT_PUMP, intent="property_tax", lang="nb", action="examples")
    path = tmp_path / "taught" / "fjordvik" / "property_tax_nb.yml"

    def examples():
        if not path.exists():
            return []
        return sorted(line.strip()[2:] for line in
                      yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"][0]["examples"].splitlines())

    assert examples() == sorted(HEAT_PUMP)
    with teach_app.app_context():
        def convs(text):
            return list(db.session.scalars(select(Conversation.public_id).join(Message).where(Message.text == text)
                                           .order_by(Conversation.id)))
        first, twice = convs(HEAT_PUMP[0]), convs(HEAT_PUMP[2])
    assert len(first) == 1 and len(twice) == 2  # "Tilskudd varmepumpe enebolig" was asked in two conversations

    def delete(public_id):
        page = admin.get("/admin/delete").get_data(as_text=True)
        preview = admin.post("/admin/delete", data={"csrf_token": csrf_token(page), "conversation": public_id})
        done = admin.post("/admin/delete", data=confirm_form(preview.get_data(as_text=True)), follow_redirects=True)
        assert "Deleted:" in done.get_data(as_text=True)

    assert "taught-removed" not in admin.get("/admin/teach?lang=en").get_data(as_text=True)
    delete(first[0])
    assert examples() == sorted(HEAT_PUMP[1:])
    page = admin.get("/admin/teach?lang=en").get_data(as_text=True)
    assert ("deleted (on request or by retention): 1 training examples. The model in use still knows them until the "
            "bot is retrained.") in page
    assert "til boten er trent på nytt" in admin.get("/admin/teach?lang=nb").get_data(as_text=True)
    admin.get("/admin/?lang=en")
    # the same words from a conversation that stays: the example stays (it is that resident's question too)
    delete(twice[0])
    assert examples() == sorted(HEAT_PUMP[1:])
    with teach_app.app_context():
        assert db.session.scalar(select(TransparencyRecord.id).join(Conversation).where(
            Conversation.public_id.in_(first + twice[:1]))) is None  # records kept, without their link
        for public_id in twice[1:]:  # by retention
            conv = db.session.scalar(select(Conversation).where(Conversation.public_id == public_id))
            conv.last_activity = datetime.utcnow() - timedelta(days=400)
        db.session.commit()
        assert retention.run()["conversations"] >= 1
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "teach_examples"))
        assert event.details["forgotten"] == 3 and event.details["added"] == 3
        removed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "taught_examples_removed")).all()
        assert [e.details["examples"] for e in removed] == [1, 1] and {e.municipality_id for e in removed} == {1}
    assert examples() == [HEAT_PUMP[1]]
    assert "retention): 2 training examples." in admin.get("/admin/teach?lang=en").get_data(as_text=True)
    # the last one: the file goes (Rasa refuses an intent without examples)
    with teach_app.app_context():
        delete(convs(HEAT_PUMP[1])[0])
    assert not path.exists()


def test_a_deletion_never_touches_another_municipalitys_taught_examples(teach_app, tmp_path):
    """Region installs: Elvdal taught the same words (its residents asked them too), and a file from before
    examples were kept per municipality has them. Deleting Fjordvik's conversation removes nothing of either:
    they are not Fjordvik's to delete (and with two municipalities nobody knows whose the old file is)."""
    from kb.importer import load_municipality
    from tests.privacy.deletion_helpers import confirm_form
    from tests.web.test_tenant_isolation import _elvdal_file
    from web.models import AuditEvent, Conversation, Message

    teach_app.config["BOT_TEAM"] = ["fjordvik"]
    with teach_app.app_context():
        load_municipality(db.session, _elvdal_file(tmp_path))
        db.session.commit()
        public_id = db.session.scalar(select(Conversation.public_id).join(Message).where(Message.text == HEAT_PUMP[0]))
    body = f'version: "3.1"\nnlu:\n- intent: property_tax\n  examples: |\n    - {HEAT_PUMP[0]}\n'
    others = [tmp_path / "taught" / "elvdal" / "property_tax_nb.yml", tmp_path / "taught" / "property_tax_nb.yml"]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    client = teach_app.test_client()
    login(client, *ADMIN)
    client.get("/admin/?lang=en")
    _post_group(client, HEAT_PUMP, intent="property_tax", lang="nb", action="examples")
    own = tmp_path / "taught" / "fjordvik" / "property_tax_nb.yml"
    assert HEAT_PUMP[1] in own.read_text(encoding="utf-8")
    page = client.get("/admin/delete").get_data(as_text=True)
    preview = client.post("/admin/delete", data={"csrf_token": csrf_token(page), "conversation": public_id})
    assert "Deleted:" in client.post("/admin/delete", data=confirm_form(preview.get_data(as_text=True)),
                                     follow_redirects=True).get_data(as_text=True)
    assert [p.read_text(encoding="utf-8") for p in others] == [body, body]
    with teach_app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "taught_examples_removed")) is None
