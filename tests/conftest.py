"""Shared test configuration: hypothesis profiles, and the ``store`` fixtures.

The default profile keeps `make test` fast; `pytest --hypothesis-profile=ci` runs each property
many more times (use it before a release, or when touching a coder).

``store`` gives a fresh Store of each backend: local disk, ``memory://`` and ``s3://`` on moto's
S3 server, which runs in this process on 127.0.0.1 (started once, on first use).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fsspec
import pytest
from hypothesis import HealthCheck, settings

from hdmf_arrow.storage import Store, make_store

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("default")


# --- Stores: local disk, memory:// and s3:// against moto's S3 server on 127.0.0.1 -----------

STORE_BACKENDS = ["local", "memory", "s3"]
_S3_START_TIMEOUT = 10.0  # seconds; the server normally starts in well under one
_AWS_ENV: dict[str, str | None] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_SESSION_TOKEN": None,  # None: removed while the server runs
    "AWS_PROFILE": None,
    "AWS_ENDPOINT_URL": None,
    "AWS_ENDPOINT_URL_S3": None,
}


@dataclass(frozen=True)
class S3Server:
    """A running moto S3 server: its URL and the s3fs options that reach it."""

    endpoint_url: str
    _options: dict[str, Any] = field(repr=False)
    #: one aiobotocore session for every client: a new session reloads botocore's models
    session: Any = field(repr=False)
    #: one s3fs client for setting up buckets
    admin: Any = field(repr=False)

    @property
    def storage_options(self) -> dict[str, Any]:
        """s3fs options (a fresh copy each time, so a test cannot change another's)."""
        return {**copy.deepcopy(self._options), "session": self.session}


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto's S3 server in this process, on 127.0.0.1 and a free port, for the session.

    Fails (does not hang) when the server does not start or does not answer.
    """
    pytest.importorskip("s3fs")
    moto_server = pytest.importorskip("moto.server")

    for name in ("werkzeug", "moto", "botocore", "s3fs", "aiobotocore"):
        logging.getLogger(name).setLevel(logging.ERROR)
    saved = {name: os.environ.get(name) for name in _AWS_ENV}
    _set_env(_AWS_ENV)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    # ThreadedMotoServer.start() waits without a timeout for a server thread that may have
    # died (port in use, import error): start it from a thread we can give up on.
    starter = threading.Thread(target=server.start, name="moto-starter", daemon=True)
    try:
        starter.start()
        starter.join(_S3_START_TIMEOUT)
        if starter.is_alive():
            pytest.fail(f"moto S3 server did not start within {_S3_START_TIMEOUT:.0f} s")
        host, port = server.get_host_and_port()
        endpoint_url = f"http://{host}:{port}"
        try:
            urllib.request.urlopen(endpoint_url, timeout=5).close()
        except urllib.error.HTTPError:
            pass  # any HTTP answer means the server is up
        except OSError as err:
            pytest.fail(f"moto S3 server at {endpoint_url} does not answer: {err}")
        options: dict[str, Any] = {
            "key": "testing",
            "secret": "testing",
            "client_kwargs": {"endpoint_url": endpoint_url, "region_name": "us-east-1"},
            # short timeouts and few retries: a dead server fails a test instead of hanging it
            "config_kwargs": {
                "connect_timeout": 5,
                "read_timeout": 30,
                "retries": {"max_attempts": 2},
            },
            # s3fs caches instances and listings; every test must see the server's state
            "skip_instance_cache": True,
            "use_listings_cache": False,
        }
        s3fs = pytest.importorskip("s3fs")
        session = pytest.importorskip("aiobotocore.session").AioSession()
        admin = s3fs.S3FileSystem(**options, session=session)
        yield S3Server(endpoint_url, options, session=session, admin=admin)
    finally:
        if starter.ident is not None and not starter.is_alive():
            server.stop()
        _set_env(saved)


def _set_env(values: dict[str, str | None]) -> None:
    """Set environment variables; None removes one."""
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def s3_bucket(s3_server: S3Server) -> str:
    """A fresh, empty bucket on the moto server; returns ``s3://<bucket>/store``."""
    name = f"test-{uuid.uuid4().hex[:24]}"
    # fs.mkdir would send a LocationConstraint that moto refuses for us-east-1
    s3_server.admin.call_s3("create_bucket", Bucket=name)
    return f"s3://{name}/store"


@pytest.fixture
def memory_url() -> Iterator[str]:
    """A unique ``memory://`` location, removed after the test (memory:// is process-wide)."""
    top = uuid.uuid4().hex
    yield f"memory://{top}/store"
    with contextlib.suppress(FileNotFoundError):
        fsspec.filesystem("memory").rm(f"/{top}", recursive=True)


@pytest.fixture(params=STORE_BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A fresh, empty, writable Store of each backend (the root need not exist yet)."""
    backend = request.param
    if backend == "local":
        return make_store(tmp_path / "store")
    if backend == "memory":
        return make_store(request.getfixturevalue("memory_url"))
    if backend == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        return make_store(
            request.getfixturevalue("s3_bucket"), storage_options=server.storage_options
        )
    raise ValueError(f"unknown store backend {backend!r}")
