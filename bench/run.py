"""`qa bench`: indexing throughput, memory, query latency and the plain ST+FAISS baseline, in one run.

    qa bench                           # the full run on ../shared/corpora/bbc -> docs/benchmarks.{json,md}
    qa bench --docs 30 --skip-large    # a smoke run (about 2 minutes) -> WORKDIR/benchmarks.{json,md}

Every measured step runs in its own process (bench.child, `qa index`, `qa serve`, the baseline
script), so its peak memory (bench.memory) is its own. Results are written after every step, so
an interrupted run keeps what it measured.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
from pathlib import Path

from bench import coldstart, memory
from bench.report import markdown, targets

log = logging.getLogger("bench")
ROOT = Path(__file__).resolve().parents[1]
TESTSET = ROOT / "tests" / "data" / "bbc_testset.jsonl"
SOURCES = ROOT / "tests" / "data" / "bbc_testset_sources.tsv"
HUNDRED_K = 100_000
# The environment Sourceqa sets for itself (index/__init__.py), given to the plain script too, so
# the comparison is of the retrieval code, not of OpenMP's spinning threads (which cost the plain
# script ~0.5 s per question on a busy 2-core machine).
PLAIN_ENV = {"OMP_WAIT_POLICY": "PASSIVE"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "bbc", help="folder of .txt files (default: the BBC corpus)")
    p.add_argument("--testset", type=Path, default=TESTSET, help="test set for evidence recall (default: the BBC test set)")
    p.add_argument("--docs", type=int, default=0, help="index only N files (the test set's sources first); 0 = all")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/sourceqa-bench"), help="indexes and predictions go here")
    p.add_argument("--out", type=Path, default=None, help="folder for benchmarks.json/.md (default: docs/ for a full run, WORKDIR for --docs)")
    p.add_argument("--skip-large", action="store_true", help="skip the 100k+ passage and 1M-vector parts")
    p.add_argument("--skip-onnx", action="store_true", help="skip the ONNX backends")
    p.add_argument("--skip-serve", action="store_true", help="skip the `qa serve` cold start")
    p.add_argument("--large-passages", type=int, default=HUNDRED_K, help="copy the corpus until the large index has at least this many passages")
    p.add_argument("--million", type=int, default=1_000_000, help="vectors in the synthetic large-index test")
    p.add_argument("--repeats", type=int, default=3, help="timed passes over the test questions per mode")
    p.add_argument("--max-load", type=float, default=0.0, help="before starting, wait (up to --wait-minutes) for the 1-min load average to fall below this")
    p.add_argument("--wait-minutes", type=float, default=30.0)
    p.add_argument("--render", action="store_true", help="only rewrite benchmarks.md (and the targets) from an existing benchmarks.json")


def select_files(corpus: Path, n: int) -> tuple[list[Path], list[str] | None]:
    """The files to index and, for a subset, the test items whose source is among them."""
    every = sorted(corpus.rglob("*.txt"))
    every = [f for f in every if f.name.upper() != "README.TXT"]
    if not n or n >= len(every):
        return every, None
    sources = {}
    if SOURCES.exists():
        for line in SOURCES.read_text(encoding="utf-8").splitlines():
            item, rel = line.split("\t")
            sources.setdefault(corpus / rel, []).append(item)
    chosen = [f for f in sources if f.exists()][:n]
    chosen += [f for f in every if f not in chosen][: n - len(chosen)]
    ids = [i for f in chosen for i in sources.get(f, [])]
    return chosen, ids


def child(task: str, args: dict, label: str) -> tuple[dict, memory.Measured]:
    load = memory.loadavg()
    m = memory.run([sys.executable, "-m", "bench.child", task, json.dumps(args)], cwd=ROOT)
    if m.returncode != 0:
        raise RuntimeError(f"{label} failed (exit {m.returncode}):\n{m.stderr[-3000:]}")
    result = m.json_tail()
    result["process"] = {"wall_s": round(m.wall_s, 1), "peak_rss_mb": m.peak_rss_mb, "load_before": load, "load_after": memory.loadavg()}
    log.info("%s: %.0f s, peak %.0f MB", label, m.wall_s, m.peak_rss_mb)
    return result, m


def _onnx_installed() -> bool:
    """The ONNX backends need the optional `onnx` extra; without it they are skipped with a warning
    rather than failing the run after the torch encoder has taken its minutes."""
    import importlib.util

    if all(importlib.util.find_spec(m) for m in ("onnxruntime", "onnx")):
        return True
    log.warning("ONNX backends skipped: onnxruntime or onnx is not installed (pip install -e '.[onnx]')")
    return False


def step_index(files: list[Path], corpus: Path, ix: Path, full: bool) -> dict:
    paths = sorted({str(f.parent) for f in files}) if full else [str(f) for f in files]
    load = memory.loadavg()
    m = memory.run([sys.executable, "-m", "qa.cli", "-q", "index", *paths, "--index", str(ix), "--rebuild", "--json"], cwd=ROOT)
    if m.returncode != 0:
        raise RuntimeError(f"qa index failed (exit {m.returncode}):\n{m.stderr[-3000:]}")
    report = json.loads(m.stdout)
    secs = report["seconds"]
    staged = sum(secs.get(k, 0.0) for k in ("read", "chunk", "nlp", "embed", "write"))
    return {"documents": report["added"], "files": len(files), "passages": report["passages_added"], "words": report["words_added"],
            "quotes": report["quotes_added"], "seconds": {k: round(v, 2) for k, v in secs.items()},
            "other_s": round(secs["total"] - staged, 2),
            "passages_per_s": round(report["passages_added"] / secs["total"], 2), "words_per_s": round(report["words_added"] / secs["total"], 1),
            "process": {"wall_s": round(m.wall_s, 1), "peak_rss_mb": m.peak_rss_mb, "load_before": load, "load_after": memory.loadavg()}}


def step_plain(files: list[Path], full: bool, corpus: Path, questions: Path, preds: Path, repeats: int) -> dict:
    paths = [str(corpus)] if full else [str(f) for f in files]
    load = memory.loadavg()
    m = memory.run([sys.executable, str(ROOT / "bench" / "plain_baseline.py"), *paths, "--questions", str(questions),
                    "--out", str(preds), "--repeats", str(repeats)], cwd=ROOT, env=PLAIN_ENV)
    if m.returncode != 0:
        raise RuntimeError(f"plain baseline failed (exit {m.returncode}):\n{m.stderr[-3000:]}")
    from qa.metrics import evaluate_predictions
    from qa.testset import load_testset

    result = m.json_tail()
    items = {i.id: i for i in load_testset(questions)}
    preds = {p["id"]: p for p in map(json.loads, preds.read_text(encoding="utf-8").splitlines())}
    from qa.testset import Prediction

    scored = evaluate_predictions(list(items.values()), {k: Prediction.model_validate(v) for k, v in preds.items()}, k=5, n_resamples=200)
    result["quality"] = {k: round(v, 4) for k, v in scored.summary().items() if isinstance(v, float) and ("recall" in k or k == "mrr")}
    result["process"] = {"wall_s": round(m.wall_s, 1), "peak_rss_mb": m.peak_rss_mb, "load_before": load, "load_after": memory.loadavg()}
    return result


def wait_for_quiet(max_load: float, minutes: float) -> list[float]:
    seen = [memory.loadavg()]
    deadline = time.time() + minutes * 60
    while max_load and seen[-1] >= max_load and time.time() < deadline:
        log.info("1-min load average %.2f >= %.2f; waiting", seen[-1], max_load)
        time.sleep(30)
        seen.append(memory.loadavg())
    return seen


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(mem) / 1e6, 1), "python": platform.python_version(),
            "platform": platform.platform()}


def run(args: argparse.Namespace) -> dict:
    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    out_dir = args.out or (ROOT / "docs" if not args.docs else work)
    out_dir.mkdir(parents=True, exist_ok=True)
    files, ids = select_files(args.corpus, args.docs)
    full = ids is None
    questions = work / "questions.jsonl"
    from qa.testset import load_testset

    items = [i for i in load_testset(args.testset) if full or i.id in ids or not i.answerable]
    questions.write_text("".join(i.model_dump_json() + "\n" for i in items), encoding="utf-8")
    ids = [i.id for i in items]
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "machine": machine(), "corpus": str(args.corpus),
                     "files": len(files), "test_items": len(items), "load_waited": wait_for_quiet(args.max_load, args.wait_minutes),
                     "command": " ".join(["qa bench", *sys.argv[2:]]) if sys.argv[1:2] == ["bench"] else " ".join(sys.argv)}

    def save() -> None:
        results["targets"] = targets(results)
        (out_dir / "benchmarks.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        (out_dir / "benchmarks.md").write_text(markdown(results), encoding="utf-8")

    ix, preds = work / "ix", work / "preds"
    preds.mkdir(exist_ok=True)
    log.info("indexing %d files into %s", len(files), ix)
    results["index"] = step_index(files, args.corpus, ix, full)
    save()
    backends = ["torch"] if args.skip_onnx or not _onnx_installed() else ["torch", "onnx", "onnx-int8"]
    limits = {} if not full else {"onnx": 2000}  # fp32 ONNX gives the same vectors: its speed on a sample suffices
    results["encoder"], _ = child("encode", {"index": str(ix), "backends": backends, "limits": limits, "testset": str(questions), "ids": ids}, "raw encoder")
    save()
    results["plain"] = step_plain(files, full, args.corpus, questions, preds / "plain.jsonl", args.repeats)
    save()
    eval_modes = ["hybrid", "dense", "bm25"] if full else ["hybrid"]
    results["serve"], _ = child("serve", {"index": str(ix), "testset": str(questions), "ids": ids, "preds_dir": str(preds),
                                          "repeats": args.repeats, "eval_modes": eval_modes}, "serving")
    save()
    if not args.skip_serve:
        results["cold_start"] = coldstart.measure(ix, items[0].question)
        save()
    if not args.skip_large:
        n = results["index"]["passages"]
        copies = max(1, -(-args.large_passages // max(n, 1)))
        results["large"], _ = child("replicate", {"src": str(ix), "dst": str(work / "ix-large"), "copies": copies}, "replicate")
        results["large"]["copies"] = copies
        results["large"]["latency"], _ = child("large", {"index": str(work / "ix-large"), "testset": str(questions), "ids": ids,
                                                         "repeats": max(1, args.repeats - 1)}, "large latency")
        save()
        mdir = str(work / "million")
        results["million"] = {"build": child("million", {"phase": "build", "dir": mdir, "n": args.million, "src": str(ix)}, "1M build")[0]}
        results["million"]["search"], _ = child("million", {"phase": "search", "dir": mdir}, "1M load+search")
        save()
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    results["load_end"] = memory.loadavg()
    save()
    return results


def footprint(index_dir: Path) -> dict | None:
    """On-disk bytes per passage of an index's live generation (from its manifest)."""
    manifest = index_dir / "manifest.json"
    if not manifest.exists():
        return None
    m = json.loads(manifest.read_text(encoding="utf-8"))
    n = max(m["counts"]["passages"], 1)
    sizes = {k: v["size"] for k, v in m["files"].items()}
    return {"passages": n, "vectors_kind": m["vectors"]["kind"], **{f"{k}_mb": round(v / 1e6, 1) for k, v in sizes.items()},
            **{f"{k}_bytes_per_passage": round(v / n) for k, v in sizes.items()}}


def render(args: argparse.Namespace) -> dict:
    out_dir = args.out or (ROOT / "docs" if not args.docs else args.workdir)
    results = json.loads((out_dir / "benchmarks.json").read_text(encoding="utf-8"))
    for key, name in (("ix", "footprint"), ("ix-large", "footprint_large")):
        found = footprint(args.workdir / key)
        if found and found["passages"] == (results.get("index" if key == "ix" else "large") or {}).get("passages"):
            results[name] = found
    results["targets"] = targets(results)
    (out_dir / "benchmarks.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (out_dir / "benchmarks.md").write_text(markdown(results), encoding="utf-8")
    return results


def main(args: argparse.Namespace) -> int:
    if not args.render:
        run(args)
    results = render(args)
    for name, t in results["targets"].items():
        print(f"{'MET ' if t['met'] else 'MISS' if t['met'] is False else 'n/a '} {name}: {t['detail']}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sys.exit(main(parser.parse_args()))
