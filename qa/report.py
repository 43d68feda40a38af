"""A self-contained HTML report of an evaluation run: metrics, inline SVG plots, every failure.

No JavaScript and no plotting library: the plots are a few SVG elements built here. Every text
that comes from a source, a question or a prediction goes through `html.escape`; evidence is
marked only where the normalised snippet maps back onto an original span that normalises to it
again, so a highlight is never shown on the wrong words.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from qa.metrics import EvalResult, ItemScore, MetricSet, is_punctuation, metric_names, normalize_answer, recall_ks
from qa.testset import Prediction, TestItem

log = logging.getLogger(__name__)

PALETTE = ["#3366cc", "#dc3912", "#109618", "#ff9900", "#990099", "#0099c6"]
SHOWN_PASSAGES = 10
_ARTICLE_TOKENS = {"a", "an", "the"}


def format_metric(value: float | None, ci: tuple[float, float] | None = None, name: str = "") -> str:
    """'0.917 [0.83, 1.00]' for a share, '41.0 ms' for a latency, '-' when the metric does not apply."""
    if value is None:
        return "-"
    if name.startswith("latency"):
        return f"{value:.1f} ms"
    return f"{value:.3f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """`normalize_answer(text)` (up to rare \\b corner cases) and, per output char, its index in `text`."""
    kept = [(c, i) for i, ch in enumerate(text) for c in ch.lower() if not is_punctuation(c)]
    joined = "".join(c for c, _ in kept)
    chars: list[str] = []
    origins: list[int] = []
    for match in re.finditer(r"\S+", joined):
        if match.group() in _ARTICLE_TOKENS:
            continue
        if chars:
            chars.append(" ")
            origins.append(kept[match.start()][1])
        chars.extend(match.group())
        origins.extend(kept[j][1] for j in range(match.start(), match.end()))
    return "".join(chars), origins


def find_spans(text: str, snippets: Sequence[str]) -> list[tuple[int, int]]:
    """Original-text spans whose normalised form equals a normalised snippet, merged and sorted."""
    norm, origins = normalize_with_offsets(text)
    spans = []
    for needle in {normalize_answer(s) for s in snippets} - {""}:
        at = norm.find(needle)
        while at >= 0:
            start, end = origins[at], origins[at + len(needle) - 1] + 1
            if normalize_answer(text[start:end]) == needle:  # otherwise mark nothing rather than the wrong words
                spans.append((start, end))
            at = norm.find(needle, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, evidence: Sequence[str], answers: Sequence[str] = ()) -> str:
    """Escaped HTML of `text` with evidence in <mark> and gold answers (outside evidence) in <mark class=answer>."""
    marks = [(s, e, "") for s, e in find_spans(text, evidence)]
    marks += [(s, e, ' class="answer"') for s, e in find_spans(text, answers) if not any(s < me and e > ms for ms, me, _ in marks)]
    out, pos = [], 0
    for start, end, attrs in sorted(marks):
        out.append(html.escape(text[pos:start]) + f"<mark{attrs}>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    return "".join(out) + html.escape(text[pos:])


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">'
    return f"<figure><figcaption>{html.escape(title)}</figcaption>{svg}{''.join(body)}</svg></figure>"


def _axes(w: int, h: int, m: int, y_max: float, y_fmt: str = "{:.2f}") -> list[str]:
    body = [f'<line x1="{m}" y1="{h - m}" x2="{w - 10}" y2="{h - m}" stroke="#444"/>', f'<line x1="{m}" y1="10" x2="{m}" y2="{h - m}" stroke="#444"/>']
    for i in range(5):
        y = h - m - i * (h - m - 10) / 4
        body.append(f'<text x="{m - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{y_fmt.format(y_max * i / 4)}</text>')
        body.append(f'<line x1="{m}" y1="{y:.1f}" x2="{w - 10}" y2="{y:.1f}" stroke="#eee"/>')
    return body


def svg_lines(series: dict[str, list[float]], title: str, w: int = 480, h: int = 260, m: int = 40) -> str:
    """A line chart of y values in [0, 1] at x = 1..n, one line per series (recall@k curves)."""
    body = _axes(w, h, m, 1.0)
    n = max((len(ys) for ys in series.values()), default=1)
    x_at = lambda i: m + (i * (w - m - 20) / max(n - 1, 1))  # noqa: E731
    y_at = lambda v: h - m - v * (h - m - 10)  # noqa: E731
    body += [f'<text x="{x_at(i):.1f}" y="{h - m + 14}" font-size="10" text-anchor="middle">{i + 1}</text>' for i in range(n)]
    for s, (name, ys) in enumerate(series.items()):
        colour = PALETTE[s % len(PALETTE)]
        points = " ".join(f"{x_at(i):.1f},{y_at(v):.1f}" for i, v in enumerate(ys))
        body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        body.append(f'<text x="{w - 12}" y="{h - m - 8 - 14 * s}" font-size="11" fill="{colour}" text-anchor="end">{html.escape(name)}</text>')
    return _svg(w, h, body, title)


def svg_bars(groups: list[str], series: dict[str, list[float | None]], title: str, w: int = 480, h: int = 260, m: int = 40) -> str:
    """Grouped bars of values in [0, 1]: one group per label (kind), one bar per series (mode)."""
    body = _axes(w, h, m, 1.0)
    group_w = (w - m - 20) / max(len(groups), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    for g, label in enumerate(groups):
        x0 = m + g * group_w + group_w * 0.1
        body.append(f'<text x="{x0 + group_w * 0.4:.1f}" y="{h - m + 14}" font-size="10" text-anchor="middle">{html.escape(label)}</text>')
        for s, values in enumerate(series.values()):
            v = values[g] or 0.0
            top = h - m - v * (h - m - 10)
            colour = PALETTE[s % len(PALETTE)]
            body.append(f'<rect x="{x0 + s * bar_w:.1f}" y="{top:.1f}" width="{bar_w * 0.9:.1f}" height="{h - m - top:.1f}" fill="{colour}"/>')
    # Legend in a row under the axis labels, where no bar can hide it.
    for s, name in enumerate(series):
        body.append(f'<text x="{m + 90 * s}" y="{h - 8}" font-size="11" fill="{PALETTE[s % len(PALETTE)]}">{html.escape(name)}</text>')
    return _svg(w, h, body, title)


def svg_histogram(values: Sequence[float], title: str, bins: int = 12, w: int = 480, h: int = 260, m: int = 40) -> str:
    """A histogram of latencies: equal-width bins from 0 to the largest value, counts on the y axis."""
    top = max(values, default=0.0) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(int(v / top * bins), bins - 1)] += 1
    peak = -(-max(counts, default=0) // 4) * 4 or 4  # round up to a multiple of 4: whole-number ticks
    body = _axes(w, h, m, float(peak), "{:.0f}")
    bin_w = (w - m - 20) / bins
    for b, count in enumerate(counts):
        y = h - m - count / peak * (h - m - 10)
        body.append(f'<rect x="{m + b * bin_w:.1f}" y="{y:.1f}" width="{bin_w * 0.95:.1f}" height="{h - m - y:.1f}" fill="{PALETTE[0]}"/>')
    for b in range(0, bins + 1, 3):
        value, anchor = top * b / bins, "end" if b == bins else "middle"
        label = f"{value:,.0f}" if value >= 10 else f"{value:.2g}"
        body.append(f'<text x="{m + b * bin_w:.1f}" y="{h - m + 14}" font-size="10" text-anchor="{anchor}">{label} ms</text>')
    return _svg(w, h, body, title)


def recall_series(result: EvalResult) -> list[float]:
    """Mean evidence recall@k for k = 1..K over the items with evidence."""
    curves = [s.recall_at for s in result.items if s.recall_at]
    if not curves:
        return []
    return [sum(c[i] for c in curves) / len(curves) for i in range(min(len(c) for c in curves))]


def failure_reason(score: ItemScore) -> str | None:
    """Why an item counts as a failure, or None when it does not."""
    if not score.answerable:
        return None if score.abstained else "answered a question the sources cannot answer"
    if score.abstained:
        return "abstained on an answerable question"
    return None if score.answer_hit else "no acceptable answer in the answer text"


def _passage_list(passages: Sequence, item: TestItem, relevant: set[int], label: str) -> str:
    rows = []
    for rank, p in enumerate(passages[:SHOWN_PASSAGES], start=1):
        flag = " supports" if rank in relevant else ""
        score = f" score {p.score:.3f}" if getattr(p, "score", None) is not None else ""
        meta = html.escape(f"#{rank} {p.doc_id} / {p.passage_id}{score}")
        rows.append(f'<li class="passage{flag}"><div class="meta">{meta}{flag}</div>{highlight(p.text, item.evidence, item.answers)}</li>')
    return f"<h4>{label}</h4><ol>{''.join(rows)}</ol>" if rows else f"<h4>{label}</h4><p>none</p>"


def render_failure(item: TestItem, pred: Prediction, score: ItemScore, reason: str) -> str:
    """One failure: question, history, expected answers, the answer given, cited and retrieved passages."""
    e = html.escape
    history = "".join(f"<li>{e(turn)}</li>" for turn in item.history)
    answers = "".join(f"<li>{e(a)}</li>" for a in item.answers) or "<li>(none: should abstain)</li>"
    given = "(abstained)" if pred.abstained else pred.answer
    parts = [
        f'<section class="failure" id="item-{e(item.id)}"><h3>{e(item.id)} <small>{e(item.kind)}: {e(reason)}</small></h3>',
        f"<p><b>Question:</b> {e(item.question)}</p>",
        f"<p><b>Earlier turns:</b></p><ol>{history}</ol>" if history else "",
        f"<p><b>Expected:</b></p><ul>{answers}</ul>",
        f"<p><b>Evidence:</b></p><ul>{''.join(f'<li>{e(s)}</li>' for s in item.evidence)}</ul>" if item.evidence else "",
        f'<p><b>Answer given:</b> <span class="given">{e(given)}</span></p>',
        _passage_list(pred.citations, item, set(), "Cited passages"),
        _passage_list(pred.retrieved, item, set(score.relevant_ranks), "Retrieved passages"),
        "</section>",
    ]
    return "".join(parts)


def _metrics_table(results: dict[str, EvalResult]) -> str:
    k = next(iter(results.values())).k
    names = metric_names(recall_ks(k)) + ["latency_ms_p50", "latency_ms_p95"]
    head = "".join(f"<th>{html.escape(mode)}</th>" for mode in results)
    rows = []
    for name in names:
        cells = "".join(f"<td>{format_metric(r.overall.values.get(name), r.overall.ci95.get(name), name)}</td>" for r in results.values())
        rows.append(f"<tr><th>{html.escape(name)}</th>{cells}</tr>")
    return f"<table><tr><th>metric</th>{head}</tr>{''.join(rows)}</table>"


def kind_accuracy(metrics: MetricSet | None) -> float | None:
    """Answer accuracy of a kind; for unanswerable items, whose right answer is to abstain, abstention accuracy."""
    if metrics is None:
        return None
    value = metrics.values.get("answer_accuracy")
    return metrics.values.get("abstention_accuracy") if value is None else value


def _kinds_table(results: dict[str, EvalResult]) -> str:
    k = next(iter(results.values())).k
    names = ["answer_accuracy", "answer_f1", f"evidence_recall@{k}", "mrr", "citation_precision", "abstention_accuracy", "false_abstention_rate"]
    rows = []
    for mode, result in results.items():
        for kind, m in result.by_kind.items():
            label = f"{kind} ({mode})" if len(results) > 1 else kind
            cells = "".join(f"<td>{format_metric(m.values.get(n))}</td>" for n in names)
            rows.append(f"<tr><th>{html.escape(label)}</th><td>{m.n_items}</td>{cells}</tr>")
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    return f"<table><tr><th>kind</th><th>n</th>{head}</tr>{''.join(rows)}</table>"


_CSS = """body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}
mark{background:#ffe066}mark.answer{background:#b2f2bb}.failure{border-top:2px solid #ccc;margin-top:1.5em}
.passage{margin:.4em 0}.passage.supports{border-left:4px solid #109618;padding-left:6px}.meta{color:#666;font-size:12px}
.plots{display:flex;flex-wrap:wrap}.plots figure{margin:0 1em 1em 0}.plots svg{border:1px solid #eee}"""


def render_report(results: dict[str, EvalResult], items: Sequence[TestItem], predictions: dict[str, dict[str, Prediction]], title: str) -> str:
    """The whole report as one HTML string; `results` and `predictions` are keyed by retrieval mode."""
    first = next(iter(results.values()))
    kinds = sorted(first.by_kind)
    accuracy = {mode: [kind_accuracy(r.by_kind.get(kind)) for kind in kinds] for mode, r in results.items()}
    labels = [f"{kind} (abstained)" if kind == "unanswerable" else kind for kind in kinds]
    plots = [svg_lines({m: recall_series(r) for m, r in results.items()}, "Evidence recall@k"), svg_bars(labels, accuracy, "Accuracy by kind")]
    plots += [svg_histogram([s.latency_ms for s in r.items if s.latency_ms is not None], f"Latency ({m})") for m, r in results.items()]
    by_id = {item.id: item for item in items}
    body = [f"<h1>{html.escape(title)}</h1>", _metrics_table(results), "<h2>By kind</h2>", _kinds_table(results)]
    body += ['<h2>Plots</h2><div class="plots">', *plots, "</div>"]
    for mode, result in results.items():
        failures = [(s, failure_reason(s)) for s in result.items if failure_reason(s)]
        body.append(f"<h2>Failures ({html.escape(mode)}): {len(failures)} of {len(result.items)}</h2>")
        body += [render_failure(by_id[s.id], predictions[mode][s.id], s, reason) for s, reason in failures]
    head = f'<meta charset="utf-8"><title>{html.escape(title)}</title><style>{_CSS}</style>'
    return f'<!doctype html><html lang="en"><head>{head}</head><body>{"".join(body)}</body></html>'


def write_report(
    report_dir: Path, results: dict[str, EvalResult], items: Sequence[TestItem], predictions: dict[str, dict[str, Prediction]], title: str
) -> Path:
    """Write report_dir/index.html and return its path."""
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / "index.html"
    path.write_text(render_report(results, items, predictions, title), encoding="utf-8")
    log.info("report written to %s", path)
    return path
