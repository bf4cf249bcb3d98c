"""The production files an operator builds from (Dockerfile, compose.yaml) run the commands they name."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _dockerfile_commands(tool: str) -> list[list[str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        if line.startswith("RUN "):
            for part in line[4:].split("&&"):
                words = shlex.split(part)
                if words and words[0].endswith(tool):
                    commands.append(words)
    return commands


def test_the_image_compiles_the_translations_with_options_pybabel_accepts(tmp_path):
    """`pybabel compile -q` is refused (-q is an option of pybabel, not of compile): the image build stopped."""
    commands = _dockerfile_commands("pybabel")
    assert commands, "the Dockerfile no longer compiles the translations"
    shutil.copytree(ROOT / "web" / "translations", tmp_path / "translations")
    for words in commands:
        args = [str(tmp_path / "translations") if w == "web/translations" else w for w in words[1:]]
        pybabel = Path(sys.executable).with_name("pybabel")
        done = subprocess.run([str(pybabel), *args], capture_output=True, text=True, timeout=120)  # noqa: S603
        assert done.returncode == 0, done.stderr[-500:]
    assert list((tmp_path / "translations").glob("*/LC_MESSAGES/messages.mo"))


def _compose_app_environment() -> dict:
    import yaml

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return compose["x-app"]["environment"]


def _readme_variables() -> set[str]:
    """The variables of README's configuration table; `TINGET_SMTP_HOST`, `_PORT` spelled out."""
    text = (ROOT / "README.md").read_text()
    table = text[text.index("## Configuration (environment)"):]
    table = table[:table.index("\n\n", table.index("|---|"))]
    names = set()
    for row in table.splitlines()[3:]:
        first = row.split("|")[1]
        prefix = ""
        for name in re.findall(r"`([A-Z_<>]+)`", first):
            if name.startswith("_"):
                name = prefix + name[1:]
            else:
                prefix = name.rsplit("_", 1)[0] + "_"
            names.add(name)
    return names


# Not for the containers: the port is `make run`'s (compose binds web itself); a municipality's own mail
# passwords are added by name (compose.yaml says so); the engine directory is the image's.
NOT_IN_COMPOSE = {"TINGET_PORT", "TINGET_IMAP_PASSWORD_<SLUG>", "TINGET_SMTP_PASSWORD_<SLUG>", "TINGET_ENGINE_DIR"}


def test_every_setting_of_the_readme_reaches_the_app_containers():
    """compose.yaml passed on TINGET_SMTP_HOST only: an operator who exported TINGET_IMAP_HOST, the SMTP login,
    OIDC or a retention period for `docker compose up` got the defaults without a word."""
    variables = _readme_variables()
    assert {"TINGET_SMTP_USER", "TINGET_IMAP_FOLDER", "TINGET_OIDC_SCOPES", "RASA_TIMEOUT"} <= variables
    missing = variables - NOT_IN_COMPOSE - set(_compose_app_environment())
    assert not missing, f"compose.yaml does not pass on {sorted(missing)}"


def test_settings_compose_leaves_empty_are_the_defaults(tmp_path):
    """compose passes an unset variable as an empty string: that must mean the default (an empty IMAP folder,
    sender address or scope list, or a refused empty port)."""
    import json
    import os

    script = ("import json; from web.config import get_config; c = get_config('production'); "
              "print(json.dumps({k: getattr(c, k) for k in dir(c) if k.isupper()}, default=str))")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TINGET_", "RASA_", "DATABASE_URL", "REDIS_URL"))}
    base.update(PYTHONPATH=str(ROOT), TINGET_INSTANCE=str(tmp_path), TINGET_SECRET_KEY="k" * 32)
    empty = {name: "" for name, value in _compose_app_environment().items() if str(value).startswith("${")
             and ":-}" in str(value)}
    configs = []
    for env in (base, {**base, **empty}):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,  # noqa: S603
                              env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-1500:]
        configs.append(json.loads(done.stdout))
    assert configs[1] == configs[0]


def test_every_gunicorn_the_files_start_reads_gunicorn_conf():
    """The app image's own CMD started gunicorn without gunicorn.conf.py: no settings check before the workers,
    gunicorn's 2 s keep-alive, and no access log (`docker run tinget-app`, or a platform that runs the image)."""
    import json

    import yaml

    dockerfile = (ROOT / "Dockerfile").read_text()
    app_stage = dockerfile[:dockerfile.index("AS rasa")]
    cmd = json.loads(re.findall(r"^CMD (\[.*\])$", app_stage, re.M)[-1])
    commands = [cmd]
    commands += [s["command"] for s in yaml.safe_load((ROOT / "compose.yaml").read_text())["services"].values()
                 if isinstance(s.get("command"), list) and s["command"][0] == "gunicorn"]
    commands += [shlex.split(line.split(":", 1)[1]) for line in (ROOT / "Procfile").read_text().splitlines()
                 if "gunicorn" in line]
    assert len(commands) == 3
    for words in commands:
        assert words[words.index("-c") + 1] == "gunicorn.conf.py", words
