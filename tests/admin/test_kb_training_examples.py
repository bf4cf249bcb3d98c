"""The bot's training examples exported and imported as YAML and CSV (on a copy of training_data/):
new examples are added to their intent's file; a wrong column, a duplicate or an example that belongs
to another intent refuses the file naming the line, and no file changes."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pytest
import yaml

from tests.admin.helpers import admin_client
from tests.conftest import csrf_token, make_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def training_app(tmp_path):
    data = tmp_path / "training_data"
    shutil.copytree(ROOT / "training_data" / "nlu", data / "nlu")
    app = make_app(tmp_path, TRAINING_DATA_DIR=str(data))
    app.training_dir = data
    yield app
    with app.app_context():
        from web.extensions import db

        db.session.remove()
        db.engine.dispose()


def tree(path: Path) -> dict[str, str]:
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*.yml"))}


def upload(client, name, content):
    token = csrf_token(client.get("/admin/kb/training/import").get_data(as_text=True))
    return client.post("/admin/kb/training/import", data={"csrf_token": token,
                                                           "file": (io.BytesIO(content if isinstance(content, bytes) else content.encode()), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_export_lists_every_example_and_an_import_adds_new_ones(training_app):
    client = admin_client(training_app)
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/kb/training.csv").get_data(as_text=True))))
    assert {"intent": "library", "lang": "nb", "text": "Når åpner biblioteket?"} in rows
    exported = yaml.safe_load(client.get("/admin/kb/training.yaml").get_data(as_text=True))["examples"]
    assert exported == rows

    # examples taught from residents' questions (web.services.teach) are part of the data too
    taught = training_app.training_dir / "nlu" / "taught" / "library_nn.yml"
    taught.parent.mkdir()
    taught.write_text('version: "3.1"\nnlu:\n- intent: library\n  examples: |\n    - Kan eg låne symaskin?\n',
                      encoding="utf-8")
    assert {"intent": "library", "lang": "nn", "text": "Kan eg låne symaskin?"} in list(csv.DictReader(io.StringIO(
        client.get("/admin/kb/training.csv").get_data(as_text=True))))
    page = upload(client, "x.csv", "intent,lang,text\nswimming_sports,nn,Kan eg låne symaskin?\n").get_data(as_text=True)
    assert "already belongs to the intent library" in page

    before = tree(training_app.training_dir)
    new = "intent,lang,text\nlibrary,nb,Har biblioteket 3D-printer jeg kan bruke?\nlibrary,nb,Når åpner biblioteket?\n"
    page = upload(client, "new.csv", new).get_data(as_text=True)
    assert "1 examples added, 1 already there" in page
    after = tree(training_app.training_dir)
    assert [k for k in after if after[k] != before[k]] == ["nlu/nb/library.yml"]
    data = yaml.safe_load((training_app.training_dir / "nlu/nb/library.yml").read_text(encoding="utf-8"))
    assert data["nlu"][0]["intent"] == "library"
    lines = data["nlu"][0]["examples"].splitlines()
    assert lines[-1] == "- Har biblioteket 3D-printer jeg kan bruke?" and "- Når åpner biblioteket?" in lines
    # the written file is still Rasa's format and round-trips through the export
    again = list(csv.DictReader(io.StringIO(client.get("/admin/kb/training.csv").get_data(as_text=True))))
    assert len(again) == len(rows) + 2  # the taught one and the imported one


def test_a_semicolon_file_from_excel_is_imported(training_app):
    """Nordic Excel saves 'intent;lang;text' (UTF-8 BOM, CRLF): it got 'missing columns intent, lang, text'."""
    client = admin_client(training_app)
    content = ("\ufeffintent;lang;text\r\nlibrary;nb;Har biblioteket 3D-printer, og kan jeg bruke den?\r\n"
               'library;nb;"Kan jeg låne; symaskin?"\r\n')
    page = upload(client, "x.csv", content).get_data(as_text=True)
    assert "2 examples added, 0 already there" in page, page[:2000]
    lines = yaml.safe_load((training_app.training_dir / "nlu/nb/library.yml").read_text(encoding="utf-8"))
    examples = lines["nlu"][0]["examples"].splitlines()
    assert examples[-2:] == ["- Har biblioteket 3D-printer, og kan jeg bruke den?", "- Kan jeg låne; symaskin?"]


@pytest.mark.parametrize(("encoding", "separator", "note"), [
    ("cp1252", ";", "read as Windows-1252"),  # Excel's «CSV (semikolondelt)» on a Nordic Windows
    ("utf-16", "\t", "read as UTF-16"),       # Excel's «Unicode-tekst»: UTF-16 with a BOM, tab-separated
])
def test_excel_files_in_its_older_encodings_are_read_and_the_admin_told(training_app, encoding, separator, note):
    """They got 'The file is not UTF-8 text.', and an admin does not know how to save as UTF-8."""
    client = admin_client(training_app)
    content = separator.join(("intent", "lang", "text")) + "\r\n" + separator.join(
        ("library", "nb", "Kan jeg låne bøker på færøysk i ferien?")) + "\r\n"
    page = upload(client, "x.csv", content.encode(encoding)).get_data(as_text=True)
    assert "1 examples added, 0 already there" in page, page[:2000]
    assert note in page
    lines = yaml.safe_load((training_app.training_dir / "nlu/nb/library.yml").read_text(encoding="utf-8"))
    assert lines["nlu"][0]["examples"].splitlines()[-1] == "- Kan jeg låne bøker på færøysk i ferien?"


BAD = [
    ("intent,language,text\nlibrary,nb,Hei\n", "Line 1: missing columns: lang."),
    ("intent,lang,text\nlibrary,nb,Finnes det lesesal?\nlibrary,nb,finnes det lesesal?\n",
     "Line 3: the example “finnes det lesesal?” is already on line 2."),
    ("intent,lang,text\nlibrary,nb,Ny og grei\nswimming_sports,nb,Når åpner biblioteket?\n",
     "Line 3: the example “Når åpner biblioteket?” already belongs to the intent library in the training data. An "
     "example can belong to only one intent: remove the line, or give it the intent library."),
    ("intent,lang,text\nlibrary,nb,Har dere lesesal?\nswimming_sports,nb,har dere lesesal?\n",
     "Line 3: the example “har dere lesesal?” is also on line 2, with the intent library. An example can belong "
     "to only one intent: keep one of the two lines."),
    ("intent,lang,text\nno_such_intent,nb,Hei\n", "Line 2: there is no intent no_such_intent."),
    ('intent,lang,text\nlibrary,nb,"to\nlinjer"\n', "Line 2: an example must be one line."),
    ("examples:\n- {intent: library, lang: xx, text: Hei}\n", "Line 2: there is no language xx."),
    # a NUL was written into the intent's YAML file: every later export, import and retraining failed on it
    ("intent,lang,text\nlibrary,nb,Har dere\x00 symaskin?\n",
     "Line 2: the text holds an invisible control character (U+0000)."),
    ('examples:\n- {intent: library, lang: nb, text: Hei}\n- {intent: library, lang: nb, text: "Har dere\\x1b symaskin?"}\n',
     "Line 3: the text holds an invisible control character (U+001B)."),

]


def test_bad_files_are_refused_naming_the_line_and_nothing_is_written(training_app):
    client = admin_client(training_app)
    before = tree(training_app.training_dir)
    for content, message in BAD:
        resp = upload(client, "ex.yaml" if content.startswith("examples") else "ex.csv", content)
        assert resp.status_code == 422, content
        page = resp.get_data(as_text=True)
        assert message in page and "Nothing was imported; the training data is unchanged." in page, content
        assert tree(training_app.training_dir) == before
    assert client.get("/admin/kb/training.csv").status_code == 200


def test_a_clash_with_another_municipalitys_taught_example_names_neither_its_intent_nor_whose(tmp_path):
    """On a region's installation Elvdal taught a resident's question as an example of one intent; Fjordvik's
    admin imports the same words under another. The import must be refused (the shared model cannot learn one
    text under two intents), but the message named the intent Elvdal chose, from examples Fjordvik's admin
    is never shown (its residents' questions); it now says what clashed and what to do, and nothing of Elvdal's."""
    from kb.importer import load_municipality
    from tests.web.test_tenant_isolation import _elvdal_file
    from web.extensions import db

    data = tmp_path / "training_data"
    shutil.copytree(ROOT / "training_data" / "nlu", data / "nlu", ignore=shutil.ignore_patterns("taught"))
    taught = data / "nlu" / "taught" / "elvdal" / "waste_collection_nb.yml"
    taught.parent.mkdir(parents=True)
    taught.write_text('version: "3.1"\nnlu:\n- intent: waste_collection\n  examples: |\n'
                      '    - Hvem tømmer dunken ved zqxelv-brua?\n', encoding="utf-8")
    app = make_app(tmp_path, TRAINING_DATA_DIR=str(data), BOT_TEAM=["fjordvik"])
    with app.app_context():
        load_municipality(db.session, _elvdal_file(tmp_path))
        db.session.commit()
    client = admin_client(app)
    before = tree(data)
    resp = upload(client, "x.csv", "intent,lang,text\nlibrary,nb,Hvem tømmer dunken ved zqxelv-brua?\n")
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    problems = page.split("<ul>", 1)[1].split("</ul>", 1)[0] if "<ul>" in page else page
    assert ("Line 2: the example “Hvem tømmer dunken ved zqxelv-brua?” already belongs to another intent, in "
            "examples taught from residents' questions that are not shown to you. An example can belong to only "
            "one intent: remove the line, or reword the example.") in page.replace("&#39;", "'")
    assert "waste_collection" not in page and "elvdal" not in page.lower(), problems
    assert tree(data) == before
    # in Norwegian too
    nb = admin_client(app, lang="nb")
    page = upload(nb, "x.csv", "intent,lang,text\nlibrary,nb,Hvem tømmer dunken ved zqxelv-brua?\n").get_data(as_text=True)
    assert "eksempler lært fra innbyggeres spørsmål som ikke vises for deg" in page, page[:3000]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
