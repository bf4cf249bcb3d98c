"""Import Presidio and spaCy without dragging in torch/transformers.

presidio-analyzer registers a spaCy factory for Hugging Face pipelines and thinc probes torch;
when transformers/torch are installed (sentence-transformers backend) that costs 20-40 s per
process although the redactor never uses them. While neither is imported yet we hide them for
the duration of the import only; a later ``import torch`` elsewhere works as usual."""

from __future__ import annotations

import sys
import threading

_lock = threading.Lock()
_HIDDEN = ("transformers", "torch")


def import_nlp_stack() -> None:
    """Import spacy, presidio_analyzer and presidio_anonymizer once, as fast as possible."""
    if "presidio_analyzer" in sys.modules and "presidio_anonymizer" in sys.modules:
        return
    with _lock:
        hidden = [name for name in _HIDDEN if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail fast
        try:
            import presidio_analyzer  # noqa: F401
            import presidio_anonymizer  # noqa: F401
            import spacy  # noqa: F401
        finally:
            for name in hidden:
                if sys.modules.get(name, 0) is None:
                    del sys.modules[name]
