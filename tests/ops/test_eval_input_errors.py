"""`tinget eval …` with an input file that is not UTF-8 JSON lines of the contract's objects names the file,
the line and the problem (exit 1, no traceback, never the line's text), before any model or server starts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

BAD = {
    "binary": (b"\x9f\x00\xff" * 50, "not UTF-8 (byte 0)"),
    "not-json": (b"\nOla Nordmann 01019912345\n", ":2: not valid JSON"),
    "list": (b'["Ola Nordmann"]\n', ":1: expected a JSON object, found list"),
}


def _eval(tmp_path, command, path):
    from web.cli import cli

    out = tmp_path / "out.jsonl"
    if command == "suggest":
        (tmp_path / "q.jsonl").write_text(json.dumps({"id": "q", "query": "x", "lang": "nb"}) + "\n")
        args = ["eval", "suggest", "--corpus", str(path), "--queries", str(tmp_path / "q.jsonl")]
    else:
        args = ["eval", command, str(path)]
    return CliRunner().invoke(cli, [*args, "--predictions", str(out)])


@pytest.mark.parametrize("command", ["intents", "redact", "suggest"])
@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_input_file_is_named_with_its_line(tmp_path, command, kind):
    data, message = BAD[kind]
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    result = _eval(tmp_path, command, path)
    assert result.exit_code == 1, result.output
    assert f"Error: {path}" in result.output and message in result.output, result.output
    assert "Traceback" not in result.output and "Nordmann" not in result.output and "0101" not in result.output


@pytest.mark.parametrize("command", ["intents", "redact"])
def test_an_empty_file_or_a_missing_field_is_refused_before_the_run(tmp_path, command):
    path = tmp_path / "in.jsonl"
    path.write_text("\n")
    result = _eval(tmp_path, command, path)
    assert result.exit_code == 1 and "has no items" in result.output, result.output  # not a perfect score
    path.write_text(json.dumps({"id": "1", "lang": "nb"}) + "\n")
    result = _eval(tmp_path, command, path)
    assert result.exit_code == 1 and ":1: missing field(s) text" in result.output, result.output


def test_eval_mail_reads_the_labels_before_the_model_and_names_them(tmp_path, monkeypatch):
    import mail.nlu

    def no_model(*_args, **_kwargs):
        raise AssertionError("the model was loaded before the labels were read")

    monkeypatch.setattr(mail.nlu, "load_nlu", no_model)
    (tmp_path / "a.eml").write_bytes(b"From: a@b.no\nSubject: Hei\n\nHei\n")
    (tmp_path / "labels.jsonl").write_text('{"id": "a", "action": "route"}\nnot json\n')
    result = _eval(tmp_path, "mail", tmp_path)
    assert result.exit_code == 1, result.output
    assert f"Error: {tmp_path / 'labels.jsonl'}:1: missing field(s) department, intents" in result.output


def test_eval_mail_names_a_directory_called_eml_before_the_model_loads(tmp_path, monkeypatch):
    """A directory named `x.eml` among the mails (an unpacked archive, a mail client's export) gave an
    IsADirectoryError traceback after the model had loaded; a broken symlink did the same."""
    import mail.nlu

    def no_model(*_args, **_kwargs):
        raise AssertionError("the model was loaded before the mails were read")

    monkeypatch.setattr(mail.nlu, "load_nlu", no_model)
    (tmp_path / "a.eml").write_bytes(b"From: a@b.no\nSubject: Hei\n\nHei\n")
    (tmp_path / "x.eml").mkdir()
    result = _eval(tmp_path, "mail", tmp_path)
    assert result.exit_code == 1, result.output
    assert f"Error: {tmp_path / 'x.eml'}: is a directory, not a mail file" in result.output, result.output
    assert "Traceback" not in result.output
    (tmp_path / "x.eml").rmdir()
    (tmp_path / "y.eml").symlink_to(tmp_path / "gone.eml")
    result = _eval(tmp_path, "mail", tmp_path)
    assert result.exit_code == 1, result.output
    assert f"Error: {tmp_path / 'y.eml'}: cannot be read (No such file or directory)" in result.output, result.output
