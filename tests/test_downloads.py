"""Downloads against local HTTP servers: deadlines, bad answers, concurrency, unwritable caches."""

import hashlib
import http.server
import subprocess
import sys
import textwrap
import threading
import time
import warnings

import numpy as np
import pytest

from vaekit import data
from vaekit.data import (
    DataUnavailableError,
    DownloadFailedError,
    download_verified,
    load_mnist,
)

# Downloads and caches are file and network work: run once, on the default backend.
pytestmark = pytest.mark.backend_independent

HTML_PAGE = b"<html><body>Please log in to the hotel Wi-Fi.</body></html>"


def mnist_shaped_archive(path):
    """A tiny compressed archive with the full archive's shapes; returns its SHA-256."""
    np.savez_compressed(
        path,
        x_train=np.zeros((60000, 28, 28), np.uint8), y_train=np.zeros(60000, np.uint8),
        x_test=np.zeros((10000, 28, 28), np.uint8), y_test=np.zeros(10000, np.uint8),
    )
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Server:
    """A local HTTP server whose one page is `body`, sent in `chunks` with `pause` s between;
    `cut_after` bytes then a closed connection simulates a download cut midway."""

    def __init__(self, body, *, chunks=1, pause=0.0, cut_after=None):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                payload = body if cut_after is None else body[:cut_after]
                step = max(1, -(-len(payload) // chunks))
                for start in range(0, len(payload), step):
                    if outer.stopping.is_set():
                        return
                    self.wfile.write(payload[start:start + step])
                    self.wfile.flush()
                    time.sleep(pause)

            def log_message(self, *args):
                pass

        self.stopping = threading.Event()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist.npz"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve(monkeypatch):
    """Point the full-MNIST URL and checksum at a local server of the caller's making."""
    servers = []

    def start(body, sha256=None, **kwargs):
        server = Server(body, **kwargs)
        servers.append(server)
        monkeypatch.setattr(data, "MNIST_URL", server.url)
        monkeypatch.setattr(data, "MNIST_SHA256", sha256 or hashlib.sha256(body).hexdigest())
        return server

    yield start
    for server in servers:
        server.__exit__()


def test_the_timeout_bounds_the_whole_download(tmp_path, serve):
    server = serve(b"x" * 40, chunks=40, pause=0.1)  # one byte every 0.1 s: 4 s in all
    began = time.monotonic()
    with pytest.raises(DownloadFailedError, match="did not finish within 0.5 s"):
        download_verified(server.url, tmp_path / "mnist.npz", data.MNIST_SHA256, timeout=0.5)
    assert time.monotonic() - began < 1.5
    time.sleep(0.3)  # the cancelled reader removes its partial file after its next byte
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "answer",
    [{"body": HTML_PAGE}, {"body": b"x" * 1000, "cut_after": 300}],
    ids=["captive-portal", "cut-midway"],
)
def test_auto_falls_back_once_on_a_bad_download(tmp_path, serve, answer):
    serve(answer["body"], sha256="0" * 64, cut_after=answer.get("cut_after"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = load_mnist(data_dir=tmp_path, timeout=5)
    assert m.source == "subset"
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "download" in messages[0], messages
    assert list(tmp_path.iterdir()) == []


def test_full_mode_reports_a_bad_download(tmp_path, serve):
    serve(HTML_PAGE, sha256="0" * 64)
    with pytest.raises(DownloadFailedError, match="web page"):
        load_mnist("full", data_dir=tmp_path, timeout=5)


def test_a_full_download_is_cached_then_read_offline(tmp_path, serve, monkeypatch):
    archive = tmp_path / "served.npz"
    digest = mnist_shaped_archive(archive)
    serve(archive.read_bytes(), sha256=digest, chunks=4)
    cache = tmp_path / "cache"
    assert load_mnist("full", data_dir=cache).x_train.shape == (60000, 28, 28)
    monkeypatch.setattr(data, "MNIST_URL", "http://127.0.0.1:9/unreachable")
    assert load_mnist("full", data_dir=cache).source == "full"
    assert [p.name for p in cache.iterdir()] == ["mnist.npz"]


@pytest.mark.slow
def test_three_processes_download_at_once(tmp_path, serve):
    archive = tmp_path / "served.npz"
    digest = mnist_shaped_archive(archive)
    server = serve(archive.read_bytes(), sha256=digest, chunks=20, pause=0.05)
    cache = tmp_path / "cache"
    start_together = tmp_path / "go"
    script = textwrap.dedent(f"""
        import os, time
        from vaekit import data
        data.MNIST_URL, data.MNIST_SHA256 = {server.url!r}, {digest!r}
        while not os.path.exists({str(start_together)!r}):
            time.sleep(0.01)
        print(data.load_mnist("full", data_dir={str(cache)!r}, timeout=60).source)
    """)
    workers = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    time.sleep(0.5)
    start_together.touch()
    results = [worker.communicate(timeout=120) for worker in workers]
    for worker, (out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err[-2000:]
        assert out.strip().splitlines()[-1] == "full"
    assert [p.name for p in cache.iterdir()] == ["mnist.npz"]
    assert hashlib.sha256((cache / "mnist.npz").read_bytes()).hexdigest() == digest


def test_a_data_dir_that_is_a_file_is_named(tmp_path, serve):
    serve(HTML_PAGE)
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file, not a folder")
    with pytest.raises(DownloadFailedError, match=r"cannot write to .*data.*data_dir="):
        load_mnist("full", data_dir=not_a_folder)
    assert not_a_folder.read_text() == "a file, not a folder"
    with pytest.warns(UserWarning, match="cannot write"):
        assert load_mnist(data_dir=not_a_folder).source == "subset"


def test_an_unwritable_cache_is_named(tmp_path, serve, monkeypatch):
    serve(HTML_PAGE)

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(data.tempfile, "mkstemp", read_only)
    with pytest.raises(DownloadFailedError, match="Permission denied.*VAEKIT_DATA_DIR"):
        load_mnist("full", data_dir=tmp_path)


def test_an_unreadable_cache_is_named_not_replaced(tmp_path):
    (tmp_path / "mnist.npz").mkdir()  # unreadable as a file, even for root
    for source in ("full", "auto"):
        with pytest.raises(DataUnavailableError, match=r"cannot read .*mnist\.npz"):
            load_mnist(source, data_dir=tmp_path)
    assert (tmp_path / "mnist.npz").is_dir()
