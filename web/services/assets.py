"""Static assets as served: the widget script is fetched by every visitor of the host site, so it goes
out minified (comments and indentation dropped; names are kept, so errors still read) and gzipped, each
done once per version of the file (keyed by its mtime). The readable source stays in web/static."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path


def minified(path: Path) -> bytes:
    """The script's bytes without comments and needless whitespace (rjsmin: it keeps string, regex and
    template literals and the line breaks automatic semicolon insertion needs)."""
    return _minify(path, path.stat().st_mtime_ns)


def gzipped(path: Path) -> bytes:
    """:func:`minified`, gzip-compressed."""
    return _compress(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _minify(path: Path, mtime_ns: int) -> bytes:
    import rjsmin

    return rjsmin.jsmin(path.read_text(encoding="utf-8")).encode("utf-8")


@lru_cache(maxsize=8)
def _compress(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(_minify(path, mtime_ns), compresslevel=9, mtime=0)
