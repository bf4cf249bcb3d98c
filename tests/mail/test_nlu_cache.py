"""The mail NLU is loaded once per process and read again only when the model file changes."""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture
def model_copy(tmp_path, model_available):
    from bot.training import current_model

    directory = tmp_path / "models"
    directory.mkdir()
    target = directory / "tinget-0000000000000000.tar.gz"
    shutil.copy(current_model(), target)
    return target


def test_loaded_once_and_reloaded_when_the_file_changes(model_copy):
    from mail import nlu

    first = nlu.load_nlu(model_copy)
    assert nlu.load_nlu(model_copy) is first  # every intake batch reuses the loaded arrays
    stat = model_copy.stat()
    os.utime(model_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # retrained in place
    second = nlu.load_nlu(model_copy)
    assert second is not first and second.classes == first.classes
    assert nlu.load_nlu(model_copy) is second
    assert sum(1 for key in nlu._CACHE if key[0] == str(model_copy.resolve())) == 1  # the old arrays are dropped


def test_current_model_is_looked_up_again_only_when_the_directory_changes(model_copy, monkeypatch):
    import bot.training
    from mail import nlu

    calls = []
    real = bot.training.current_model
    monkeypatch.setattr(bot.training, "current_model", lambda d=None: calls.append(d) or real(d))
    directory = model_copy.parent
    assert nlu.current_model_cached(directory) == model_copy
    assert nlu.current_model_cached(directory) == model_copy
    assert len(calls) == 1  # no fingerprint of the training data per batch
    newer = directory / "tinget-1111111111111111.tar.gz"
    shutil.copy(model_copy, newer)
    stat = newer.stat()
    os.utime(newer, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert nlu.current_model_cached(directory) == newer and len(calls) == 2


def test_intake_batches_share_one_nlu(mail_app):
    from tests.mail.conftest import build
    from web.services import mail as svc

    with mail_app.app_context():
        m = svc.municipality_for("fjordvik")
        assert svc._nlu() is svc._nlu()
        svc.intake(m, [build("Når er biblioteket åpent?", "Bibliotek")])
        assert svc._nlu() is svc._nlu()
