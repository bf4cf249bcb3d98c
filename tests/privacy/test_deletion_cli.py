"""`tinget privacy delete <reference>`: the admin page's two-step deletion from the command line (the same
service): it shows what would be deleted, asks, and deletes only on a yes (``--yes`` skips the question)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.privacy.deletion_helpers import conversation_with_case, mail_conversation


def _run(app, *args, answer: str | None = None):
    from web.cli import cli

    return app.test_cli_runner().invoke(cli, ["privacy", "delete", *args], input=answer)


def _conversations(app) -> int:
    from web.extensions import db
    from web.models import AuditEvent, Conversation

    with app.app_context():
        deleted_by_cli = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "delete_conversation", AuditEvent.actor == "command line"))
        return db.session.scalar(select(func.count()).select_from(Conversation)), deleted_by_cli


def test_the_command_shows_the_case_and_deletes_only_after_a_yes(app, resident):
    person, case_id = conversation_with_case(app, resident)
    before = _conversations(app)
    result = _run(app, f"#{case_id}", answer="n\n")
    assert result.exit_code == 0, result.output
    assert person.id in result.output and f"#{case_id} (" in result.output and "messages: " in result.output
    assert "Nothing was deleted." in result.output and _conversations(app) == before
    assert person.messages().status_code == 200

    result = _run(app, str(case_id), answer="y\n")
    assert result.exit_code == 0, result.output
    assert "Deleted: " in result.output and "1 cases" in result.output
    assert _conversations(app) == (before[0] - 1, 1)
    assert person.messages().status_code == 404  # the widget sees the conversation is gone


def test_yes_deletes_by_conversation_id_without_asking(app, resident):
    person, _case_id = conversation_with_case(app, resident)
    result = _run(app, person.id, "--yes")
    assert result.exit_code == 0, result.output
    assert person.id in result.output and "Delete permanently?" not in result.output and "Deleted: " in result.output
    assert person.messages().status_code == 404


def test_an_unknown_reference_deletes_nothing_and_fails(app, resident):
    conversation_with_case(app, resident)
    before = _conversations(app)
    for reference in ("999999", "does-not-exist"):
        result = _run(app, reference, "--yes")
        assert result.exit_code == 1 and "nothing was deleted" in result.output, result.output
    assert _conversations(app) == before


def test_the_command_shows_the_mails_of_a_mail_case(app):
    """As the admin page: counts, the sender's domain (not the address), subject and the text's beginning."""
    case_id, subject, address = mail_conversation(app)
    result = _run(app, f"#{case_id}", answer="n\n")
    assert result.exit_code == 0, result.output
    assert "e-mails: received 2, sent 1; sender: an address at example.org; attachments: 1" in result.output
    assert f"subject (redacted): {subject}" in result.output
    assert "text (redacted, beginning): Hei, jeg heter <PERSON> og lurer på" in result.output
    assert address not in result.output and "Nothing was deleted." in result.output
