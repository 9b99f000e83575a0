"""``hdmf-arrow`` on bad input: one ``error:`` line naming the location, never a traceback.

Exit codes (hdmf_arrow/cli.py): 0 done or valid, 1 issues found, 2 could not check. Each case
runs through click's test runner, and one through the installed script, as a shell runs it.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _store_edit import relist_size
from click.testing import CliRunner, Result

import hdmf_arrow
from hdmf_arrow.cli import main
from hdmf_arrow.common import BuildManager, DynamicTable, TypeMap
from hdmf_arrow.io._layout import version_key
from hdmf_arrow.spec import GroupSpec
from hdmf_arrow.testing.extensions import write_extension

SECRET = "SECRET-CONTENT-0xC0FFEE"  # put in refused files: must never be printed


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_error(result: Result, code: int, *named: str) -> None:
    """Exit ``code``, an ``error:`` line naming each of ``named``, no traceback, nothing of
    a refused file."""
    text = result.output
    assert result.exit_code == code, f"exit {result.exit_code}: {text}"
    assert "Traceback" not in text, text
    # an exception click caught would also be a traceback for a user
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "error:" in result.stderr.lower(), text
    for part in named:
        assert part in text, f"{part!r} not named in: {text}"
    assert SECRET not in text, text


@pytest.fixture
def store(tmp_path: Path) -> Path:
    t = DynamicTable(name="trials", description="trials")
    t.add_column("start", "start", data=[0.0, 1.0, 2.0])
    t.add_column("n", "n", data=[1, 2, 3])
    path = tmp_path / "store"
    hdmf_arrow.write(t, path)
    return path


def _data_file(store: Path) -> tuple[str, Path]:
    doc = json.loads((store / version_key(1)).read_bytes())
    key = str(doc["root"]["files"][0]["path"])
    return key, store / key


def _rewrite(path: Path, change: object) -> None:
    table = pq.read_table(path)
    hdmf = (table.schema.metadata or {})[b"hdmf"]
    changed = change(table.replace_schema_metadata(None))  # type: ignore[operator]
    pq.write_table(changed.replace_schema_metadata({b"hdmf": hdmf}), path)
    relist_size(path)  # damaged in its columns, not its size


# -- damaged stores: issues (exit 1) or could not check (exit 2) -------------------------------


def test_validate_a_data_file_missing_a_column(store: Path) -> None:
    key, path = _data_file(store)
    _rewrite(path, lambda t: t.drop_columns(["start"]))
    result = run("validate", str(store))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert key in result.output
    assert "'start'" in result.output


def test_validate_a_data_file_column_of_another_type(store: Path) -> None:
    key, path = _data_file(store)
    _rewrite(path, lambda t: t.set_column(2, "n", pa.array([1, 2, 3], pa.int32())))
    result = run("validate", "--json", str(store))
    assert result.exit_code == 1, result.output
    (issue,) = json.loads(result.stdout)
    assert issue["path"] == "trials"
    assert key in issue["message"]
    assert "int32" in issue["message"]


def test_validate_a_table_of_an_unknown_type(store: Path) -> None:
    doc = json.loads((store / version_key(1)).read_bytes())
    doc["root"].update(data_type="NoSuchTable", namespace="ndx-nowhere")
    (store / version_key(1)).write_text(json.dumps(doc))
    result = run("validate", str(store))
    assert result.exit_code == 1, result.output
    assert "NoSuchTable (trials): data type 'NoSuchTable' of namespace 'ndx-nowhere'" in (
        result.stdout
    )
    assert "warning: " in result.stderr  # the reader's warning, as one line
    assert "Traceback" not in result.output


def test_cached_spec_that_does_not_parse(tmp_path: Path) -> None:
    name = "ndx-cli-errors"
    (tmp_path / "ext").mkdir()
    namespace_file = write_extension(
        tmp_path / "ext",
        name,
        GroupSpec(doc="t", data_type_def="CliTrials", data_type_inc="DynamicTable"),
    )
    types = TypeMap()
    types.load_namespaces(namespace_file)
    table = types.get_class("CliTrials", name)(name="trials", description="d")  # type: ignore[call-arg]
    table.add_column("a", "a", data=[1])  # type: ignore[attr-defined]
    store = tmp_path / "store"
    with hdmf_arrow.ParquetIO(store, "w", manager=BuildManager(types)) as io:
        io.write(table)
    key = f"_hdmf/specs/{name}/0.1.0/{name}.extensions.yaml"
    (store / key).write_text(f"groups: [\n  - {{a: b\n{SECRET}: ]]\n")
    for command in ("validate", "info"):
        result = run(command, str(store))
        if command == "info":  # info reads manifests only: the specs are not needed
            assert result.exit_code == 0, result.output
            continue
        assert_error(result, 2, str(store), key, "line 2")


def test_manifest_that_does_not_parse(store: Path) -> None:
    raw = (store / version_key(1)).read_text()
    deep = "[" * 100_000 + "]" * 100_000
    (store / version_key(1)).write_text(raw.replace('"summary":', f'"deep": {deep}, "summary":'))
    for command in ("validate", "info"):
        assert_error(run(command, str(store)), 2, str(store), version_key(1))


def test_not_a_store(tmp_path: Path) -> None:
    assert_error(run("validate", str(tmp_path)), 2, str(tmp_path), "not an hdmf-arrow store")


# -- locations: protocols, backends, credentials, options --------------------------------------


@pytest.mark.parametrize("command", ["validate", "info"])
def test_unknown_protocol(command: str) -> None:
    assert_error(run(command, "foo://x/store"), 2, "foo://x/store", "foo")


def test_missing_backend_package(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = sys.modules["fsspec.registry"]._registry  # classes imported so far
    monkeypatch.setitem(sys.modules, "s3fs", None)  # `import s3fs` raises ImportError
    monkeypatch.delitem(registry, "s3", raising=False)
    result = run("validate", "s3://bucket/store")
    assert_error(result, 2, "s3://bucket/store", "pip install s3fs")


class _Refuses(http.server.BaseHTTPRequestHandler):
    """An S3 endpoint that refuses every key, as S3 answers a wrong access key id."""

    def _refuse(self) -> None:
        body = (
            b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code>'
            b"<Message>The AWS Access Key Id you provided does not exist in our records."
            b"</Message></Error>"
        )
        self.send_response(403)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = _refuse

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def refusing_endpoint() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refuses)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def no_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no 1 s wait for an instance role
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def test_wrong_s3_credentials(refusing_endpoint: str, no_aws_credentials: None) -> None:
    location = "s3://bucket/store"
    result = run(
        "validate", "-o", "key=wrong", "-o", "secret=wrong",
        "-o", f"endpoint_url={refusing_endpoint}", location,
    )  # fmt: skip
    assert_error(result, 2, location, "Access Key Id")
    assert "hint: check the credentials" in result.output


def test_missing_s3_credentials(refusing_endpoint: str, no_aws_credentials: None) -> None:
    location = "s3://bucket/store"
    result = run("info", "-o", f"endpoint_url={refusing_endpoint}", location)
    assert_error(result, 2, location, "credentials")


def test_storage_option_the_filesystem_does_not_take(
    refusing_endpoint: str, no_aws_credentials: None
) -> None:
    location = "s3://bucket/store"
    result = run(
        "validate", "-o", "no_such_option=1", "-o", f"endpoint_url={refusing_endpoint}", location
    )
    assert_error(result, 2, location, "no_such_option")


def test_storage_option_that_is_not_key_value(store: Path) -> None:
    result = run("validate", "-o", "novalue", str(store))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "'novalue' is not key=value" in result.output
    assert "--storage-option" in result.output


# -- spec files --------------------------------------------------------------------------------


def test_validate_spec_with_yaml_that_does_not_parse(tmp_path: Path) -> None:
    path = tmp_path / "ndx-bad.namespace.yaml"
    path.write_text(f"namespaces:\n- name: x\n  doc: [unclosed\n  {SECRET}: 1\n")
    result = run("validate-spec", str(path))
    assert_error(result, 1, str(path), "line ")  # the spec is invalid: an issue found
    assert "<unicode string>" not in result.output


def test_validate_spec_with_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "ndx-bytes.namespace.yaml"
    path.write_bytes(b"\xff\xfe" + SECRET.encode("utf-16-le"))
    assert_error(run("validate-spec", str(path)), 1, str(path), "UTF-8")


# -- the installed script, and what a bug looks like -------------------------------------------


def test_the_installed_script_prints_no_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("hdmf-arrow")
    if not script.exists():
        pytest.skip(f"no {script}")
    done = subprocess.run(
        [str(script), "validate", "foo://x/store"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ")
    assert "foo://x/store" in done.stderr


def test_an_unexpected_exception_is_shown_as_a_bug(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a user's error: the traceback stays (hiding it would hide the bug), exit 2."""

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(hdmf_arrow.api, "validate", broken)
    result = run("validate", str(store))
    assert result.exit_code == 2, result.output
    assert "Traceback" in result.stderr
    assert "internal error" in result.stderr
    assert "bug in hdmf-arrow" in result.stderr
