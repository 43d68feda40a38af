"""Cold start of `qa serve`: from launching the process to the first answer over its API.

The server is started on a free loopback port, polled until its port accepts connections, then
asked one question with gradio_client (imported beforehand, so its import is not counted); the
time to that answer includes Python start-up, gradio, opening the index and loading the
embedding model, which `qa serve` defers to the first question. The server's process tree is
sampled for peak memory until it is stopped (by its pid) after a second, warm question.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import memory

log = logging.getLogger("bench.coldstart")
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def measure(index_dir: Path, question: str, timeout: float = 300.0) -> dict:
    from gradio_client import Client

    port = free_port()
    log_path = index_dir.parent / "serve.log"
    load = memory.loadavg()
    started = time.perf_counter()
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen([sys.executable, "-m", "qa.cli", "-q", "serve", "--index", str(index_dir), "--port", str(port)],
                                cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT)
    peak, done = [0.0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], memory.tree_rss_mb(proc.pid))
            done.wait(0.25)

    threading.Thread(target=sample, daemon=True).start()
    out: dict = {"load_before": load}
    try:
        out.update(_first_answers(proc, port, question, started, timeout, Client))
    finally:
        done.set()
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    out["peak_rss_mb"] = round(peak[0], 1)
    out["load_after"] = memory.loadavg()
    return out


def _first_answers(proc, port: int, question: str, started: float, timeout: float, Client) -> dict:
    url = f"http://127.0.0.1:{port}/"
    listening = None
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"qa serve exited with {proc.returncode} before answering; see serve.log beside the index")
        if listening is None:
            if _listening(port):
                listening = time.perf_counter() - started
            else:
                time.sleep(0.1)
                continue
        try:
            client = Client(url, verbose=False)
            answer = client.predict(question, api_name="/ask")
        except Exception as exc:  # not ready yet (the app may still be building its routes)
            log.debug("not answering yet: %s", exc)
            time.sleep(0.25)
            continue
        answered = time.perf_counter() - started
        t = time.perf_counter()
        client.predict(question, api_name="/ask")
        warm_ms = (time.perf_counter() - t) * 1000
        return {"listening_s": round(listening, 2), "first_answer_s": round(answered, 2), "warm_ask_ms": round(warm_ms, 1),
                "answer_ok": bool(answer)}
    raise RuntimeError(f"qa serve did not answer within {timeout:.0f} s")
