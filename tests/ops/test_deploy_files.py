"""The production files an operator builds from (Dockerfile, compose.yaml) run the commands they name."""

from __future__ import annotations

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
