"""The ``tinget`` command: a Flask CLI group (database, demo data, bot training, evaluation, ...)."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from web import create_app


def _app_factory():
    from web.config import ConfigError

    try:
        return create_app(config_name=None)
    except ConfigError as exc:  # a bad setting in the environment: name it, no traceback
        raise click.ClickException(f"Configuration: {exc}") from exc


def _database_problem() -> str | None:
    """Why the app's database cannot serve a command, in words for the operator; None when it can."""
    from flask import current_app
    from sqlalchemy.engine import make_url

    from web.services.schema import database_state

    state, detail = database_state()
    shown = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    upgrade = "run `tinget db upgrade` first (it creates or migrates the database; back up a production one)"
    return {
        "ok": None,
        "missing": f"No database at {shown} (DATABASE_URL): {upgrade}.",
        "unreachable": f"Cannot open the database {shown} (DATABASE_URL): {detail}",
        "not_migrated": f"The database {shown} has no Tinget tables (DATABASE_URL): {upgrade}.",
        "newer": f"The database {shown} is at revision {detail}, which this version of Tinget does not know (a newer "
                 f"version migrated it): run that version, or this one against another database.",
        "older": f"The database {shown} has an older schema ({detail}): {upgrade}.",
    }[state]


def with_database(f):
    """``with_appcontext`` for commands that use the app's tables: a database that is missing, not migrated
    or of another schema version is named with what to do, instead of failing with an SQL traceback."""

    @functools.wraps(f)
    def checked(*args, **kwargs):
        from sqlalchemy.exc import OperationalError

        problem = _database_problem()
        if problem:
            raise click.ClickException(problem)
        try:
            return f(*args, **kwargs)
        except OperationalError as exc:  # e.g. the database went away during the command
            raise click.ClickException(f"Database error: {exc.orig}") from exc

    return with_appcontext(checked)


def reports_input_errors(f):
    """An evaluation command's bad input file (tinget.jsonl.InputFileError: the file, the line and what is
    wrong) as a one-line error and a non-zero exit, not a traceback."""

    @functools.wraps(f)
    def checked(*args, **kwargs):
        from tinget.jsonl import InputFileError

        try:
            return f(*args, **kwargs)
        except InputFileError as exc:
            raise click.ClickException(str(exc)) from exc

    return checked


class TingetGroup(FlaskGroup):
    """Flask's group, with a database that cannot be opened named for any command, also Flask-Migrate's
    (`tinget db upgrade` on an unreachable Postgres or a SQLite file in a missing folder was a traceback)."""

    def invoke(self, ctx):
        from sqlalchemy.exc import OperationalError

        interrupted = False
        try:
            return super().invoke(ctx)
        except OperationalError as exc:
            from sqlalchemy.engine import make_url

            from web.config import Config

            shown = make_url(Config.SQLALCHEMY_DATABASE_URI).render_as_string(hide_password=True)
            raise click.ClickException(f"Database {shown} (DATABASE_URL): {exc.orig}") from exc
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            if not interrupted:
                _wait_for_background_builds()


def _wait_for_background_builds() -> None:
    """A suggester index a command started building in the background (web.services.drafts: a case opened
    while the index was missing) is finished before the process exits: exiting cut the build off, and
    left the index missing or stale. The wait shows the build's progress."""
    drafts = sys.modules.get("web.services.drafts")  # not imported: nothing can be building
    if drafts is None:
        return
    from suggester.reindex import TqdmProgress

    bars: list[TqdmProgress] = []

    def progress_for(slug: str) -> TqdmProgress:
        click.echo(f"Waiting for the suggester index of {slug} to be built before exiting …", err=True)
        bars.append(TqdmProgress())
        return bars[-1]

    drafts.wait_for_builds(progress_for)
    for bar in bars:
        bar.close()


def _ensure_suggester_index(m) -> None:
    """Build the municipality's suggester index in the foreground, with progress, if it is missing or unusable,
    before a command opens cases: they get drafts, and no build is left running in the background. A failure
    is reported and the mail is still taken in (cases without drafts, as in the web app)."""
    from flask import current_app

    if not current_app.config.get("SUGGESTER_ENABLED"):
        return
    from suggester.reindex import TqdmProgress
    from web.services.drafts import ensure_index, service

    progress = TqdmProgress()
    try:
        if service(m, build_if_missing=False) is not None:
            return
        click.echo(f"Building the suggester index of {m.name} first, so that new cases get drafts …", err=True)
        ensure_index(m, progress=progress)
    except Exception as exc:  # the mail must still come in
        click.echo(f"The suggester index could not be built ({exc.__class__.__name__}: {exc}); new cases get "
                   "no drafts until `tinget suggester reindex` succeeds.", err=True)
    finally:
        progress.close()


@click.group(cls=TingetGroup, create_app=_app_factory, add_version_option=False)
def cli() -> None:
    """Tinget: citizen-inquiry assistant for Nordic municipalities."""


# ---------------------------------------------------------------- demo data
@cli.group()
def demo() -> None:
    """Demo municipality."""


@demo.command("load")
@with_database
def demo_load() -> None:
    """Load the national KB, the demo municipality and its users (idempotent)."""
    from web.demo import load_demo
    from web.extensions import db
    from web.services.users import UserOfOtherMunicipality

    try:
        with click.progressbar(length=60, label="Loading KB content") as bar:
            municipality, report, logins = load_demo(progress=lambda _name: bar.update(1))
    except UserOfOtherMunicipality as exc:  # nothing is stored: load_demo commits only at its end
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{municipality.name}: {report.created} articles created, {report.updated} updated, "
               f"{report.unchanged} unchanged, {report.skipped_edited} kept (edited by an admin)")
    if report.created or report.updated:
        import shutil

        from web.services.drafts import index_dir

        shutil.rmtree(index_dir(municipality), ignore_errors=True)  # rebuilt by `suggester reindex --if-missing`
    click.echo("Demo logins (e-mail / password / role / departments):")
    for email, password, role, deps in logins:
        click.echo(f"  {email:28} {password:16} {role:10} {deps}")


# ---------------------------------------------------------------- bot
@cli.group()
def bot() -> None:
    """The Rasa bot: generate domain/rules, train, locate the model."""


@bot.command("generate")
def bot_generate() -> None:
    """Write bot/domain.yml and training_data/rules.yml from the intent catalogue."""
    from bot.generate import write

    for path in write():
        click.echo(f"wrote {path}")


@bot.command("train")
@click.option("--force", is_flag=True, help="Train even if a model for the current inputs exists.")
def bot_train(force: bool) -> None:
    """Train the Rasa model if training data or config changed since the last model."""
    from bot.training import TrainingError, model_path, prune, train

    target = model_path()
    if target.exists() and not force:
        click.echo(f"Model is up to date: {target}")
        return
    click.echo(f"Training Rasa model {target.name} (inputs changed) …")
    try:
        path = train(force=force)
    except TrainingError as exc:
        raise click.ClickException(str(exc)) from exc
    prune()
    click.echo(f"Model ready: {path}")


@bot.command("model-path")
def bot_model_path() -> None:
    """Print the path of the model to serve."""
    from bot.training import current_model

    path = current_model()
    if path is None:
        raise click.ClickException("No trained model: run `tinget bot train`.")
    click.echo(str(path))


# ---------------------------------------------------------------- evaluation
@cli.group("eval")
def eval_group() -> None:
    """Evaluation commands (stable contract, see ARCHITECTURE.md)."""


def _emit(summary: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        for key, value in summary.items():
            click.echo(f"{key}: {value}")


@eval_group.command("intents")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--predictions", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--model", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Rasa model to evaluate (default: the current trained model).")
@reports_input_errors
def eval_intents(file: Path, predictions: Path, as_json: bool, model: Path | None) -> None:
    """Send each message through the resident path (redaction, language, Rasa, fallback)."""
    from web.evaluation import evaluate_intents

    _emit(evaluate_intents(file, predictions, model=model, log=lambda m: click.echo(m, err=True)), as_json)


@eval_group.command("redact")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--predictions", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.option("--no-baseline", is_flag=True, help="Skip Presidio's default English configuration.")
@reports_input_errors
def eval_redact(file: Path, predictions: Path, as_json: bool, no_baseline: bool) -> None:
    """Redaction spans per item, with precision/recall per label and language, beside Presidio's
    default English configuration measured in the same run."""
    from privacy.evaluation import format_summary, run_eval

    summary = run_eval(file, predictions, baseline=not no_baseline)
    if as_json:
        _emit(summary, True)
    else:
        click.echo(format_summary(summary))


@eval_group.command("suggest")
@click.option("--corpus", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--queries", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--predictions", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@reports_input_errors
def eval_suggest(corpus: Path, queries: Path, predictions: Path, as_json: bool) -> None:
    """Ranked answers per query from a temporary index of the corpus."""
    from suggester.evaluation import run_eval

    _emit(run_eval(corpus, queries, predictions), as_json)


@eval_group.command("mail")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--predictions", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.option("--model", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Rasa model to read intents with (default: the current trained model).")
def eval_mail(directory: Path, predictions: Path, as_json: bool, model: Path | None) -> None:
    """Triage each .eml in DIRECTORY under the demo municipality's mail settings."""
    from mail.evaluation import run_eval
    from mail.nlu import NLUUnavailable
    from web.demo import DEMO_MAIL_SETTINGS

    try:
        summary = run_eval(directory, predictions, DEMO_MAIL_SETTINGS, model=model)
    except (NLUUnavailable, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    _emit(summary, as_json)


# ---------------------------------------------------------------- mail
@cli.group("mail")
def mail_group() -> None:
    """The e-mail channel: import .eml files, poll the IMAP postbox."""


@mail_group.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--municipality", default=None, help="Slug (needed when the installation has several).")
@with_database
def mail_import(source: Path, municipality: str | None) -> None:
    """Import FILE.eml or every .eml in DIR: triage, cases, auto-replies (duplicates are skipped)."""
    from web.services import mail as svc

    files = sorted(p for p in source.glob("*.eml") if p.is_file()) if source.is_dir() else [source]
    if not files:  # said nothing and exited 0: a wrong directory looked like an empty postbox
        raise click.ClickException(f"{source}: no .eml files; nothing was imported.")
    try:
        m = svc.municipality_for(municipality)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    _ensure_suggester_index(m)
    with click.progressbar(length=len(files), label=f"Importing {len(files)} mails",
                           file=click.get_text_stream("stderr")) as bar:
        counts = svc.import_files(m, files, progress=bar.update)
    click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))


@mail_group.command("close-auto-answered")
@click.option("--dry-run", is_flag=True, help="Only count the cases that would be closed.")
@with_database
def mail_close_auto_answered(dry_run: bool) -> None:
    """Close mail cases answered by the automatic reply that were left open (once, after the automatic
    reply started closing its case: they leave the caseworkers' open queue)."""
    from web.services import mail as svc

    n = svc.close_auto_answered(dry_run=dry_run)
    click.echo(f"{n} automatically answered mail cases {'would be' if dry_run else 'were'} closed.")


@mail_group.command("poll")
@click.option("--municipality", default=None, help="Slug (needed when the installation has several).")
@click.option("--every", type=click.IntRange(min=0), default=0, help="Keep polling every N seconds (default: once).")
@with_database
def mail_poll(municipality: str | None, every: int) -> None:
    """Fetch new mail from the configured IMAP postbox and triage it (once, or every N seconds)."""
    import time

    from web.extensions import db
    from web.services import mail as svc

    while True:
        try:
            m = svc.municipality_for(municipality)
            _ensure_suggester_index(m)
            counts = svc.poll_imap(m)
            click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:  # postbox unreachable: say so, try again next round
            if not every:
                raise click.ClickException(f"IMAP poll failed: {exc.__class__.__name__}: {exc}") from exc
            click.echo(f"IMAP poll failed ({exc.__class__.__name__}); retrying in {every} s", err=True)
            db.session.rollback()
        if not every:
            return
        db.session.remove()
        time.sleep(every)


# ---------------------------------------------------------------- privacy
@cli.command("redact")
@click.option("--lang", default=None, type=click.Choice(["nb", "nn", "sv", "da", "fi", "en"]),
              help="Language hint.")
def redact_cmd(lang: str | None) -> None:
    """Redact personal data: stdin to stdout."""
    from privacy import redact

    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"input is not UTF-8 (byte {exc.start})") from exc
    result = redact(text, lang)
    sys.stdout.write(result.text)
    counts = ", ".join(f"{k}×{v}" for k, v in sorted(result.counts.items())) or "nothing"
    click.echo(f"redacted: {counts}", err=True)


@cli.group("privacy")
def privacy_group() -> None:
    """Deletion on request (the admin page's Delete, from the command line)."""


@privacy_group.command("delete")
@click.argument("reference")
@click.option("--municipality", default=None, help="Slug (needed when the installation has several).")
@click.option("--yes", is_flag=True, help="Delete without asking (the preview is still printed).")
@with_database
def privacy_delete(reference: str, municipality: str | None, yes: bool) -> None:
    """Delete the conversation REFERENCE (its ID, or a case number such as 42 or #42) with everything
    derived from it. Shows what would be deleted and asks first, as the admin page does."""
    from web.services import deletion
    from web.services.mail import municipality_for

    try:
        m = municipality_for(municipality)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    ref = reference.strip()
    number = ref.lstrip("#")
    by = {"case": ref} if number.isascii() and number.isdigit() else {"conversation": ref}
    outcome = deletion.request_deletion(m.id, "command line", **by)
    if outcome.state != "preview":
        raise click.ClickException(f"No conversation or case {reference!r} in {m.name}; nothing was deleted.")
    p = outcome.preview
    cases = ", ".join(f"#{c['id']} ({c['department']}, {c['status']})" for c in p["cases"]) or "no case"
    click.echo(f"Conversation {p['conversation']} ({p['channel']}), started {p['created_at']:%Y-%m-%d %H:%M} UTC")
    click.echo(f"  cases: {cases}")
    click.echo(f"  messages: {p['messages']}")
    if p["mail"]:
        mail = p["mail"]
        click.echo(f"  e-mails: received {mail['received']}, sent {mail['sent']}; sender: "
                   f"{'an address at ' + mail['sender_domain'] if mail['sender_domain'] else '-'}; "
                   f"attachments: {mail['attachments']}")
        click.echo(f"  subject (redacted): {mail['subject'] or '-'}")
        click.echo(f"  text (redacted, beginning): {p['first_line'] or '-'}")
    else:
        click.echo(f"  message handed over (redacted): {p['first_line'] or '-'}")
    if not yes and not click.confirm("Delete permanently? This cannot be undone", default=False):
        click.echo("Nothing was deleted.")
        return
    outcome = deletion.request_deletion(m.id, "command line", **by, shown=outcome.conversation)
    if outcome.state != "deleted":  # the reference found another conversation meanwhile
        raise click.ClickException("The reference no longer finds the conversation shown; nothing was deleted.")
    click.echo(f"Deleted: {outcome.counts['messages']} messages and {outcome.counts['cases']} cases.")


# ---------------------------------------------------------------- stack
@cli.command("supervise")
@click.option("--url", default="http://127.0.0.1:5000")
@with_database
def supervise(url: str) -> None:
    """Wait until the stack answers, print the URLs, then run scheduled jobs (part of `make run`)."""
    from web.stack import supervise as run

    run(url, echo=click.echo)


# ---------------------------------------------------------------- retention
@cli.group()
def retention() -> None:
    """Retention of conversations and cases."""


@retention.command("run")
@with_database
def retention_run() -> None:
    """Delete conversations and closed cases past their retention period."""
    from web.services import retention as svc

    counts = svc.run()
    click.echo(f"Deleted {counts['conversations']} conversations ({counts['cases']} cases).")


# ---------------------------------------------------------------- replies
@cli.group()
def replies() -> None:
    """Caseworker replies."""


@replies.command("rerender")
@click.option("--dry-run", is_flag=True, help="Only count the replies whose html would change.")
@with_database
def replies_rerender(dry_run: bool) -> None:
    """Render caseworker replies' stored html again from their text (once, after the reply renderer
    changed: older replies keep their line breaks and lists then)."""
    from web.services.cases import rerender_replies

    checked, changed = rerender_replies(dry_run=dry_run)
    click.echo(f"{changed} of {checked} caseworker replies {'would be' if dry_run else 'were'} rendered again.")


# ---------------------------------------------------------------- suggester
@cli.group()
def suggester() -> None:
    """The answer suggester's index."""


@suggester.command("reindex")
@click.option("--municipality", default=None, help="Slug (default: every municipality).")
@click.option("--if-missing", is_flag=True, help="Only municipalities whose index is missing or unusable.")
@with_database
def suggester_reindex(municipality: str | None, if_missing: bool) -> None:
    """Rebuild the suggester index from the database, with a progress bar."""
    from sqlalchemy import select

    from tinget.models import Municipality
    from web.extensions import db
    from web.services.drafts import reindex

    query = select(Municipality)
    if municipality:
        query = query.where(Municipality.slug == municipality)
        if db.session.scalar(query) is None:  # said nothing and exited 0: a typo looked like a done reindex
            raise click.ClickException(f"No municipality '{municipality}'.")
    from web.services.drafts import service

    for m in db.session.scalars(query).all():
        if if_missing and service(m, build_if_missing=False) is not None:
            click.echo(f"{m.name}: suggester index is up to date")
            continue
        from suggester.reindex import TqdmProgress

        click.echo(f"Indexing {m.name} …")
        stats = reindex(m, progress=TqdmProgress())  # one bar per stage: encode, sparse, index
        click.echo(f"{m.name}: {stats}")
