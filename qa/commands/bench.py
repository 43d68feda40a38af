"""`qa bench`: the benchmark (bench/run.py) — indexing throughput, memory, latency, a plain baseline.

The benchmark code lives in bench/ at the top of a source checkout, not in the installed
package; this command finds it there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index.errors import BadInput

CHECKOUT = Path(__file__).resolve().parents[2]


def _bench_module():
    if not (CHECKOUT / "bench" / "run.py").exists():
        raise BadInput(f"qa bench runs from a source checkout; {CHECKOUT / 'bench'} is missing")
    if str(CHECKOUT) not in sys.path:
        sys.path.append(str(CHECKOUT))
    from bench import run

    return run


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="benchmark indexing, memory and query latency against a plain ST+FAISS script",
                       description="Benchmark indexing throughput, memory, query latency and cold start, beside a plain "
                                   "sentence-transformers + FAISS script; writes docs/benchmarks.{json,md}.")
    try:
        _bench_module().add_arguments(p)
    except BadInput:
        pass  # an installed copy without bench/: `qa bench` explains when run
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return _bench_module().main(args)
