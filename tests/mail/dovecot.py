"""A throw-away Dovecot IMAP server on a loopback port (Debian's dovecot-imapd), for tests.

Temporary config, plain-text passwd-file, Maildir under a temp directory; started in the foreground
(``dovecot -F``) and stopped by its own process id.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.processes import stop_process

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def available() -> bool:
    return Path(DOVECOT).exists()


CONFIG = """
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
mail_location = maildir:{tmp}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={tmp}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


class Dovecot:
    def __init__(self, tmp: Path, port: int, user: str = "postmottak"):
        import secrets

        self.tmp, self.port, self.user, self.password = Path(tmp), port, user, secrets.token_hex(8)
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 20.0) -> None:
        for d in ("run", "state", "mail", "home"):
            (self.tmp / d).mkdir(parents=True, exist_ok=True)
        os.chmod(self.tmp, 0o755)  # noqa: S103 - dovecot's own users must reach the temp config
        (self.tmp / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        conf = self.tmp / "dovecot.conf"
        uid, gid = os.getuid(), os.getgid()
        if uid == 0:  # dovecot never serves mail as root: the mail belongs to its own system user
            import pwd

            entry = pwd.getpwnam("dovecot")
            uid, gid = entry.pw_uid, entry.pw_gid
            for d in ("mail", "home"):
                os.chown(self.tmp / d, uid, gid)
        conf.write_text(CONFIG.format(tmp=self.tmp, port=self.port, uid=uid, gid=gid))
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("dovecot exited: " + (self.proc.stderr.read() or b"").decode()[-500:]
                                   + self.log()[-500:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("dovecot did not answer in time: " + self.log()[-500:])

    def log(self) -> str:
        path = self.tmp / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        stop_process(self.proc)
        self.proc = None
