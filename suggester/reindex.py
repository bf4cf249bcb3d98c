"""Rebuild the suggester index from documents, with a tqdm progress bar (for the CLI).

The web layer loads KB articles and accepted replies from the database as :class:`Document`
objects and calls :func:`reindex`; ``tinget suggester reindex`` is a thin wrapper around it.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from suggester.documents import Document
from suggester.encoder import Encoder, get_encoder
from suggester.service import SuggesterService

log = logging.getLogger(__name__)

STAGES = {"encode": "encoding passages", "sparse": "latent terms", "index": "indexing"}


class TqdmProgress:
    """A ``progress(stage, done, total)`` callable drawing one tqdm bar per stage."""

    def __init__(self, file: TextIO | None = None, disable: bool = False) -> None:
        self.file = file or sys.stderr
        self.disable = disable
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            bar = self._bars[stage] = tqdm(total=total, desc=STAGES.get(stage, stage), unit="item",
                                           file=self.file, disable=self.disable, dynamic_ncols=True)
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


def reindex(index_dir: str | os.PathLike, documents: Iterable[Document], encoder: Encoder | str | None = None,
            *, progress: bool | TqdmProgress = True, sparse: bool | None = None) -> dict[str, Any]:
    """Build a fresh index of ``documents`` in ``index_dir`` (replacing what is there).

    A broken or missing index is no obstacle: it is simply replaced. Unchanged passages reuse
    their vectors from the previous index when it can be read. Returns the index statistics
    (documents, units, index type, seconds).
    """
    enc = get_encoder(encoder) if isinstance(encoder, str) or encoder is None else encoder
    svc = SuggesterService(index_dir, enc, sparse=sparse)
    if svc.needs_rebuild:
        log.warning("suggester index in %s: %s; building a new one", index_dir, svc.rebuild_reason)
    bar = progress if isinstance(progress, TqdmProgress) else TqdmProgress(disable=not progress)
    try:
        return svc.build(list(documents), progress=bar)
    finally:
        bar.close()
