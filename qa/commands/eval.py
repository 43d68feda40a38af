"""`qa eval TESTSET`: run a test set through the engine and report accuracy, retrieval and latency.

Exit 0 when the run completes (metrics are measurements, not a pass/fail gate); 2 for a malformed
test set. The engine is opened only when some item still needs an answer, so scoring a complete
predictions file (say, written by another tool) needs no index.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import tempfile
from pathlib import Path
from typing import get_args

from index.errors import BadInput
from qa.beir import BeirSet, doc_map_of_index, evaluate_beir, index_corpus, is_beir_dir, load_beir
from qa.commands.common import add_index_arg, add_model_arg, print_json
from qa.evaluate import MIN_RETRIEVED, mode_path, run_items
from qa.metrics import EvalResult, MetricSet, evaluate_predictions, metric_names, recall_ks
from qa.models import Answer, RetrievalMode
from qa.report import format_metric, write_report
from qa.testset import load_testset

log = logging.getLogger(__name__)

MODES = list(get_args(RetrievalMode))
KIND_COLUMNS = ["answer_accuracy", "answer_f1", "evidence_recall@{k}", "mrr", "citation_precision", "abstention_accuracy", "false_abstention_rate"]


def _modes(value: str) -> list[str]:
    modes = [m.strip() for m in value.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise argparse.ArgumentTypeError(f"unknown retrieval mode {', '.join(unknown) or value!r}; choose from {', '.join(MODES)}")
    return list(dict.fromkeys(modes))


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"k of {value!r} is not a positive whole number; pass e.g. -k 5")
    return int(value)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("eval", help="measure answers and retrieval against a test set", description=__doc__.splitlines()[0])
    p.add_argument("testset", metavar="TESTSET", help="a JSON Lines test set (DESIGN.md) or a BEIR directory (corpus.jsonl, queries.jsonl, qrels/)")
    add_index_arg(p)  # for a BEIR set without --index, the corpus is indexed into a temporary directory
    add_model_arg(p)
    p.add_argument(
        "--predictions", metavar="FILE", type=Path,
        help="write predictions here as it goes and resume from it; with --compare one FILE.MODE.jsonl per mode",
    )
    p.add_argument("--report", metavar="DIR", type=Path, help="write an HTML report (and, without --predictions, the predictions) into DIR")
    p.add_argument("--json", action="store_true", help="print one JSON object of metrics instead of a table")
    p.add_argument("--mode", choices=MODES, default="hybrid", help="retrieval mode (default: hybrid)")
    p.add_argument("--compare", metavar="MODES", type=_modes, help=f"comma-separated modes to run side by side, e.g. {','.join(MODES)}")
    p.add_argument("-k", type=_positive_int, default=5, help="cutoff of the headline evidence recall@k (default: 5); 1, 5 and 10 are always reported")
    p.add_argument("--split", default="test", help="BEIR qrels split, qrels/SPLIT.tsv (default: test)")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples for the 95%% intervals (default: 1000; 0: none)")
    p.set_defaults(func=run)


class LazyEngine:
    """Opens the engine on the first question, so a fully answered predictions file needs no index."""

    def __init__(self, index_dir: str | None, model: str | None) -> None:
        self.index_dir, self.model, self._engine = index_dir, model, None

    def ask(self, question: str, history: list[str], mode: str = "hybrid", k: int = 10) -> Answer:
        if self._engine is None:
            from qa.engine import open_engine

            self._engine = open_engine(self.index_dir, self.model)
        return self._engine.ask(question, history, mode=mode, k=k)

    def close(self) -> None:
        close = getattr(self._engine, "close", None)
        if callable(close):
            close()


def _predictions_paths(args: argparse.Namespace, modes: list[str], stack: contextlib.ExitStack) -> dict[str, Path]:
    if args.predictions:
        base = args.predictions
    elif args.report:
        base = args.report / "predictions.jsonl"
    else:
        base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="qa-eval-"))) / "predictions.jsonl"
        log.info("predictions are not kept; pass --predictions FILE to keep them and resume an interrupted run")
    if len(modes) == 1 and not args.compare:
        return {modes[0]: base}
    return {mode: mode_path(base, mode) for mode in modes}


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """Left-aligned first column, the others aligned under their headers."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    return "\n".join(lines)


def metrics_table(sets: dict[str, MetricSet], names: list[str]) -> str:
    """One row per metric, one column per mode: '0.917 [0.83, 1.00]'."""
    rows = [[name, *(format_metric(m.values.get(name), m.ci95.get(name), name) for m in sets.values())] for name in names]
    return format_table(["metric", *sets], rows)


def kinds_table(results: dict[str, EvalResult]) -> str:
    """One row per kind (and mode, when comparing) with the main metrics."""
    k = next(iter(results.values())).k
    columns = [c.format(k=k) for c in KIND_COLUMNS]
    rows = []
    for mode, result in results.items():
        for kind, m in result.by_kind.items():
            label = f"{kind} ({mode})" if len(results) > 1 else kind
            rows.append([label, str(m.n_items), *(format_metric(m.values.get(c)) for c in columns)])
    return format_table(["kind", "n", *columns], rows)


def _engine_k(k: int) -> int:
    """Passages to ask the engine for: at least 10, so recall@10 and nDCG@10 see a full ranking."""
    limit = getattr(importlib.import_module("qa.engine"), "MAX_K", None)  # checked before any question is asked
    if limit is not None and k > limit:
        raise BadInput(f"k of {k} is larger than the {limit} passages the engine returns at most; pass a smaller -k")
    return max(MIN_RETRIEVED, k)


def _summary_line(name: str, m: MetricSet) -> str:
    return f"{name}: {m.n_items} items ({m.n_answerable} answerable, {m.n_unanswerable} unanswerable)"


def _print(args: argparse.Namespace, payload: dict, text: str) -> None:
    # The command's own output goes to stdout; logs and the progress bar go to stderr.
    if args.json:
        print_json(payload)
    else:
        print(text)


def _run_testset(args: argparse.Namespace, modes: list[str], stack: contextlib.ExitStack) -> int:
    items = load_testset(args.testset)
    engine_k = _engine_k(args.k)
    paths = _predictions_paths(args, modes, stack)
    engine = LazyEngine(args.index, args.model)
    stack.callback(engine.close)
    results, predictions = {}, {}
    for mode in modes:
        predictions[mode] = run_items(engine, items, paths[mode], mode=mode, k=engine_k)
        results[mode] = evaluate_predictions(items, predictions[mode], k=args.k, n_resamples=args.bootstrap)
    if args.report:
        write_report(args.report, results, items, predictions, f"qa eval {Path(args.testset).name}")
    summaries = {mode: r.summary() | {"predictions": str(paths[mode]) if args.predictions or args.report else None} for mode, r in results.items()}
    payload = {"testset": str(args.testset), "k": args.k} | (summaries[modes[0]] | {"mode": modes[0]} if len(modes) == 1 else {"modes": summaries})
    names = metric_names(recall_ks(args.k)) + ["latency_ms_p50", "latency_ms_p95"]
    first = next(iter(results.values())).overall
    text = "\n\n".join([_summary_line(args.testset, first), metrics_table({m: r.overall for m, r in results.items()}, names), kinds_table(results)])
    _print(args, payload, text)
    return 0


def _beir_engine(args: argparse.Namespace, beir: BeirSet, stack: contextlib.ExitStack) -> tuple[LazyEngine, dict[str, list[str]]]:
    """An engine over the BEIR corpus and its doc map: the --index given (built from files named
    <corpus-id>.txt, or keeping corpus ids as doc ids), else a temporary index of the corpus."""
    if args.index:
        return LazyEngine(args.index, args.model), doc_map_of_index(Path(args.index), args.model, {d.id: d.id for d in beir.corpus})
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="qa-beir-")))
    index_dir, doc_map = index_corpus(beir, workdir, args.model)
    return LazyEngine(str(index_dir), args.model), doc_map


def _run_beir(args: argparse.Namespace, modes: list[str], stack: contextlib.ExitStack) -> int:
    beir = load_beir(Path(args.testset), args.split)
    if args.report:
        log.warning("--report is not supported for BEIR retrieval sets; printing metrics only")
    paths = _predictions_paths(args, modes, stack)
    engine, doc_map = _beir_engine(args, beir, stack)
    stack.callback(engine.close)
    sets = {mode: evaluate_beir(engine, beir, paths[mode], mode, doc_map, args.bootstrap) for mode in modes}
    summaries = {mode: m.values | {"n_queries": m.n_items, "ci95": m.ci95} for mode, m in sets.items()}
    payload = {"testset": str(args.testset), "split": args.split} | (summaries[modes[0]] | {"mode": modes[0]} if len(modes) == 1 else {"modes": summaries})
    first = next(iter(sets.values()))
    text = f"{args.testset}: {first.n_items} judged queries, {len(beir.corpus)} documents\n\n" + metrics_table(sets, list(first.values))
    _print(args, payload, text)
    return 0


def run(args: argparse.Namespace) -> int:
    modes = args.compare or [args.mode]
    with contextlib.ExitStack() as stack:
        if is_beir_dir(Path(args.testset)):
            return _run_beir(args, modes, stack)
        return _run_testset(args, modes, stack)
