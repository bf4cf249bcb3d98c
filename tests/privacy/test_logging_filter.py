"""The logging filter is the second guard: a stray log line with personal data is redacted, the
app's own lines ("Rasa unavailable") are left as they are, and a broken record is not lost."""

from __future__ import annotations

import io
import logging
import random

import pytest

from privacy.logging_filter import RedactingFilter
from tests.privacy import synthetic as syn

FNR = syn.no_fnr(random.Random(3))


@pytest.fixture
def captured(redactor):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tinget.test.filter")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize("fmt,args,secret", [
    ("resident wrote %s", (f"fnr {FNR}",), FNR),
    ("resident wrote: Jeg heter Kari Nordmann, ring 912 34 567", (), "912 34 567"),
    ("mail from %s", ("kari.nordmann@example.no",), "kari.nordmann@example.no"),
    ("%s / %d", ("Hej, jag heter Anna Lindqvist", 3), "Lindqvist"),
])
def test_personal_data_is_redacted_in_log_lines(captured, fmt, args, secret):
    logger, stream = captured
    logger.info(fmt, *args)
    line = stream.getvalue()
    assert secret not in line and "<" in line


@pytest.mark.parametrize("message", [
    "Rasa unavailable (connection refused); message stored as a case",
    "Rasa unavailable (HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded)",
    "Rasa timed out after 5 s",
    "retention: {'conversations': 3, 'cases': 1}",
    "GET /api/v1/conversations/3f9c2a/messages 200",
    "Suggester index for Fjordvik kommune ready in 12 s",
])
def test_app_log_lines_are_left_alone(captured, message):
    logger, stream = captured
    logger.warning(message)
    assert stream.getvalue().strip() == message


def test_broken_format_string_is_not_lost(captured):
    logger, stream = captured
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("only one",), None)
    assert RedactingFilter().filter(record) is True  # logging reports the bad format itself


def test_app_handlers_carry_the_filter(app):
    assert any(isinstance(f, RedactingFilter) for f in app.logger.filters)


def test_first_log_line_while_the_redactor_loads_does_not_deadlock(tmp_path):
    """A fresh process whose root handler carries the filter, with INFO logging on: the first
    redaction loads spaCy/Presidio, which log themselves; that must not wait for the engine lock."""
    import subprocess
    import sys

    script = (
        "import logging, sys\n"
        "from privacy.logging_filter import RedactingFilter\n"
        "logging.basicConfig(level=logging.DEBUG, stream=sys.stdout)\n"
        "for h in logging.getLogger().handlers: h.addFilter(RedactingFilter())\n"
        f"logging.getLogger('web').info('resident wrote fnr {FNR}')\n"
        "print('DONE')\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "DONE" in proc.stdout and FNR not in proc.stdout + proc.stderr


@pytest.mark.parametrize("message,kept,secret", [
    # exception and class names stay readable ...
    ("Rasa unavailable (Rasa server unreachable: ReadTimeout); message stored as a case", "ReadTimeout", None),
    ("Rasa unavailable (Rasa server unreachable: ConnectionError); message stored as a case", "ConnectionError", None),
    ("Rasa unavailable (Rasa server unreachable: ServerHung); message stored as a case", "ServerHung", None),
    ("Rasa-palvelin ei vastaa: MaxRetryError", "MaxRetryError", None),
    ("MaxRetryError", "MaxRetryError", None),
    ("retention run failed: OperationalError('database is locked')", "OperationalError", None),
    ("mail fetch failed: requests.exceptions.ReadTimeout", "requests.exceptions.ReadTimeout", None),
    ("HybridIntentClassifier loaded in 3 s", "HybridIntentClassifier", None),
    ("suggester: HTTPError", "HTTPError", None),
    # ... while personal data next to them is still redacted
    ("ReadTimeout while Kari Nordmann waited", "ReadTimeout", "Kari Nordmann"),
    (f"ValueError: fnr {FNR}", "ValueError", FNR),
    ("KeyError: 'kari.nordmann@example.no'", "KeyError", "kari.nordmann@example.no"),
    # names of CamelCase shape are names
    ("Jeg heter Kari McDonald", None, "McDonald"),
    ("My name is Danny DeVito", None, "DeVito"),
])
def test_identifiers_stay_readable_and_personal_data_does_not(captured, message, kept, secret):
    logger, stream = captured
    logger.warning(message)
    line = stream.getvalue()
    if kept:
        assert kept in line, line
    if secret:
        assert secret not in line, line
    if not secret:
        assert line.strip() == message


def test_a_traceback_keeps_its_exception_names(captured):
    logger, stream = captured
    try:
        raise KeyError("MaxRetryError for Kari Nordmann")
    except KeyError:
        logger.exception("lookup failed")
    text = stream.getvalue()
    assert "MaxRetryError" in text and "KeyError" in text and "Nordmann" not in text, text
