"""The Evaluate tab: upload a test set, run it through the engine with progress, read the results.

Scoring, plots and failure rendering are qa.metrics / qa.report, the same code `qa eval` uses;
this tab only loops over the items (so it can report progress) and lays the pieces out.
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

import gradio as gr

from index.errors import SourceqaError
from qa.engine import Engine
from qa.evaluate import MIN_RETRIEVED, predict
from qa.metrics import EvalResult, evaluate_predictions, recall_ks
from qa.report import failure_reason, format_metric, kind_accuracy, recall_series, render_failure, svg_bars, svg_histogram, svg_lines, write_report
from qa.testset import Prediction, TestItem, load_testset
from ui.chat import MODES
from ui.render import esc

log = logging.getLogger(__name__)

HEADLINE = ["answer_accuracy", "answer_f1", "evidence_recall@{k}", "mrr", "citation_precision", "abstention_accuracy", "latency_ms_p50"]
# Failures beyond this many are in the downloadable report; a page of 500 failures helps nobody.
FAILURES_SHOWN = 50


def metrics_html(result: EvalResult) -> str:
    """Headline metrics as cards, then every metric in a table with its 95% interval."""
    values, ci = result.overall.values, result.overall.ci95
    cards = []
    for name in (n.format(k=result.k) for n in HEADLINE):
        value = values.get(name)
        # Cards are glanced at: whole milliseconds ("101 ms"); the table below keeps the decimals.
        shown = f"{value:.0f} ms" if name.startswith("latency") and value is not None else format_metric(value, None, name)
        cards.append(f'<div class="qa-card"><div class="qa-card-value">{esc(shown)}</div><div class="qa-card-name">{esc(name)}</div></div>')
    rows = "".join(
        f"<tr><th>{esc(name)}</th><td>{esc(format_metric(v, ci.get(name), name))}</td></tr>" for name, v in values.items()
    )
    counts = f"{result.overall.n_items} items: {result.overall.n_answerable} answerable, {result.overall.n_unanswerable} unanswerable"
    return (f'<div class="qa-eval-counts">{esc(counts)}</div><div class="qa-cards">{"".join(cards)}</div>'
            f'<details class="qa-all-metrics"><summary>All metrics with 95% intervals</summary><table>{rows}</table></details>')


def plots_html(result: EvalResult, mode: str) -> str:
    kinds = sorted(result.by_kind)
    labels = [f"{kind} (abstained)" if kind == "unanswerable" else kind for kind in kinds]
    latencies = [s.latency_ms for s in result.items if s.latency_ms is not None]
    plots = [
        svg_lines({mode: recall_series(result)}, "Evidence recall@k"),
        svg_bars(labels, {mode: [kind_accuracy(result.by_kind.get(kind)) for kind in kinds]}, "Accuracy by kind"),
        svg_histogram(latencies, f"Latency ({mode})"),
    ]
    # qa.report draws fixed-size SVGs; a viewBox lets them shrink to a third of the width, side by side.
    sized = re.compile(r'<svg ([^>]*?)width="(\d+)" height="(\d+)"')
    scalable = [sized.sub(r'<svg \1viewBox="0 0 \2 \3" width="\2" height="\3"', p, count=1) for p in plots]
    return f'<div class="qa-plots">{"".join(scalable)}</div>'


def failures_html(result: EvalResult, items: list[TestItem], predictions: dict[str, Prediction]) -> str:
    by_id = {item.id: item for item in items}
    failures = [(s, failure_reason(s)) for s in result.items if failure_reason(s)]
    if not failures:
        return f'<div class="qa-ok">No failures: all {len(result.items)} items passed.</div>'
    shown = "".join(render_failure(by_id[s.id], predictions[s.id], s, reason) for s, reason in failures[:FAILURES_SHOWN])
    more = f"<p>{len(failures) - FAILURES_SHOWN} more in the downloadable report.</p>" if len(failures) > FAILURES_SHOWN else ""
    return f'<div class="qa-failures"><div class="qa-section-title">Failures: {len(failures)} of {len(result.items)}</div>{shown}{more}</div>'


class EvaluateTab:
    def __init__(self, engine: Engine, work_dir: Path) -> None:
        self.engine = engine
        self.work_dir = work_dir

    def run(self, testset, mode: str, k: float, progress=gr.Progress()):
        """Ask every item (progress per item), score, and lay out metrics, plots, failures and the report."""
        if not testset:
            raise gr.Error("Upload a test set first: a JSON Lines file, one question per line.")
        try:
            items = load_testset(str(getattr(testset, "path", testset)))
        except SourceqaError as exc:
            raise gr.Error(str(exc)) from None
        k, mode = int(k), mode if mode in MODES else "hybrid"
        engine_k = max(MIN_RETRIEVED, *recall_ks(k))
        predictions: dict[str, Prediction] = {}
        for item in progress.tqdm(items, desc=f"Asking {len(items)} questions ({mode})"):
            predictions[item.id] = Prediction.model_validate(predict(self.engine, item, mode, engine_k))
        result = evaluate_predictions(items, predictions, k=k, n_resamples=500)
        report_dir = Path(tempfile.mkdtemp(prefix="report-", dir=self.work_dir))
        report = write_report(report_dir, {mode: result}, items, {mode: predictions}, f"Evaluation ({mode}, {len(items)} items)")
        log.info("evaluated %d items in %s mode; report at %s", len(items), mode, report)
        return metrics_html(result), plots_html(result, mode), failures_html(result, items, predictions), gr.update(value=str(report), visible=True)

    def build(self) -> None:
        with gr.Row():
            with gr.Column(scale=1, min_width=280):
                testset = gr.File(label="Test set (.jsonl)", file_types=[".jsonl", ".json"], elem_id="qa-testset")
                gr.HTML('<div class="qa-hint">One JSON object a line: <code>id</code>, <code>question</code>, <code>kind</code>, '
                        '<code>answerable</code>, <code>answers</code>, <code>evidence</code>, <code>history</code> (see DESIGN.md).</div>')
                mode = gr.Radio(MODES, value="hybrid", label="Retrieval")
                k = gr.Slider(1, 20, value=5, step=1, label="Recall cutoff k")
                run = gr.Button("Run evaluation", variant="primary", elem_id="qa-run-eval")
                report = gr.File(label="Full HTML report", interactive=False, visible=False)
            with gr.Column(scale=3):
                metrics = gr.HTML('<div class="qa-hint">Metrics, plots and failures appear here after a run.</div>', elem_id="qa-eval-metrics")
                plots = gr.HTML(elem_id="qa-eval-plots")
                failures = gr.HTML(elem_id="qa-eval-failures")
        run.click(self.run, [testset, mode, k], [metrics, plots, failures, report], api_name="evaluate")
