"""KB import/export as YAML and CSV: a round trip changes nothing, a changed record is published as a
new version, and a file with wrong columns, duplicate ids or a bad placeholder is refused with the
line named while the KB stays exactly as it was."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from tests.admin.helpers import admin_client, dialogue_answer
from tests.conftest import csrf_token


def upload(client, name: str, content: str | bytes):
    token = csrf_token(client.get("/admin/kb/import").get_data(as_text=True))
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post("/admin/kb/import", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def kb_state(app) -> list[tuple]:
    from kb.models import Article, ArticleVersion
    from web.extensions import db

    with app.app_context():
        rows = [(a.id, a.municipality_id, a.intent, a.lang, a.title, a.body, a.source_path, a.department,
                 a.status, a.version) for a in db.session.query(Article).order_by(Article.id)]
        return rows + [(v.id, v.article_id, v.version, v.status) for v in db.session.query(ArticleVersion)]


@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_export_then_import_unchanged_changes_nothing(app, fmt):
    client = admin_client(app)
    resp = client.get(f"/admin/kb/export.{fmt}")
    assert resp.status_code == 200
    assert f'filename="kb-fjordvik.{fmt}"' in resp.headers["Content-Disposition"]
    text = resp.get_data(as_text=True)
    assert "{municipality.name}" in text  # placeholders are exported unfilled
    before = kb_state(app)
    page = upload(client, f"kb.{fmt}", text).get_data(as_text=True)
    assert "0 articles published" in page and "156 unchanged" in page
    assert kb_state(app) == before


def test_yaml_import_publishes_changed_articles_as_new_versions(app):
    client = admin_client(app)
    data = yaml.safe_load(client.get("/admin/kb/export.yaml").get_data(as_text=True))
    for item in data["articles"]:
        if item["id"] == "library:en":
            item["body"] = "Imported library text. Call {municipality.phone}."
    page = upload(client, "kb.yml", yaml.safe_dump(data, allow_unicode=True)).get_data(as_text=True)
    assert "1 articles published" in page
    assert dialogue_answer(app, "library", "en")["text"] == "Imported library text. Call +47 55 50 10 00."
    editor = client.get("/admin/kb/library/en").get_data(as_text=True)
    assert "(import)" in editor  # the history says where the version came from


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _export_rows(client) -> list[dict]:
    return list(csv.DictReader(io.StringIO(client.get("/admin/kb/export.csv").get_data(as_text=True))))


def test_wrong_columns_are_refused_naming_the_line(app):
    client = admin_client(app)
    rows = _export_rows(client)
    before = kb_state(app)
    for row in rows:
        row["headline"] = row.pop("title")
    resp = upload(client, "kb.csv", _csv(rows, ["id", "intent", "lang", "headline", "source_url", "department",
                                                "body", "origin", "version"]))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Line 1: missing columns: title." in page and "Line 1: unknown columns: headline." in page
    assert "Nothing was imported; the knowledge base is unchanged." in page
    assert kb_state(app) == before


def excel_csv(rows: list[dict], columns: list[str], separator: str = ";") -> bytes:
    """A CSV as Excel in a Nordic locale saves it ("CSV UTF-8"): the list separator is the semicolon (the
    comma is the decimal sign), a UTF-8 BOM, CRLF line ends, cells quoted only when they must be."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, delimiter=separator, lineterminator="\r\n",
                            quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_semicolon_file_from_excel_is_imported(app, separator):
    """Nordic Excel saves 'id;intent;lang;…': it got 'missing columns / unknown columns id;intent;…'."""
    client = admin_client(app)
    rows = _export_rows(client)
    before = kb_state(app)
    for row in rows:
        if row["id"] == "library:nb":
            row["body"] = "Nye åpningstider; ring {municipality.phone}.\nLørdag: stengt, «sommertid».\r\nVelkommen!"
    data = excel_csv(rows, list(rows[0].keys()), separator)
    assert data.startswith(b"\xef\xbb\xbfid" + separator.encode() + b"intent") and b"\r\n" in data
    page = upload(client, "kb.csv", data).get_data(as_text=True)
    assert "1 articles published, 155 unchanged" in page, page[:2000]
    assert dialogue_answer(app, "library", "nb")["text"] == (
        "Nye åpningstider; ring +47 55 50 10 00.\nLørdag: stengt, «sommertid».\nVelkommen!")
    assert len(kb_state(app)) > len(before)  # one new version


def test_a_windows_1252_semicolon_file_from_excel_is_imported(app):
    """Excel's «CSV (semikolondelt)» is Windows-1252, not UTF-8: it got 'The file is not UTF-8 text.'"""
    client = admin_client(app)
    rows = _export_rows(client)
    for row in rows:
        if row["id"] == "library:nb":
            row["body"] = "Lørdag og søndag: stengt i påsken. Ærlig talt, «sommertid» også."
    data = excel_csv(rows, list(rows[0].keys()))[3:].decode("utf-8").encode("cp1252")
    page = upload(client, "kb.csv", data).get_data(as_text=True)
    assert "1 articles published, 155 unchanged" in page, page[:2000]
    assert "read as Windows-1252" in page
    assert dialogue_answer(app, "library", "nb")["text"] == "Lørdag og søndag: stengt i påsken. Ærlig talt, «sommertid» også."


def test_a_file_that_only_decodes_as_windows_1252_is_still_refused_when_it_is_not_an_export(app):
    """Any bytes decode as Windows-1252: without the export's header it stays 'not UTF-8 text'."""
    client = admin_client(app)
    before = kb_state(app)
    resp = upload(client, "kb.csv", bytes(range(0x80, 0xff)).replace(b"\x81", b"").replace(b"\x8d", b"")
                  .replace(b"\x8f", b"").replace(b"\x90", b"").replace(b"\x9d", b""))
    assert resp.status_code == 422 and "not UTF-8" in resp.get_data(as_text=True)
    assert kb_state(app) == before


def test_a_semicolon_file_with_a_problem_names_the_line(app):
    client = admin_client(app)
    rows = [r for r in _export_rows(client) if r["lang"] == "en"][:3]
    for row in rows:
        row["body"] = row["body"].replace("\n", " ")
    rows[2]["lang"] = "de"
    before = kb_state(app)
    resp = upload(client, "kb.csv", excel_csv(rows, list(rows[0].keys())))
    assert resp.status_code == 422
    assert "Line 4: there is no language de." in resp.get_data(as_text=True)
    assert kb_state(app) == before


def test_duplicate_ids_are_refused_naming_both_lines(app):
    """(A record whose body spans several lines is counted from its first line; see the YAML test.)"""
    client = admin_client(app)
    rows = [r for r in _export_rows(client) if r["lang"] == "en"][:3]
    for row in rows:
        row["body"] = row["body"].replace("\n", " ")  # one line per record: the lines are easy to count
    rows[0]["body"] = "Changed, but the file is refused."
    rows.append(dict(rows[1]))  # same id again on line 5
    before = kb_state(app)
    resp = upload(client, "kb.csv", _csv(rows, list(rows[0].keys())))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert f"Line 5: the id {rows[1]['id']} is already used on line 3." in page
    assert kb_state(app) == before  # the valid changed row on line 2 was not imported either


def test_yaml_problems_name_the_line_of_the_record(app):
    client = admin_client(app)
    data = yaml.safe_load(client.get("/admin/kb/export.yaml").get_data(as_text=True))
    data["articles"] = data["articles"][:2]
    data["articles"][1]["body"] = "Open {hours.library_sunday}."
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("- ") and n > 3)
    before = kb_state(app)
    resp = upload(client, "kb.yaml", text)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    art = data["articles"][1]["id"].replace(":", "/")
    assert f"Line {line}: {art}, body line 1: the placeholder {{hours.library_sunday}} has no value" in page
    assert kb_state(app) == before


BROKEN = [
    ("kb.yaml", "articles: [\n  {id: 1", "is not valid YAML"),
    ("kb.yaml", "just a string", "holds no articles"),
    ("kb.csv", "", "holds no articles"),
    ("kb.txt", "id,intent\n", "Name the file .yaml, .yml or .csv"),
    ("kb.csv", b"\xff\xfe\x00bad", "not UTF-8"),
    ("kb.csv", "id,intent,lang,title,source_url,department,body\nlibrary:nb,library,nb,T,/x,culture\n",
     "Line 2: 6 cells, expected 7."),
    ("kb.csv", "id,intent,lang,title,source_url,department,body\nx:nb,no_topic,nb,T,/x,culture,B\n",
     "Line 2: there is no topic no_topic."),
    ("kb.csv", "id,intent,lang,title,source_url,department,body\nlibrary:nb,library,nb,T,/x,nowhere,B\n",
     "there is no department nowhere"),
    ("kb.csv", "id,intent,lang,title,source_url,department,body\nlibrary:nb,library,nb,<b>Bibliotek</b>,/x,culture,B\n",
     "Line 2: library/nb, title: HTML such as &lt;b&gt; is not allowed; the title is shown as plain text."),

]


def test_broken_files_get_a_clear_message_and_change_nothing(app):
    client = admin_client(app)
    before = kb_state(app)
    for name, content, message in BROKEN:
        resp = upload(client, name, content)
        assert resp.status_code == 422, name
        assert message in resp.get_data(as_text=True), (name, content)
        assert kb_state(app) == before


def test_a_control_character_refuses_the_file_naming_the_line_and_the_character(app):
    """A CSV with a NUL in a body was published (invisible to the admin; on Postgres a 500). In a file it
    means damage or the wrong encoding: refused, line and character named, in the admin's language."""
    client = admin_client(app)
    rows = [r for r in _export_rows(client) if r["lang"] == "en"][:3]
    for row in rows:
        row["body"] = row["body"].replace("\n", " ")  # one line per record: the lines are easy to count
    rows[1]["body"] = "Open\x00 today."
    rows[2]["title"] = "Library\x07"
    before = kb_state(app)
    page = upload(client, "kb.csv", _csv(rows, list(rows[0].keys()))).get_data(as_text=True)
    assert "Line 3: the text holds an invisible control character (U+0000). Remove it, or save the file again as UTF-8 text." in page
    assert "Line 4: the text holds an invisible control character (U+0007)." in page
    assert "Nothing was imported; the knowledge base is unchanged." in page
    assert kb_state(app) == before

    data = {"articles": [{"id": "library:en", "intent": "library", "lang": "en", "title": "Library",
                          "source_url": "/x", "department": "culture", "body": "Open\x00 today."}]}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # YAML writes the NUL as "\0"
    assert "\\0" in text
    nb = admin_client(app, lang="nb")
    page = upload(nb, "kb.yaml", text).get_data(as_text=True)
    assert "Linje 2: teksten inneholder et usynlig kontrolltegn (U+0000)." in page
    assert kb_state(app) == before


def test_import_without_csrf_token_is_refused(app):
    client = admin_client(app)
    resp = client.post("/admin/kb/import", data={"file": (io.BytesIO(b"x"), "kb.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400


@pytest.mark.parametrize("path", ["/admin/kb/import", "/admin/kb/training/import"])
def test_a_file_over_the_limit_is_refused_on_the_import_page_naming_the_limit(app, path):
    """A 9 MB file got a bare '413 Request too large' page: no way back to the import, no word of the limit."""
    client = admin_client(app)
    token = csrf_token(client.get(path + "?lang=en").get_data(as_text=True))
    big = b"id,intent,lang,title,source_url,department,body\n" + b"x" * (9 * 1024 * 1024)
    resp = client.post(path, data={"csrf_token": token, "file": (io.BytesIO(big), "kb.csv")},
                       content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "The file is larger than 8 MB. Split it into smaller files." in page
    assert 'type="file"' in page  # the import form again, to choose a smaller file


def test_reading_an_upload_only_returns_its_encoding_and_the_import_pages_say_it(app):
    """_uploaded returns values (text, format, encoding, problems); the two import routes flash the
    encoding note, so a caller that does not want the note (or wants it once) is not surprised by it."""
    from flask import get_flashed_messages

    from web.admin.kb_forms import ImportForm
    from web.admin.kb_routes import _uploaded

    body = "id;intent;title\nlibrary:nb;library;Åpningstider\n".encode("cp1252")
    with app.test_request_context("/admin/kb/import", method="POST",
                                  data={"file": (io.BytesIO(body), "kb.csv")}, content_type="multipart/form-data"):
        text, fmt, encoding, problems = _uploaded(ImportForm(meta={"csrf": False}))
        assert (fmt, encoding, problems) == ("csv", "cp1252", []) and "Åpningstider" in text
        assert get_flashed_messages() == []


def _laughs(levels: int, field: str) -> str:
    """YAML aliases doubling a list ``levels`` times in as many short lines ("billion laughs"), as ``field``."""
    lines = ['l0: &l0 ["ha", "ha"]'] + [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, levels)]
    values = {"id": "library:nb", "intent": "library", "lang": "nb", "title": "Bibliotek", "source_url": "/x",
              "department": "culture", "body": "Åpent", field: f"*l{levels - 1}"}
    return "\n".join(lines) + "\narticles:\n- " + "\n  ".join(f"{k}: {v}" for k, v in values.items()) + "\n"


@pytest.mark.parametrize("field", ["body", "title"])
def test_yaml_aliases_nesting_a_list_in_itself_are_refused_before_they_are_written_out(app, field):
    """Forty short lines of aliases make a list of 2^40 items that YAML keeps as 40 (each level refers to the
    one below twice); writing the field out as text (str()) expanded it: 22 levels took 4.6 s and 58 MB, 40
    would take the shared server down for every municipality. A field must be text, so a list or mapping is
    refused at its line, before anything is written out, in a few milliseconds."""
    import time

    client = admin_client(app)
    before = kb_state(app)
    started = time.process_time()
    resp = upload(client, "kb.yaml", _laughs(40, field))
    assert time.process_time() - started < 2
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert f"Line 42: the field {field} must be text, not a list or a group of fields." in page
    assert kb_state(app) == before


@pytest.mark.parametrize("kind", ["kb", "training"])
def test_lists_nested_thousands_deep_and_an_open_quote_are_said_in_the_admins_words(app, kind):
    """"[[[[…" 5000 deep was a RecursionError in PyYAML, a 500; a CSV cell past the csv module's limit (a
    quotation mark left open) said "field larger than field limit (131072)" in English inside the Finnish
    page; a file of blank lines said "unknown columns: ."."""
    url = "/admin/kb/import" if kind == "kb" else "/admin/kb/training/import"
    client = admin_client(app, lang="fi")
    before = kb_state(app)

    def send(name, data):
        token = csrf_token(client.get(url).get_data(as_text=True))
        return client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")

    resp = send("deep.yaml", b"[" * 5000 + b"]" * 5000)
    assert resp.status_code == 422 and "sen luettelot ovat liian syvällä sisäkkäin" in resp.get_data(as_text=True)
    header = b"id,intent,lang,title,source_url,department,body\n" if kind == "kb" else b"intent,lang,text\n"
    resp = send("open.csv", header + b'library:nb,library,nb,"Bibliotek' + b"x" * 140_000 + b"\n")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Rivi 2: solussa on yli 131072 merkkiä." in page
    assert "field limit" not in page
    resp = send("blank.csv", b"   \n \n")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "tuntemattomat sarakkeet" not in page
    assert kb_state(app) == before
