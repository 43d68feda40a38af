"""A damaged index: one clear message naming the fix, never a traceback, never a silently wrong answer.

Each case damages a freshly built index in one way, then checks `open_index` (IndexCorrupt naming
`qa index ... --rebuild`), the CLI (non-zero exit, one line on stderr), that a plain update refuses
to build on the damage, and that `--rebuild` recovers. Truncated vectors and a garbage manifest at
the `open_index` level are in test_index_store.py; here they go through the CLI too. A full disk
during an update is here as well: the old index must stay live.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import resource
import signal
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import faiss
import pytest
from robustness import FAKE_ENV, build_in_process, check_consistent, index_cmd, make_corpus, qa

from index import vectors
from index.embed_fake import ENV_VAR
from index.errors import IndexCorrupt, IndexWriteFailed
from index.layout import open_index
from qa.cli import main


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    src, ix = tmp_path / "src", tmp_path / "ix"
    make_corpus(src, 12, "base", seed=1)
    build_in_process(src, ix)
    return src, ix


def manifest_of(ix: Path) -> dict:
    return json.loads((ix / "manifest.json").read_text())


def live(ix: Path, name: str) -> Path:
    return ix / manifest_of(ix)["generation"] / name


def reseal(ix: Path) -> None:
    """Record the current file sizes and checksums in the manifest, as if the damage predated it."""
    m = manifest_of(ix)
    for info in m["files"].values():
        path = ix / m["generation"] / info["name"]
        info["size"], info["sha256"] = path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()
    (ix / "manifest.json").write_text(json.dumps(m))


def flip_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 64):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate_vectors(ix):
    path = live(ix, "vectors.faiss")
    path.write_bytes(path.read_bytes()[:100])


def same_size_garbage_vectors(ix):
    flip_middle(live(ix, "vectors.faiss"))


def missing_vectors(ix):
    live(ix, "vectors.faiss").unlink()


def garbage_manifest(ix):
    (ix / "manifest.json").write_text("{not json")


def empty_manifest(ix):
    (ix / "manifest.json").write_bytes(b"")


def manifest_missing_fields(ix):
    (ix / "manifest.json").write_text(json.dumps({"generation": manifest_of(ix)["generation"]}))


def binary_manifest(ix):
    (ix / "manifest.json").write_bytes(b"\xff\xfe\x00garbage\x80")


def manifest_from_the_future(ix):
    m = manifest_of(ix)
    m["format_version"] = 99
    (ix / "manifest.json").write_text(json.dumps(m))


def manifest_names_missing_generation(ix):
    m = manifest_of(ix)
    m["generation"] = "g000099"
    (ix / "manifest.json").write_text(json.dumps(m))


def manifest_deleted(ix):
    (ix / "manifest.json").unlink()


def store_deleted(ix):
    live(ix, "store.sqlite").unlink()


def store_garbage(ix):
    live(ix, "store.sqlite").write_bytes(b"this is not a database" * 100)


def store_garbage_resealed(ix):
    store_garbage(ix)
    reseal(ix)


def store_page_flipped(ix):
    flip_middle(live(ix, "store.sqlite"))


def store_missing_table(ix):
    with sqlite3.connect(live(ix, "store.sqlite")) as conn:
        conn.execute("DROP TABLE passages_fts")
    reseal(ix)


def store_missing_table_old_manifest(ix):
    """An index from before checksums: only sizes recorded."""
    store_missing_table(ix)
    m = manifest_of(ix)
    for info in m["files"].values():
        info.pop("sha256")
    (ix / "manifest.json").write_text(json.dumps(m))


def store_other_schema(ix):
    with sqlite3.connect(live(ix, "store.sqlite")) as conn:
        conn.execute("PRAGMA user_version = 99")
    reseal(ix)


def store_lost_passages(ix):
    with sqlite3.connect(live(ix, "store.sqlite")) as conn:
        conn.execute("DELETE FROM passages WHERE vec_id IN (SELECT vec_id FROM passages LIMIT 3)")
    reseal(ix)


def vectors_of_other_passages(ix):
    """Same count and dimension, but the ids are not the passages' vec_ids."""
    path = live(ix, "vectors.faiss")
    old = vectors.load(path)
    ids = vectors.ids(old)
    moved = vectors.new_index(vectors.VectorSpec(dim=old.d))
    vectors.add(moved, ids + 10_000, faiss.downcast_index(old.index).reconstruct_n(0, old.ntotal))
    faiss.write_index(moved, str(path))
    reseal(ix)


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated vectors": (truncate_vectors, "bytes, the manifest says"),
    "same-size damaged vectors": (same_size_garbage_vectors, "checksum"),
    "missing vectors": (missing_vectors, "is missing"),
    "garbage manifest": (garbage_manifest, "manifest"),
    "empty manifest": (empty_manifest, "manifest"),
    "manifest missing fields": (manifest_missing_fields, "manifest"),
    "binary manifest": (binary_manifest, "manifest"),
    "manifest from a newer version": (manifest_from_the_future, "newer Sourceqa"),
    "manifest names a missing generation": (manifest_names_missing_generation, "g000099"),
    "manifest deleted": (manifest_deleted, "no manifest"),
    "store deleted": (store_deleted, "store.sqlite is missing"),
    "store garbage": (store_garbage, "store.sqlite has"),
    "store garbage, resealed": (store_garbage_resealed, "cannot be read"),
    "store page damaged": (store_page_flipped, "checksum"),
    "store missing a table": (store_missing_table, "lacks the table(s) passages_fts"),
    "store missing a table, no checksums": (store_missing_table_old_manifest, "lacks the table(s) passages_fts"),
    "store of another schema": (store_other_schema, "schema 99"),
    "store lost passages": (store_lost_passages, "inconsistent"),
    "vectors of other passages": (vectors_of_other_passages, "ids differ"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damage_is_reported_with_the_fix_and_rebuild_recovers(case, built, capsys, monkeypatch):
    src, ix = built
    damage, needle = DAMAGE[case]
    damage(ix)
    with pytest.raises(IndexCorrupt) as caught:
        open_index(ix).close()
    message = str(caught.value)
    assert needle in message and "--rebuild" in message and str(ix) in message

    capsys.readouterr()
    for argv in (["docs", "--index", str(ix)], ["ask", "What did the council decide?", "--index", str(ix)]):
        assert main(argv) == IndexCorrupt.exit_code
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and err.startswith(f"qa {argv[0]}: ") and "--rebuild" in err

    monkeypatch.setenv(ENV_VAR, "1")
    if case != "manifest deleted":  # without a manifest there is no index to protect: a plain run builds one
        # A plain update refuses to build on the damage, and changes nothing.
        before = sorted(p.name for p in ix.iterdir())
        assert main(["-q", "index", str(src), "--index", str(ix), "--no-quotes"]) == IndexCorrupt.exit_code
        assert "--rebuild" in capsys.readouterr().err
        assert sorted(p.name for p in ix.iterdir()) == before

    assert main(["-q", "index", str(src), "--index", str(ix), "--no-quotes", "--rebuild"]) == 0
    _, docs = check_consistent(ix)
    assert len(docs) == 12


@pytest.mark.parametrize("case", ["truncated vectors", "garbage manifest", "store missing a table"])
def test_cli_subprocess_prints_one_line_and_no_traceback(case, built):
    _, ix = built
    DAMAGE[case][0](ix)
    result = qa("docs", "--index", str(ix))
    assert result.returncode == IndexCorrupt.exit_code
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "--rebuild" in lines[0]


def test_damage_found_only_at_query_time_is_one_line(built, capsys, monkeypatch):
    """An index from before checksums may hide a damaged page until a query reads it."""
    _, ix = built
    from index.store import Store

    def malformed(self):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Store, "documents", malformed)
    capsys.readouterr()
    assert main(["docs", "--index", str(ix)]) == IndexCorrupt.exit_code
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "malformed" in err and "--rebuild" in err


# ---- a full disk during an update ---------------------------------------------------------------


def test_disk_full_while_publishing_keeps_the_old_index(built, capsys, monkeypatch):
    src, ix = built
    generation, docs = check_consistent(ix)
    make_corpus(src, 20, "more", seed=2)

    real_write = vectors.faiss.write_index

    def full(index, path):  # what FAISS does on a full disk: /dev/full always is one
        real_write(index, "/dev/full")

    monkeypatch.setattr(vectors.faiss, "write_index", full)
    monkeypatch.setenv(ENV_VAR, "1")
    capsys.readouterr()
    assert main(["-q", "index", str(src), "--index", str(ix), "--no-quotes"]) == IndexWriteFailed.exit_code
    err = capsys.readouterr().err.strip()
    last = err.splitlines()[-1]  # above it, at most the progress bar
    assert last.startswith("qa index: ") and "No space left on device" in last and "previous index is still the live one" in last
    assert "Traceback" not in err
    assert check_consistent(ix) == (generation, docs)
    assert [p.name for p in ix.glob("g*")] == [generation]  # the half-written generation is gone
    monkeypatch.undo()
    monkeypatch.setenv(ENV_VAR, "1")
    assert main(["-q", "index", str(src), "--index", str(ix), "--no-quotes"]) == 0  # once there is room again
    assert len(check_consistent(ix)[1]) == 20


def test_disk_full_while_writing_the_manifest_keeps_the_old_index(built, monkeypatch):
    import index.manifest

    src, ix = built
    before = check_consistent(ix)
    make_corpus(src, 20, "more", seed=2)
    real_fsync = index.manifest.os.fsync

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(index.manifest.os, "fsync", fsync)
    with pytest.raises(IndexWriteFailed):
        build_in_process(src, ix)
    monkeypatch.setattr(index.manifest.os, "fsync", real_fsync)
    assert check_consistent(ix) == before
    assert not list(ix.glob(".*.tmp"))


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child: writes past `limit` bytes fail (EFBIG) instead of killing it
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_real_write_failure_in_a_subprocess(tmp_path):
    """A real refused write, not a mock: the child may not grow any file past 600 KB."""
    src, ix = tmp_path / "src", tmp_path / "ix"
    make_corpus(src, 60, "base", seed=1)
    build_in_process(src, ix)
    before = check_consistent(ix)
    make_corpus(src, 200, "more", seed=2)
    result = subprocess.run(index_cmd(src, ix), env=FAKE_ENV, capture_output=True, text=True, timeout=120,
                            preexec_fn=_limit_file_size(600_000))
    assert result.returncode == IndexWriteFailed.exit_code, result.stderr
    assert "Traceback" not in result.stderr and "previous index is still the live one" in result.stderr
    assert check_consistent(ix) == before


def mnt_free(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def test_real_full_disk_on_a_small_tmpfs(tmp_path):
    """ENOSPC from a real 4 MB filesystem (needs root and mount; skipped elsewhere)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        src, ix = tmp_path / "src", mnt / "ix"
        make_corpus(src, 150, "base", seed=1)
        build_in_process(src, ix)
        before = check_consistent(ix)
        make_corpus(src, 300, "more", seed=2)
        result = subprocess.run(index_cmd(src, ix), env=FAKE_ENV, capture_output=True, text=True, timeout=120)
        assert result.returncode == IndexWriteFailed.exit_code, result.stderr
        assert "Traceback" not in result.stderr and "full" in result.stderr
        assert check_consistent(ix) == before
        assert [p.name for p in ix.glob("g*")] == [before[0]]  # space given back

        # A first build on a disk that is already full: the same one line, not "damaged".
        with contextlib.suppress(OSError):  # filling it up may itself hit the wall: that is the point
            (mnt / "filler").write_bytes(b"\0" * max(0, mnt_free(mnt) - 4096))
        first = subprocess.run(index_cmd(src, mnt / "new"), env=FAKE_ENV, capture_output=True, text=True, timeout=120)
        assert first.returncode == IndexWriteFailed.exit_code, first.stderr
        assert "no index was created" in first.stderr and "Traceback" not in first.stderr
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)
