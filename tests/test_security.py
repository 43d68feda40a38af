"""Security of the served app: uploads stay in the data directory, sizes are capped, the server
listens on 127.0.0.1 unless told otherwise, and a login can be required.

Uploads go through Gradio's raw HTTP API, as a hostile client would send them (gradio_client
tidies names before sending). The unit tests of the name rules are in test_ui_uploads.py; HTML
escaping in a real browser is in test_ui_browser.py.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT
from robustness import FAKE_ENV, QA, build_in_process, make_corpus

from index.embed_fake import FakeEmbedder
from qa.cli import build_parser, main
from qa.engine import Engine
from ui_serving import free_port, serving

gradio_client = pytest.importorskip("gradio_client")

MiB = 1024 * 1024
STARTUP_S = 120


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("security")
    make_corpus(root / "src", 5, "base", seed=1)
    build_in_process(root / "src", root / "data" / "index")
    (root / "secret.txt").write_text("Secret plans\n\nThe vault code is 1234.", encoding="utf-8")
    return root / "data"


@pytest.fixture(scope="module")
def app_url(data_dir):
    engine = Engine(data_dir / "index", embedder_factory=FakeEmbedder)
    with serving(engine) as url:
        yield url.rstrip("/")
    engine.close()


def upload(base: str, name: str, content: bytes) -> httpx.Response:
    """Gradio's upload step: the file lands in Gradio's own temp folder under a name it derives."""
    return httpx.post(f"{base}/gradio_api/upload", files=[("files", (name, content))], timeout=60)


def call_upload(base: str, files: list[dict]) -> str:
    """The Documents tab's `upload` event with hand-made FileData; returns the event stream's text."""
    started = httpx.post(f"{base}/gradio_api/call/upload", json={"data": [files]}, timeout=60)
    started.raise_for_status()
    return httpx.get(f"{base}/gradio_api/call/upload/{started.json()['event_id']}", timeout=180).text


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


HOSTILE = {
    "../../x.txt": "stored",  # as x.txt inside uploads/
    "a/../../b.txt": "stored",
    "/abs/evil/c.txt": "stored",
    "..\\..\\d.txt": "stored",
    ".hidden.txt": "hidden files",
    "run.exe": "unsupported file type",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_upload_names_stay_in_the_uploads_folder(name, app_url, data_dir):
    before = files_under(data_dir.parent)
    body = f"Harbour note {len(name)}\n\nThe quay named {name!r} opened on Monday.".encode()
    sent = upload(app_url, name, body)
    assert sent.status_code == 200, sent.text
    temp_path = sent.json()[0]
    stream = call_upload(app_url, [{"path": temp_path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}])
    assert "event: complete" in stream, stream[:500]
    new = files_under(data_dir.parent) - before
    uploads = (data_dir / "uploads").resolve()
    for path in new:  # the index's own generations, and at most the one stored upload
        assert path.resolve().is_relative_to(data_dir.resolve())
        if not path.resolve().is_relative_to((data_dir / "index").resolve()):
            assert path.resolve().parent == uploads and not path.name.startswith("."), path
    escaped = [uploads.parent.parent / "x.txt", uploads.parent / "b.txt", Path("/abs/evil/c.txt"), Path(temp_path).parents[2] / "x.txt"]
    assert not any(p.exists() for p in escaped)
    if HOSTILE[name] != "stored":
        assert HOSTILE[name] in stream
        assert not any(p.resolve().parent == uploads for p in new)


def test_a_bare_dotdot_name_is_refused_at_the_door(app_url):
    assert upload(app_url, "..", b"x").status_code == 400


def test_files_not_uploaded_by_the_client_cannot_be_pulled_in(app_url, data_dir):
    """A client naming a server-side path (here a secret beside the data dir) gets an error, not a copy."""
    secret = data_dir.parent / "secret.txt"
    stream = call_upload(app_url, [{"path": str(secret), "orig_name": "secret.txt", "meta": {"_type": "gradio.FileData"}}])
    assert "event: error" in stream and "not uploaded by a user" in stream
    assert not (data_dir / "uploads" / "secret.txt").exists()
    docs = gradio_client.Client(app_url, verbose=False).predict(api_name="/documents")
    assert not any(d["title"] == "Secret plans" for d in docs)


def test_uploads_over_the_size_limit_are_refused(app_url):
    refused = upload(app_url, "big.txt", b"word " * (51 * MiB // 5))
    assert refused.status_code == 413 and "maximum allowed size" in refused.text


# ---- where and how the server listens ------------------------------------------------------------


def test_serve_defaults_to_loopback_without_login():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.auth) == ("127.0.0.1", 7860, None)
    assert build_parser().parse_args(["serve", "--auth", "ana:s3:cret"]).auth == ("ana", "s3:cret")


@pytest.mark.parametrize("bad", ["nocolon", ":pw", "user:"])
def test_a_malformed_login_is_refused(bad, capsys):
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(["serve", "--auth", bad])
    assert caught.value.code == 2 and "USER:PASS" in capsys.readouterr().err


@pytest.mark.parametrize("host, auth, warned", [
    ("0.0.0.0", None, True), ("192.168.1.5", None, True), ("0.0.0.0", "ana:pw", False),
    ("127.0.0.1", None, False), ("localhost", None, False), ("::1", None, False),
])
def test_exposing_the_app_without_a_login_is_warned_about(host, auth, warned, data_dir, monkeypatch, caplog):
    launched = {}
    monkeypatch.setattr("ui.app.build_app", lambda engine: "app")
    monkeypatch.setattr("ui.app.launch_app", lambda app, host, port, auth, block=True, on_ready=None: launched.update(host=host, auth=auth))
    argv = ["serve", "--index", str(data_dir / "index"), "--host", host] + (["--auth", auth] if auth else [])
    with caplog.at_level(logging.WARNING):
        assert main(argv) == 0
    assert launched["host"] == host
    assert any("without --auth" in r.getMessage() for r in caplog.records) == warned


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket in LISTEN state on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def wait_for_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "qa serve exited"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"qa serve did not listen on {port} within {STARTUP_S} s")


def test_qa_serve_listens_on_loopback_only_and_asks_for_the_login(data_dir, tmp_path):
    port = free_port()
    log_file = tmp_path / "serve.log"
    with open(log_file, "wb") as log:
        proc = subprocess.Popen([*QA, "serve", "--index", str(data_dir / "index"), "--port", str(port), "--auth", "ana:s3cret"],
                                cwd=ROOT, env=FAKE_ENV, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc)
        addresses = listening_addresses(port)
        if addresses:  # /proc/net is there on Linux
            assert addresses == {"0100007F"}, addresses  # 127.0.0.1, and nothing else
        url = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{url}/gradio_api/info", timeout=30).status_code in (401, 403)
        with pytest.raises(Exception):
            gradio_client.Client(url, verbose=False, auth=("ana", "wrong"))
        client = gradio_client.Client(url, verbose=False, auth=("ana", "s3cret"))
        titles = {d["title"] for d in client.predict(api_name="/documents")}
        assert {f"Story {i} base" for i in range(5)} <= titles
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "Traceback" not in log_file.read_text(errors="replace"), log_file.read_text(errors="replace")[-2000:]
