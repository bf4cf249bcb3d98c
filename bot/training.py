"""Training the Rasa model, only when its inputs changed.

The model file is named after a fingerprint of everything that shapes it (training data, config,
domain, custom components, the Rasa lock file), so "is the model current?" is a file lookup and a
second ``make run`` with nothing changed trains nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"  # `python -m bot.rasa_server`: Rasa with our speed-ups
INPUTS = ("training_data/**/*.yml", "bot/config.yml", "bot/domain.yml", "bot/components/*.py",
          "requirements/rasa.lock")


class TrainingError(RuntimeError):
    pass


def fingerprint(root: Path = ROOT, config: Path | None = None, data: Path | None = None) -> str:
    digest = hashlib.sha256()
    files: list[Path] = []
    for pattern in INPUTS:
        files += sorted(root.glob(pattern))
    if config:
        files.append(config)
    if data:
        files += sorted(data.glob("**/*.yml"))
    for path in files:
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_dir() -> Path:
    return Path(os.environ.get("TINGET_MODEL_DIR", ROOT / "instance" / "models"))


def model_path(directory: Path | None = None) -> Path:
    return (directory or model_dir()) / f"tinget-{fingerprint()}.tar.gz"


def current_model(directory: Path | None = None) -> Path | None:
    """The model for the current inputs if trained, else the newest model (or None)."""
    wanted = model_path(directory)
    if wanted.exists():
        return wanted
    models = sorted((directory or model_dir()).glob("tinget-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONPATH": str(ROOT),
                "PYTHONWARNINGS": "ignore", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "OMP_NUM_THREADS": env.get("OMP_NUM_THREADS", "2"),
                "OMP_WAIT_POLICY": env.get("OMP_WAIT_POLICY", "PASSIVE")})
    return env


def train(directory: Path | None = None, *, force: bool = False, config: Path | None = None,
          data: Path | None = None, out_name: str | None = None, quiet: bool = False) -> Path:
    """Train (NLU + rules) unless a model for the current inputs exists. Returns the model path."""
    directory = directory or model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{out_name}.tar.gz" if out_name else model_path(directory)
    if target.exists() and not force:
        return target
    if not RASA_BIN.exists():
        raise TrainingError(f"{RASA_BIN} is missing: run `make install` first")
    cmd = [str(RASA_BIN), "train", "--data", str(data or ROOT / "training_data"),
           "--config", str(config or ROOT / "bot" / "config.yml"), "--domain", str(ROOT / "bot" / "domain.yml"),
           "--out", str(directory), "--fixed-model-name", target.name.removesuffix(".tar.gz")]
    stdout = subprocess.DEVNULL if quiet else None
    proc = subprocess.run(cmd, cwd=ROOT, env=rasa_env(), stdout=stdout, stderr=subprocess.STDOUT if quiet else None)
    if proc.returncode != 0 or not target.exists():
        raise TrainingError(f"rasa train failed (exit {proc.returncode}); the previous model stays in use")
    return target


def train_nlu(nlu_file: Path, config: Path, out_dir: Path, name: str, *, quiet: bool = True) -> Path:
    """NLU-only training on an arbitrary data file (benchmarks: CLINC150, baselines)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.tar.gz"
    cmd = [str(RASA_BIN), "train", "nlu", "--nlu", str(nlu_file), "--config", str(config), "--out", str(out_dir),
           "--fixed-model-name", name]
    proc = subprocess.run(cmd, cwd=ROOT, env=rasa_env(), stdout=subprocess.DEVNULL if quiet else None,
                          stderr=subprocess.STDOUT if quiet else None)
    if proc.returncode != 0 or not target.exists():
        raise TrainingError(f"rasa train nlu failed (exit {proc.returncode})")
    return target


def parse_file(model: Path, src: Path, dst: Path) -> list[dict]:
    """Parse a JSONL file with a model in the Rasa environment (see bot/nlu_parse.py)."""
    import json

    python = ROOT / ".venv-rasa" / "bin" / "python"
    proc = subprocess.run([str(python), "-m", "bot.nlu_parse", str(model), str(src), str(dst)], cwd=ROOT,
                          env=rasa_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise TrainingError(f"parsing failed: {proc.stderr[-2000:]}")
    return [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines() if line.strip()]


def parse_latency(models: list[Path], src: Path, dst: Path) -> dict:
    """NLU parse latency of one or more models on the same messages in one process, the models taking
    turns (see bot/nlu_parse.py): per model wall-clock and CPU p50/p95 per message, warm-up excluded."""
    import json

    python = ROOT / ".venv-rasa" / "bin" / "python"
    proc = subprocess.run([str(python), "-m", "bot.nlu_parse", "--latency", str(src), str(dst), *map(str, models)],
                          cwd=ROOT, env=rasa_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise TrainingError(f"parsing failed: {proc.stderr[-2000:]}")
    return json.loads(dst.read_text(encoding="utf-8"))


def prune(directory: Path | None = None, keep: int = 3) -> None:
    directory = directory or model_dir()
    models = sorted(directory.glob("tinget-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-keep]:
        old.unlink(missing_ok=True)
    shutil.rmtree(ROOT / ".rasa" / "cache" / "tmp", ignore_errors=True)


if __name__ == "__main__":
    print(train(force="--force" in sys.argv))
