"""The on-disk index: round trip, incremental updates, refusals and damage, with a fake embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import FakeFactory

from index.errors import IndexCorrupt, IndexNotFound, ModelMismatch
from index.layout import open_index
from index.pipeline import index_paths
from index.remove import remove_documents


def build(paths, index_dir, factory, **kw):
    return index_paths(paths, index_dir, embedder_factory=factory, quotes=False, **kw)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


ARTICLE = "Budget talks stall\n\nThe finance minister said on Monday that talks on the budget had stalled.\n\nOpposition parties want more spending on schools."


def test_round_trip(seed_copy, tmp_path):
    factory = FakeFactory()
    report = build([seed_copy], tmp_path / "ix", factory)
    assert report.added == 2 and report.passages_added > 20
    ix = open_index(tmp_path / "ix")
    try:
        assert ix.vectors.ntotal == ix.store.counts()["passages"] == ix.manifest.counts["passages"]
        for info in ix.store.documents():
            doc = ix.store.document(info.id)
            assert doc.text == (seed_copy / Path(info.source).name).read_text(encoding="utf-8").strip()
            for p in ix.store.passages_of(info.id):
                assert doc.text[p.start : p.end] == p.text
                assert ix.store.passage(p.id) == p
        assert ix.manifest.model.name == "fake-embedder" or ix.manifest.model.dim == 64
    finally:
        ix.close()


def test_incremental_reembeds_only_what_changed(tmp_path):
    src, ix = tmp_path / "src", tmp_path / "ix"
    write(src, "a.txt", ARTICLE)
    write(src, "b.txt", ARTICLE.replace("Monday", "Tuesday"))
    factory = FakeFactory()
    build([src], ix, factory)
    first = len(factory.embedder.encoded)

    assert build([src], ix, factory).generation is None  # nothing changed: no new generation
    assert len(factory.embedder.encoded) == first

    write(src, "b.txt", ARTICLE.replace("Monday", "Friday"))
    write(src, "c.txt", ARTICLE)  # same content as a.txt: stored once
    report = build([src], ix, factory)
    assert (report.added, report.removed) == (1, 1)
    # only the changed b.txt was embedded again (a and b have the same number of passages)
    assert len(factory.embedder.encoded) - first == first // 2
    assert any("Friday" in t for t in factory.embedder.encoded[first:])

    (src / "b.txt").unlink()
    report = build([src], ix, factory)
    assert (report.added, report.removed) == (0, 1)
    opened = open_index(ix)
    assert opened.store.counts()["documents"] == 1 and len(opened.store.sources()) == 2
    opened.close()


def test_other_roots_are_left_alone(tmp_path):
    factory = FakeFactory()
    write(tmp_path / "one", "a.txt", ARTICLE)
    write(tmp_path / "two", "b.txt", ARTICLE + "\n\nMore.")
    build([tmp_path / "one"], tmp_path / "ix", factory)
    build([tmp_path / "two"], tmp_path / "ix", factory)
    opened = open_index(tmp_path / "ix")
    assert opened.store.counts()["documents"] == 2
    opened.close()


def test_model_mismatch_is_refused(tmp_path):
    write(tmp_path / "src", "a.txt", ARTICLE)
    build([tmp_path / "src"], tmp_path / "ix", FakeFactory())
    with pytest.raises(ModelMismatch, match="--rebuild"):
        open_index(tmp_path / "ix", model="some-other-model")
    with pytest.raises(ModelMismatch):
        build([tmp_path / "src"], tmp_path / "ix", FakeFactory(), model="some-other-model")
    report = build([tmp_path / "src"], tmp_path / "ix", FakeFactory(dim=32), model="some-other-model", rebuild=True)
    assert report.added == 1
    assert open_index(tmp_path / "ix").manifest.model.dim == 32


def test_unreadable_files_are_skipped_and_the_rest_indexed(tmp_path):
    src = tmp_path / "src"
    write(src, "a.txt", ARTICLE)
    (src / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (src / "empty.txt").write_text("")
    report = build([src], tmp_path / "ix", FakeFactory())
    assert report.added == 1
    assert sorted(Path(s.path).name for s in report.skipped) == ["bin.txt", "empty.txt"]


def test_missing_damaged_and_truncated_indexes_say_what_to_run(tmp_path):
    with pytest.raises(IndexNotFound, match="qa index"):
        open_index(tmp_path / "nothing")
    write(tmp_path / "src", "a.txt", ARTICLE)
    ix = tmp_path / "ix"
    build([tmp_path / "src"], ix, FakeFactory())
    manifest = json.loads((ix / "manifest.json").read_text())
    vec_file = ix / manifest["generation"] / "vectors.faiss"
    data = vec_file.read_bytes()
    vec_file.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexCorrupt, match="--rebuild"):
        open_index(ix)
    vec_file.write_bytes(data)
    (ix / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorrupt, match="manifest"):
        open_index(ix)


def test_killed_update_leaves_previous_generation_live(tmp_path, monkeypatch):
    src, ix = tmp_path / "src", tmp_path / "ix"
    write(src, "a.txt", ARTICLE)
    build([src], ix, FakeFactory())
    before = json.loads((ix / "manifest.json").read_text())["generation"]
    write(src, "b.txt", ARTICLE + "\n\nAnother paragraph here.")
    import index.layout

    def boom(*a, **k):
        raise KeyboardInterrupt  # as if killed just before the manifest swap

    monkeypatch.setattr(index.layout, "write_manifest", boom)
    with pytest.raises(KeyboardInterrupt):
        build([src], ix, FakeFactory())
    monkeypatch.undo()
    opened = open_index(ix)
    assert opened.manifest.generation == before and opened.store.counts()["documents"] == 1
    opened.close()
    assert build([src], ix, FakeFactory()).added == 1


def test_remove_by_id_prefix_and_path(seed_copy, tmp_path):
    ix = tmp_path / "ix"
    build([seed_copy], ix, FakeFactory())
    docs = open_index(ix).store.documents()
    removed = remove_documents(ix, [docs[0].id[:8]])
    assert [d.id for d in removed] == [docs[0].id]
    opened = open_index(ix)
    assert [d.id for d in opened.store.documents()] == [docs[1].id]
    assert opened.vectors.ntotal == opened.store.counts()["passages"]


def test_manifest_records_the_encoder_backends_and_queries_warn_on_another(tmp_path, caplog):
    import logging

    from qa.engine import _warn_backend

    class Backend(FakeFactory):
        def __init__(self, backend: str) -> None:
            super().__init__()
            self.backend = backend

        def __call__(self, name: str):
            embedder = super().__call__(name)
            embedder.backend = self.backend
            return embedder

    write(tmp_path / "src", "a.txt", ARTICLE)
    build([tmp_path / "src"], tmp_path / "ix", Backend("torch"))
    assert open_index(tmp_path / "ix").manifest.model.backends == ["torch"]
    write(tmp_path / "src", "b.txt", ARTICLE.replace("Budget", "Tax"))
    build([tmp_path / "src"], tmp_path / "ix", Backend("onnx-int8"))
    write(tmp_path / "src", "c.txt", ARTICLE.replace("Budget", "Rates"))
    build([tmp_path / "src"], tmp_path / "ix", Backend("torch"))
    backends = open_index(tmp_path / "ix").manifest.model.backends
    assert backends == ["torch", "onnx-int8"]
    with caplog.at_level(logging.WARNING, logger="qa.engine"):
        _warn_backend(backends, "torch")
        assert not caplog.records
        _warn_backend(["onnx-int8"], "torch")
    assert "SOURCEQA_EMBED_BACKEND=onnx-int8" in caplog.text
