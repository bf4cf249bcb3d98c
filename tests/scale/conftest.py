"""Real Postgres and Redis for the scale-path tests: Debian's postgresql and redis-server, started on
loopback ports for this test session and stopped at its end. Missing binaries skip the tests on a
developer's machine and fail them in CI (`.ci/run` installs both)."""

from __future__ import annotations

import itertools
import os

import pytest

from tests.scale.servers import Postgres, Redis, postgres_bindir, redis_binary


def _need(found, what: str) -> None:
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is not installed; .ci/run installs it with apt-get")
        pytest.skip(f"{what} is not installed (apt-get install {what}); the scale-path tests need it")


@pytest.fixture(scope="session")
def postgres():
    _need(postgres_bindir(), "postgresql")
    pg = Postgres().start()
    yield pg
    pg.remove()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    _need(redis_binary(), "redis-server")
    with Redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


_numbers = itertools.count(1)


@pytest.fixture
def pg_url(postgres):
    """A fresh, empty database on the session's Postgres server."""
    return postgres.create_database(f"tinget_test_{next(_numbers)}")
