"""Uploaded file names are sanitised and nothing is written or deleted outside the uploads folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui.uploads import copy_uploads, delete_uploaded, safe_name, uploads_dir_for


@pytest.mark.parametrize("given, stored", [
    ("notes.txt", "notes.txt"),
    ("C:\\Users\\me\\Report 2024.PDF", "Report 2024.pdf"),
    ("dir/sub/article.html", "article.html"),
    ("we<ird>|na:me?.md", "we_ird_na_me.md"),
])
def test_safe_name_keeps_the_basename(given, stored):
    assert safe_name(given) == stored


@pytest.mark.parametrize("given, reason", [
    ("../../etc/passwd.txt", None),  # basename only: "passwd.txt" is fine and stays inside
    ("..", "'..'"),
    ("a..b.txt", "'..'"),
    (".env.txt", "hidden"),
    ("run.sh", "unsupported file type '.sh'"),
    ("noext", "unsupported file type '(none)'"),
    ("", "empty"),
])
def test_safe_name_refuses_with_a_reason(given, reason):
    if reason is None:
        assert safe_name(given) == "passwd.txt"
        return
    with pytest.raises(ValueError, match=re.escape(reason)):
        safe_name(given)


def test_copy_uploads_writes_only_inside_the_folder(tmp_path: Path):
    src = tmp_path / "incoming"
    src.mkdir()
    ok, big, bad = src / "a.txt", src / "b.txt", src / "c.exe"
    ok.write_text("hello")
    big.write_text("x" * 200)
    bad.write_text("MZ")
    target = tmp_path / "data" / "uploads"
    stored, refused = copy_uploads([("../../a.txt", ok), ("b.txt", big), ("c.exe", bad)], target, max_bytes=100)
    assert stored == [(target / "a.txt").resolve()]
    assert (target / "a.txt").read_text() == "hello"
    assert sorted(r.name for r in refused) == ["b.txt", "c.exe"]
    assert "over the" in next(r.reason for r in refused if r.name == "b.txt")
    assert sorted(p.name for p in tmp_path.rglob("a.txt")) == ["a.txt", "a.txt"]  # the source and its one copy


def test_delete_uploaded_never_touches_files_elsewhere(tmp_path: Path):
    target = tmp_path / "uploads"
    target.mkdir()
    inside, outside = target / "x.txt", tmp_path / "seeds.txt"
    inside.write_text("1")
    outside.write_text("2")
    assert delete_uploaded([str(inside), str(outside), str(target / "gone.txt")], target) == [inside.resolve()]
    assert not inside.exists() and outside.exists()


def test_uploads_sit_beside_the_index(tmp_path: Path):
    assert uploads_dir_for(tmp_path / "data" / "index") == (tmp_path / "data" / "uploads").resolve()


def test_uploads_load_the_nlp_pipeline_once(tmp_path: Path, seed_engine):
    """The app keeps one spaCy pipeline across uploads instead of loading it (about 4 s) for each."""
    from ui.documents import DocumentsTab

    tab = DocumentsTab(seed_engine, tmp_path / "uploads")
    assert tab._load_nlp(None) is tab._load_nlp(None)
    src = tmp_path / "src"
    src.mkdir()
    loads = []

    def counting(name):
        loads.append(name)
        return tab._load_nlp(name)

    from fakes import FakeFactory
    from index.pipeline import index_paths

    for i, text in enumerate(['Title one\n\n"We will win," said Jane Smith.', 'Title two\n\n"Prices rise," said Tom Brown.']):
        (src / f"{i}.txt").write_text(text)
        report = index_paths([src], tmp_path / "ix", embedder_factory=FakeFactory(), nlp_loader=counting)
        assert report.added == 1 and report.quotes_added >= 1
    assert len(loads) == 2  # each update asked the loader, which loaded spaCy once
