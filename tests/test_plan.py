"""The incremental-update rules, as a pure function."""

from index.plan import plan_update

ROOT = "/data/news"


def test_new_changed_gone_and_duplicate_files():
    indexed_sources = {
        f"{ROOT}/a.txt": ("A", ROOT),
        f"{ROOT}/b.txt": ("B", ROOT),
        f"{ROOT}/gone.txt": ("G", ROOT),
        "/elsewhere/x.txt": ("X", "/elsewhere"),
    }
    found = {f"{ROOT}/a.txt": "A", f"{ROOT}/b.txt": "B2", f"{ROOT}/new.txt": "N", f"{ROOT}/copy-of-a.txt": "A"}
    plan = plan_update(found, indexed_sources, {"A", "B", "G", "X"}, [ROOT], present=set(found))
    assert plan.add == ["B2", "N"]  # A is indexed already: its copy is not embedded again
    assert plan.remove == ["B", "G"]  # X came from another root and stays
    assert plan.drop_sources == [f"{ROOT}/gone.txt"]
    assert plan.set_sources == {f"{ROOT}/b.txt": "B2", f"{ROOT}/new.txt": "N", f"{ROOT}/copy-of-a.txt": "A"}
    assert plan.unchanged == 1


def test_unreadable_file_keeps_its_indexed_version():
    sources = {f"{ROOT}/a.txt": ("A", ROOT)}
    plan = plan_update({}, sources, {"A"}, [ROOT], present={f"{ROOT}/a.txt"})
    assert plan.empty


def test_nothing_changed_is_empty():
    sources = {f"{ROOT}/a.txt": ("A", ROOT)}
    plan = plan_update({f"{ROOT}/a.txt": "A"}, sources, {"A"}, [ROOT], present={f"{ROOT}/a.txt"})
    assert plan.empty and plan.unchanged == 1
