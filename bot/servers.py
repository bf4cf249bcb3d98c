"""Starting and stopping the Rasa server and the action server as child processes.

Used by the evaluation commands and the tests ("tests that need a server start it themselves"),
and by nothing in production, where the process manager runs them (Procfile).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bot.training import RASA_PYTHON, ROOT, rasa_env

APP_PYTHON = ROOT / ".venv" / "bin" / "python"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tracker_env(tracker_url: str) -> dict[str, str]:
    """Endpoint variables for bot/endpoints.yml from one SQLAlchemy URL (sqlite or postgresql)."""
    from sqlalchemy.engine import make_url

    url = make_url(tracker_url)
    return {
        "TINGET_TRACKER_DIALECT": url.get_backend_name(),
        # Rasa reads a port given as host:port (its own `port` key would not accept an empty value)
        "TINGET_TRACKER_HOST": f"{url.host}:{url.port}" if url.host and url.port else (url.host or ""),
        "TINGET_TRACKER_DB": url.database or "",
        "TINGET_TRACKER_USER": url.username or "",
        "TINGET_TRACKER_PASSWORD": url.password or "",
    }


def lock_env(redis_url: str | None) -> dict[str, str]:
    """Lock store variables for bot/endpoints.yml: Redis when a URL is given (needed as soon as two Rasa
    servers share the tracker store), else in memory. Every variable is always set (Rasa refuses unset ones)."""
    from urllib.parse import urlsplit

    if not redis_url:
        return {"TINGET_LOCK_STORE": "in_memory", "TINGET_LOCK_HOST": "", "TINGET_LOCK_PORT": "6379",
                "TINGET_LOCK_DB": "1", "TINGET_LOCK_PASSWORD": ""}
    url = urlsplit(redis_url)
    return {"TINGET_LOCK_STORE": "redis", "TINGET_LOCK_HOST": url.hostname or "localhost",
            "TINGET_LOCK_PORT": str(url.port or 6379), "TINGET_LOCK_DB": "1",  # the app's limits use db 0
            "TINGET_LOCK_PASSWORD": url.password or ""}


@dataclass
class Stack:
    model: Path
    database_url: str
    tracker_url: str
    rasa_port: int = field(default_factory=free_port)
    action_port: int = field(default_factory=free_port)
    log_dir: Path | None = None
    redis_url: str = ""  # Redis lock store when set
    rasa_servers: int = 1  # further Rasa servers share the tracker store and the action server
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    extra_rasa_ports: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.extra_rasa_ports = [free_port() for _ in range(self.rasa_servers - 1)]

    @property
    def rasa_url(self) -> str:
        """The first Rasa server."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rasa_urls(self) -> list[str]:
        """Every Rasa server, the first one first (``",".join(...)`` is the app's RASA_URL)."""
        return [self.rasa_url] + [f"http://127.0.0.1:{p}" for p in self.extra_rasa_ports]

    @staticmethod
    def rasa_name(n: int) -> str:
        """The key of the n-th Rasa server (0-based) in :attr:`procs`: rasa, rasa2, rasa3, ..."""
        return "rasa" if n == 0 else f"rasa{n + 1}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    def _log(self, name: str):
        if self.log_dir is None:
            return subprocess.DEVNULL
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process

    def start_actions(self) -> None:
        # rasa-sdk has no --host option; Sanic reads SANIC_HOST and otherwise listens on every interface
        env = dict(os.environ, DATABASE_URL=self.database_url, PYTHONPATH=str(ROOT), SANIC_HOST="127.0.0.1")
        self.procs["actions"] = subprocess.Popen(
            [str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "bot.actions", "--port", str(self.action_port)],
            cwd=ROOT, env=env, stdout=self._log("actions"), stderr=subprocess.STDOUT, start_new_session=True)

    def start_rasa(self, n: int = 0) -> None:
        """Start the n-th Rasa server (0: the first, on :attr:`rasa_port`)."""
        env = rasa_env()
        env.update(tracker_env(self.tracker_url))
        env.update(lock_env(self.redis_url))
        env["TINGET_ACTION_URL"] = self.action_url
        port = self.rasa_port if n == 0 else self.extra_rasa_ports[n - 1]
        name = self.rasa_name(n)
        self.procs[name] = subprocess.Popen(
            [str(RASA_PYTHON), "-m", "bot.rasa_server", "run", "--enable-api", "-m", str(self.model), "-i", "127.0.0.1",
             "-p", str(port), "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml"],
            cwd=ROOT, env=env, stdout=self._log(name), stderr=subprocess.STDOUT, start_new_session=True)

    def start(self, timeout: float = 300) -> Stack:
        try:
            self.start_actions()
            self.start_rasa()
            self.wait_ready(timeout)
            if self.rasa_servers > 1:
                # after the first one has created the tracker store's tables, so that no two servers race to
                # create them; the others load their models side by side
                for n in range(1, self.rasa_servers):
                    self.start_rasa(n)
                self.wait_ready(timeout)
        except BaseException:
            self.stop()  # never leave a half-started stack behind
            raise
        return self

    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} server exited with {proc.returncode} (see its log)")
            if self.rasa_ready() and self.actions_ready():
                return
            time.sleep(1)
        raise TimeoutError(f"Rasa stack not ready after {timeout:.0f} s")

    def rasa_ready(self) -> bool:
        """Every started Rasa server has its model loaded."""
        urls = [url for n, url in enumerate(self.rasa_urls) if self.rasa_name(n) in self.procs]
        try:
            return all(bool(requests.get(f"{url}/status", timeout=2).json().get("model_file")) for url in urls)
        except (requests.RequestException, ValueError):
            return False

    def actions_ready(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.action_port}/health", timeout=2).ok
        except requests.RequestException:
            return False

    def stop(self, name: str | None = None) -> None:
        for key in [name] if name else list(self.procs):
            proc = self.procs.pop(key, None)
            if proc is None or proc.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":  # manual check: python -m bot.servers MODEL DB_URL TRACKER_URL
    with Stack(Path(sys.argv[1]), sys.argv[2], sys.argv[3]) as s:
        print("ready", s.rasa_url)
        time.sleep(3600)
