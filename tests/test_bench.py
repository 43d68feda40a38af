"""`qa bench`: its measuring helpers (fast) and a smoke run on 30 BBC articles (slow, ~2-4 min)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import memory  # noqa: E402
from bench.report import markdown, targets  # noqa: E402
from bench.run import select_files  # noqa: E402

BBC = ROOT.parent / "shared" / "corpora" / "bbc"


def test_memory_counts_the_whole_process_tree():
    # A parent holding ~60 MB and a child holding ~60 MB at once: the tree peak sees both.
    code = ("import subprocess, sys, time; a = bytearray(60_000_000); "
            "p = subprocess.Popen([sys.executable, '-c', 'import time; b = bytearray(60_000_000); time.sleep(1.5)']); "
            "p.wait(); print('{\"ok\": 1}')")
    m = memory.run([sys.executable, "-c", code], interval=0.1)
    assert m.returncode == 0 and m.json_tail() == {"ok": 1}
    assert m.peak_rss_mb > 120


def test_targets_and_markdown_from_partial_results():
    r = {"machine": {"cores": 2, "cpu": "x", "memory_gb": 24, "python": "3.11"}, "started": "now", "load_waited": [1.0],
         "index": {"files": 3, "documents": 3, "passages": 10, "words": 500, "quotes": 2, "other_s": 1.0, "passages_per_s": 1.0,
                   "words_per_s": 50.0, "process": {"peak_rss_mb": 900.0}, "seconds": {"read": 0.1, "nlp": 1.0, "embed": 8.0, "total": 11.0}},
         "encoder": {"backends": {"torch": {"passages": 10, "seconds": 10.0, "passages_per_s": 1.0, "words_per_s": 50.0}}}}
    t = targets(r)
    assert t["index_vs_encoder"]["met"] is True and "1.10x" in t["index_vs_encoder"]["detail"]
    # the raw encoder's model load counts as indexing's does; the encoding alone is shown beside it
    r["encoder"]["backends"]["torch"]["model_load_s"] = 1.0
    detail = targets(r)["index_vs_encoder"]["detail"]
    assert "= 1.00x the raw encoder's 11.0 s" in detail and "1.10x its 10.0 s of encoding alone" in detail
    r["targets"] = t
    text = markdown(r)
    assert "| index_vs_encoder | yes |" in text and "raw encoder, torch" in text


@pytest.mark.skipif(not BBC.exists(), reason="the BBC corpus is not beside the checkout")
def test_select_files_puts_test_sources_first():
    files, ids = select_files(BBC, 5)
    assert len(files) == 5 and ids and "bbc01" in ids
    assert files[0] == BBC / "business" / "001.txt"
    everything, none = select_files(BBC, 0)
    assert none is None and len(everything) == 2225


@pytest.mark.slow
@pytest.mark.skipif(not BBC.exists(), reason="the BBC corpus is not beside the checkout")
def test_smoke_run(tmp_path):
    cmd = [sys.executable, "-m", "qa.cli", "bench", "--docs", "30", "--skip-large", "--skip-onnx", "--repeats", "1",
           "--workdir", str(tmp_path / "work"), "--out", str(tmp_path)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "benchmarks.json").read_text())
    assert results["index"]["passages"] > 50 and results["index"]["process"]["peak_rss_mb"] > 100
    assert results["encoder"]["backends"]["torch"]["passages"] == results["index"]["passages"]
    assert set(results["serve"]["latency"]) == {"dense", "bm25", "hybrid"}
    assert results["serve"]["quality"]["hybrid"]["evidence_recall@5"] > 0.5
    assert results["plain"]["quality"]["evidence_recall@5"] > 0.5
    assert results["cold_start"]["first_answer_s"] > 0 and results["cold_start"]["answer_ok"]
    assert {"index_vs_encoder", "hybrid_recall_vs_plain", "hybrid_latency_vs_plain_dense"} <= set(results["targets"])
    assert "## Targets" in (tmp_path / "benchmarks.md").read_text()


def test_fusion_sweep_on_the_seeds(seed_index, tmp_path):
    """bench/fusion.py runs end to end and writes its table; on the seeds every kind of run finds the evidence."""
    out = tmp_path / "fusion.md"
    dev = Path(__file__).resolve().parents[2] / "shared" / "testsets" / "seeds-dev.jsonl"
    if not dev.exists():
        pytest.skip("../shared/testsets is not beside the checkout")
    subprocess.run([sys.executable, "bench/fusion.py", "--index", str(seed_index), "--set", str(dev), "--out", str(out),
                    "--json", str(tmp_path / "fusion.json")], check=True, cwd=Path(__file__).resolve().parents[1])
    rows = json.loads((tmp_path / "fusion.json").read_text())
    current = [r for r in rows if r["current"]]
    assert len(current) == 1 and current[0]["recall@5"] >= 0.95
    from qa.retrieve import RRF_K

    assert f"hybrid, k = {RRF_K} *" in out.read_text()


def test_sentence_choice_records_the_rules_pick_and_learns_from_other_sets(seed_index, tmp_path):
    from bench import sentence_choice

    seeds = ROOT.parent / "shared" / "testsets" / "seeds-dev.jsonl"
    items = sentence_choice.collect([f"{seed_index}:{seeds}"])
    reached = [i for i in items if i["candidates"]]
    assert reached and all(sum(r["rules_choice"] for r in i["candidates"]) == 1 for i in reached)
    assert any(r["gold"] for i in reached for r in i["candidates"])
    # two copies under different set names: leave-one-set-out trains on the other copy
    twice = [{**i, "set": s} for s in ("a", "b") for i in reached]
    learned = sentence_choice.leave_one_set_out(twice, with_rules=True)
    assert set(learned) == {"a", "b"} and all(0 <= v <= len(reached) for v in learned.values())
    table = sentence_choice.report(twice)
    assert "| all |" in table and "oracle" in table


def test_onnx_backends_are_skipped_when_onnxruntime_is_missing(monkeypatch):
    import importlib.util

    from bench import run

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    assert run._onnx_installed() is False
