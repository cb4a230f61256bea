"""Local mode answers this machine's own names only: raw HTTP requests and raw WebSocket upgrades against a real
`streamlit run` server, with a foreign Host (DNS rebinding: evil.example pointed at 127.0.0.1) or a foreign Origin.

`streamlit run app.py` (Streamlit's server.allowedHosts and CORS, from .streamlit/config.toml) refuses the WebSocket,
which is how every page is drawn and everything is done; `streamlit run serve.py` (LoopbackOnly) refuses every HTTP
request too. The app's own check (a page reached by a foreign name draws nothing) is tested with AppTest.
"""

from __future__ import annotations

import base64
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from proofing.local_host import foreign_request, is_loopback_host

ROOT = Path(__file__).resolve().parent.parent
FOREIGN_HOST = "evil.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def raw(port: int, request: str) -> str:
    """Send one raw HTTP request to 127.0.0.1:`port`; the status line of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode("latin-1"))
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


def get(port: int, path: str, host: str) -> str:
    return raw(port, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")


def upgrade(port: int, host: str, origin: str | None = None) -> str:
    """A raw WebSocket upgrade of Streamlit's stream, as a browser's page would send it."""
    key = base64.b64encode(secrets.token_bytes(16)).decode("ascii")
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
    ] + ([f"Origin: {origin}"] if origin else [])
    return raw(port, "\r\n".join(lines) + "\r\n\r\n")


@contextmanager
def serving(script: str, tmp_path: Path) -> Iterator[int]:
    """`streamlit run script` (local mode, this project's .streamlit/config.toml) on a free port; its port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / script), "--server.port", str(port)],
        cwd=ROOT,
        env=os.environ | {"PROOFING_DB_URL": f"sqlite:///{tmp_path / 'host.db'}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if " 200 " in get(port, "/_stcore/health", f"127.0.0.1:{port}") + " ":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"streamlit run {script} did not start within 60 seconds")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_streamlit_run_app_refuses_a_websocket_by_a_foreign_host_or_origin(tmp_path: Path) -> None:
    with serving("app.py", tmp_path) as port:
        here = f"127.0.0.1:{port}"
        assert " 101 " in upgrade(port, here, f"http://{here}")  # this machine's own page connects
        assert " 101 " in upgrade(port, f"localhost:{port}", f"http://localhost:{port}")
        assert " 403 " in upgrade(port, f"{FOREIGN_HOST}:{port}")  # rebinding: Host and Origin agree, both foreign
        assert " 403 " in upgrade(port, f"{FOREIGN_HOST}:{port}", f"http://{FOREIGN_HOST}:{port}")
        assert " 403 " in upgrade(port, here, f"http://{FOREIGN_HOST}")  # another site's page


def test_streamlit_run_serve_refuses_every_request_by_a_foreign_host_or_origin(tmp_path: Path) -> None:
    with serving("serve.py", tmp_path) as port:
        here = f"127.0.0.1:{port}"
        for path in ("/", "/_stcore/health", "/_stcore/host-config", "/static/nothing.js"):
            assert " 403 " in get(port, path, f"{FOREIGN_HOST}:{port}"), path
        assert " 200 " in get(port, "/", here) and " 200 " in get(port, "/", f"[::1]:{port}")
        assert " 200 " in get(port, "/", f"localhost:{port}")
        assert " 101 " in upgrade(port, here, f"http://{here}")
        assert " 403 " in upgrade(port, f"{FOREIGN_HOST}:{port}", f"http://{FOREIGN_HOST}:{port}")
        assert " 403 " in upgrade(port, here, f"http://{FOREIGN_HOST}")


def test_the_config_lists_loopback_names_only() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert all(is_loopback_host(name if ":" not in name else f"[{name}]") for name in config["allowedHosts"])
    assert config["enableCORS"] is True


def test_a_page_reached_by_a_foreign_name_draws_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROOFING_DB_URL", f"sqlite:///{tmp_path / 'app.db'}")
    st.cache_resource.clear()
    seen: dict[str, str] = {"Host": f"{FOREIGN_HOST}:8501", "Origin": f"http://{FOREIGN_HOST}:8501"}
    monkeypatch.setattr("proofing.local_host.foreign_request", lambda headers: foreign_request(seen))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [error.value for error in at.error][0].startswith("This app runs in local mode and answers this computer")
    assert not at.title and not at.button  # nothing of the app is drawn
    seen.update({"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"})
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not again.exception and again.title[0].value == "Start an assessment"
    st.cache_resource.clear()
