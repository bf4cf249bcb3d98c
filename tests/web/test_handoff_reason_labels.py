"""Every reason a case can be opened with has a label in the console, in every UI language.

The reasons are emitted in three places: the bot (``bot/``, which runs in Rasa's own Python and cannot be
imported here), the resident path and the mail path of the app. A caseworker reads them through
``web.labels.handoff_reason``, which shows an unknown code as it is stored. So a new reason added to the
bot without a label would show as ``no_article`` in the queue: this test reads the source of all three
and fails on a reason that has no label, and on a label no code emits any more."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]
EMITTERS = ("bot", "web", "mail")
LANGS = ("nb", "nn", "sv", "da", "fi", "en")


def _strings(node: ast.AST, constants: dict[str, list[str]]):
    """The string values an expression can take: a literal, either side of ``a if c else b``, the default
    of ``payload.get("reason", "low_confidence")``, or the values of a module-level dict it indexes."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body, constants)
        yield from _strings(node.orelse, constants)
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
          and len(node.args) == 2):
        yield from _strings(node.args[1], constants)
    elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        yield from constants.get(node.value.id, [])


def _module_dicts(tree: ast.Module) -> dict[str, list[str]]:
    found = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Dict)):
            found[node.targets[0].id] = [v.value for v in node.value.values
                                         if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return found


def emitted_reasons() -> dict[str, set[str]]:
    """reason code -> the files that emit it: ``reason=...`` keywords, ``{"reason": ...}`` payloads and the
    bot's ``_handoff(heard, reason, ...)`` calls. f-strings (``f"mail_{d.action}"``) are added by the test."""
    found: dict[str, set[str]] = {}
    for top in EMITTERS:
        for path in (ROOT / top).rglob("*.py"):
            if "tests" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = _module_dicts(tree)
            for node in ast.walk(tree):
                values = []
                if isinstance(node, ast.keyword) and node.arg == "reason":
                    values = [node.value]
                elif isinstance(node, ast.Dict):
                    values = [v for k, v in zip(node.keys, node.values, strict=True)
                              if isinstance(k, ast.Constant) and k.value == "reason"]
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_handoff"
                      and len(node.args) > 1):
                    values = [node.args[1]]
                for value in values:
                    for code in _strings(value, constants):
                        if code:  # "": a "reason" that is no case's (the teach page's hidden tool output)
                            found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return found


def _all_reasons() -> set[str]:
    from web.services.mail import ROUTE_FOR_LOG

    reasons = set(emitted_reasons())
    # mail.py opens a case with reason=f"mail_{d.action}" for every action except set_aside (no case)
    reasons |= {f"mail_{action}" for action in ROUTE_FOR_LOG if action != "set_aside"}
    return reasons


def test_the_scan_finds_the_reasons_of_all_three_emitters():
    found = emitted_reasons()
    assert {"personal_case", "human_handoff", "out_of_scope", "no_article"} <= set(found)  # the bot
    assert any(f.startswith("bot/actions/") for f in found["no_municipality"])
    assert {"bot_unavailable", "redaction_failed", "no_reply"} <= set(found)  # the resident path
    assert "web/services/mail.py" in found["mail_released"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("labels"))


@pytest.mark.parametrize("lang", LANGS)
def test_every_emitted_reason_has_a_label(app, lang):
    from flask_babel import force_locale

    from web.labels import handoff_reason

    with app.test_request_context(), force_locale(lang):
        unlabelled = sorted(code for code in _all_reasons() if handoff_reason(code) == code)
        labels = [handoff_reason(code) for code in sorted(_all_reasons())]
    assert not unlabelled, f"reasons shown as stored codes in the console: {unlabelled}"
    assert len(set(labels)) == len(labels), "two reasons read the same"


def test_no_label_is_left_for_a_reason_nothing_emits(app):
    import inspect

    from web import labels

    source = inspect.getsource(labels.handoff_reason)
    labelled = set(ast.literal_eval(k) for k in
                   [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Dict)][0].keys)
    assert labelled == _all_reasons()
