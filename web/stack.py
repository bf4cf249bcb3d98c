"""What `make run` shows once everything is up, and the scheduled jobs (retention)."""

from __future__ import annotations

import time

import requests
from flask import current_app


def wait_until_ready(url: str, timeout: float = 600, echo=print) -> bool:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            health = requests.get(f"{url}/healthz", timeout=3).json()
            if health.get("database", "ok") != "ok":
                state = f"the database is {health['database']} (run `tinget db upgrade`)"
            elif health.get("rasa"):
                return True
            else:
                state = "waiting for the Rasa server to load the model"
        except (requests.RequestException, ValueError):
            state = "waiting for the web app"
        if state != last:
            echo(f"… {state}")
            last = state
        time.sleep(2)
    return False


def _index_if_missing(echo) -> None:
    """Build missing suggester indexes after start-up: the bot answers meanwhile, and cases opened
    before the index exists get their drafts on the next message."""
    from sqlalchemy import select

    from tinget.models import Municipality
    from web.extensions import db
    from web.services.drafts import reindex, service

    for m in db.session.scalars(select(Municipality)).all():
        if service(m, build_if_missing=False) is None:
            echo(f"Building the suggester index for {m.name} (drafts appear when it is done) …")
            started = time.monotonic()
            stats = reindex(m)
            echo(f"Suggester index for {m.name} ready in {time.monotonic() - started:.0f} s: {stats}")


def run_retention(echo=print) -> dict | None:
    """One scheduled retention run (deletes what is past its period, retries pending tracker
    deletions); a failure is logged and the stack keeps running."""
    from web.services import retention

    try:
        removed = retention.run()
    except Exception as exc:  # keep the stack running; the next run tries again
        current_app.logger.warning("retention run failed: %s", exc)
        return None
    echo(f"retention: {removed}")
    return removed


def supervise(url: str, echo=print, interval_hours: float | None = None, rounds: int | None = None) -> None:
    """Print the URLs once the stack is up, then run retention every ``RETENTION_INTERVAL_HOURS``
    (``rounds`` bounds the loop for tests; None = until the stack stops)."""
    interval = interval_hours if interval_hours is not None else current_app.config.get("RETENTION_INTERVAL_HOURS", 6.0)
    started = time.monotonic()
    if wait_until_ready(url, echo=echo):
        echo("")
        echo(f"Tinget is ready after {time.monotonic() - started:.0f} s:")
        echo(f"  Demo municipality page with the widget:  {url}/")
        echo(f"  Caseworker console:                      {url}/console/")
        echo(f"  Admin:                                   {url}/admin/")
        echo(f"  Resident API:                            {url}/api/v1/conversations")
        echo("  Demo logins: printed above by `tinget demo load`. Ctrl-C stops everything.")
    else:
        echo("The stack did not become ready; see the rasa/actions/web lines above.")
    _index_if_missing(echo)
    done = 0
    while rounds is None or done < rounds:
        run_retention(echo)
        done += 1
        if rounds is None or done < rounds:
            time.sleep(interval * 3600)
