"""Run a command as a child process and measure its wall time and peak memory.

Peak memory is the largest sum of resident set sizes over the child's whole process tree, sampled
from /proc every `interval` seconds: indexing runs spaCy in a second process beside the encoder,
and getrusage(RUSAGE_CHILDREN).ru_maxrss would report only the largest single descendant (and only
ever the largest since this process started), not what the two hold together. A sample can miss
a peak shorter than the interval (0.25 s).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    peak_rss_mb: float  # max over samples of the tree's summed RSS

    def json_tail(self) -> dict:
        """The last stdout line that is a JSON object (children print their result last)."""
        for line in reversed(self.stdout.strip().splitlines()):
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"no JSON result from the child (exit {self.returncode}); stderr ends:\n{self.stderr[-2000:]}")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_mb(pid: int) -> float:
    """Summed RSS of `pid` and all its descendants, in MB."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(tree.get(p, []))
    return total / 1e6


def run(cmd: list[str], env: dict | None = None, cwd: Path | None = None, timeout: float = 7200, interval: float = 0.25) -> Measured:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, cwd=cwd)
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    finally:
        done.set()
        sampler.join()
    wall = time.perf_counter() - started
    return Measured(proc.returncode, out, err, wall, round(peak[0], 1))


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])
