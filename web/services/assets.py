"""Static assets served compressed: the widget script is fetched by every visitor of the host site."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path


def gzipped(path: Path) -> bytes:
    """The file's bytes, gzip-compressed once per version of the file (keyed by its mtime)."""
    return _compress(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _compress(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
