"""Common base of the Nordic recognizers: Presidio ``EntityRecognizer`` with a ``find`` hook."""

from __future__ import annotations

from collections.abc import Iterator

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


class NordicRecognizer(EntityRecognizer):
    """One entity type, one language instance. Subclasses set ENTITY and CONTEXT and implement
    ``find(text, artifacts)`` yielding ``(start, end, score)`` or ``(start, end, score, label)``.

    Context words are used inside ``find`` (positive and negative cues, see ``privacy.context``),
    because Presidio's enhancer can only raise scores, never veto a match."""

    ENTITY = ""
    CONTEXT: tuple[str, ...] = ()

    def __init__(self, language: str = "nb"):
        super().__init__(supported_entities=[self.ENTITY], supported_language=language,
                         name=f"{type(self).__name__}_{language}", context=list(self.CONTEXT))

    def load(self) -> None:  # nothing heavy per instance; shared data is loaded lazily
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        results = []
        for found in self.find(text, nlp_artifacts):
            start, end, score = found[:3]
            label = found[3] if len(found) > 3 else self.ENTITY
            results.append(RecognizerResult(entity_type=label, start=start, end=end, score=score))
        return results

    def find(self, text: str, artifacts: NlpArtifacts | None) -> Iterator[tuple]:
        raise NotImplementedError
