"""Operator mistakes on the command line get a message and a non-zero exit code instead of silence and 0:
a directory without .eml files, an unknown municipality for the reindex, an unknown language for redact;
a mail import shows how far it is."""

from __future__ import annotations

import pytest


def _invoke(app, *args, **kwargs):
    from web.cli import cli

    return app.test_cli_runner().invoke(cli, list(args), **kwargs)


def test_mail_import_of_a_directory_without_mail_says_so(app, tmp_path):
    folder = tmp_path / "postbox"
    (folder / "sub.eml").mkdir(parents=True)  # a directory named .eml is no mail either
    (folder / "notes.txt").write_text("x")
    result = _invoke(app, "mail", "import", str(folder))
    assert result.exit_code == 1 and "no .eml files; nothing was imported" in result.output, result.output


def test_mail_import_shows_its_progress_and_counts(app, tmp_path, monkeypatch):
    from web.services import mail as svc

    def no_nlu():
        raise RuntimeError("no NLU in this test")

    monkeypatch.setattr(svc, "_nlu", no_nlu)
    monkeypatch.setattr(svc, "BATCH", 2)
    done = []
    real = svc.import_files
    monkeypatch.setattr(svc, "import_files", lambda m, files, progress=None: real(
        m, files, progress=lambda n: (done.append(n), progress and progress(n))))
    for i in range(3):
        (tmp_path / f"{i}.eml").write_bytes(f"From: a{i}@example.org\nMessage-ID: <{i}@x>\nSubject: Hei\n\n"
                                            f"Jeg har et spørsmål om søknaden min nr {i}.\n".encode())
    result = _invoke(app, "mail", "import", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Importing 3 mails" in result.output and "route: 3" in result.output
    assert done == [2, 1]


def test_reindex_of_an_unknown_municipality_says_so(app):
    result = _invoke(app, "suggester", "reindex", "--municipality", "fjordvk")
    assert result.exit_code == 1 and "No municipality 'fjordvk'" in result.output, result.output


@pytest.mark.parametrize("lang", ["xx", "no"])
def test_redact_refuses_a_language_it_does_not_know(app, lang):
    result = _invoke(app, "redact", "--lang", lang, input="Ola Nordmann\n")
    assert result.exit_code == 2 and "is not one of 'nb', 'nn', 'sv', 'da', 'fi', 'en'" in result.output


def test_mail_poll_refuses_a_negative_interval(app):
    """--every -5 passed and ended, after the first successful poll, in time.sleep's ValueError traceback."""
    result = _invoke(app, "mail", "poll", "--every", "-5")
    assert result.exit_code == 2 and "-5 is not in the range x>=0" in result.output, result.output
