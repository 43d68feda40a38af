"""`qa index PATH...`: add new and changed sources, drop the ones gone, re-embed nothing unchanged."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from qa.commands.common import add_index_arg, add_model_arg, print_json

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="index files and folders (.txt .md .html .pdf .docx)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to index")
    add_index_arg(p)
    add_model_arg(p)
    p.add_argument("--rebuild", action="store_true", help="start a fresh index (re-embeds everything)")
    p.add_argument("--no-quotes", action="store_true", help="skip quote and entity extraction (faster)")
    p.add_argument("--max-file-mb", type=_megabytes, default=50.0, help="skip files larger than this (default 50)")
    p.add_argument("--backend", choices=("torch", "onnx", "onnx-int8"), default=None,
                   help="embedding runtime: torch (default), onnx (same vectors, faster; needs onnxruntime), "
                        "onnx-int8 (fastest, vectors change slightly); default $SOURCEQA_EMBED_BACKEND, else torch")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def _megabytes(value: str) -> float:
    try:
        mb = float(value)
    except ValueError:
        mb = float("nan")
    if not mb > 0 or mb == float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number of megabytes; pass e.g. --max-file-mb 50")
    return mb


def run(args: argparse.Namespace) -> int:
    from index.pipeline import index_paths
    from qa.engine import default_index_dir

    index_dir = Path(args.index).expanduser() if args.index else default_index_dir()
    extra = _fake_embedder_hook(args)
    if args.backend and not extra:
        from functools import partial

        from index.embed import SentenceEmbedder

        extra = {"embedder_factory": partial(SentenceEmbedder, backend=args.backend)}
    report = index_paths(
        [Path(p).expanduser() for p in args.paths], index_dir, model=args.model, rebuild=args.rebuild,
        max_bytes=int(args.max_file_mb * 1_000_000), quotes=not args.no_quotes, **extra,
    )
    if args.json:
        print_json(report)
    else:
        secs = report.seconds.get("total", 0.0)
        state = f"generation {report.generation}" if report.generation else "already up to date"
        print(f"{index_dir}: {state}; {report.added} added, {report.removed} removed, {report.unchanged} unchanged, "
              f"{len(report.skipped)} skipped; {report.passages_added} passages, {report.quotes_added} quotes in {secs:.1f}s")
        for s in report.skipped:
            print(f"  skipped {s.path}: {s.reason}")
    return 0


def _fake_embedder_hook(args: argparse.Namespace) -> dict:
    """SOURCEQA_FAKE_EMBEDDER=1: tests and benchmarks index with index/embed_fake.py, not the real model."""
    from index.embed_fake import FAKE_MODEL, ENV_VAR, FakeEmbedder, fake_requested

    if not fake_requested():
        return {}
    log.warning("%s is set: embedding with the test-only fake embedder", ENV_VAR)
    args.model = args.model or FAKE_MODEL
    return {"embedder_factory": FakeEmbedder}
