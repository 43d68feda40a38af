"""What an incremental update has to do, worked out from what is on disk and what is indexed.

A pure function of two mappings, so the rules can be tested without models or files:
- a document whose content is already indexed (same content hash) is not embedded again,
  whatever its path: identical content is stored once;
- a source that was indexed from one of the roots and is gone from disk loses its entry;
- a document no source refers to any more is removed.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class UpdatePlan(BaseModel):
    add: list[str] = Field(default_factory=list, description="doc_ids to read in and embed.")
    remove: list[str] = Field(default_factory=list, description="doc_ids to delete.")
    set_sources: dict[str, str] = Field(default_factory=dict, description="path -> doc_id to (re)record.")
    drop_sources: list[str] = Field(default_factory=list, description="paths to forget.")
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.add or self.remove or self.set_sources or self.drop_sources)


def under_root(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def plan_update(
    found: dict[str, str],
    indexed_sources: dict[str, tuple[str, str]],
    indexed_docs: set[str],
    roots: list[str],
    present: set[str],
) -> UpdatePlan:
    """found: path -> doc_id of files read now. indexed_sources: path -> (doc_id, root).
    present: every supported file found on disk under the roots, read or not (an unreadable
    file keeps its old version rather than vanishing from the index)."""
    plan = UpdatePlan()
    for path, doc_id in found.items():
        old = indexed_sources.get(path)
        if old is None or old[0] != doc_id:
            plan.set_sources[path] = doc_id
        elif doc_id in indexed_docs:
            plan.unchanged += 1
    plan.add = sorted({d for d in found.values() if d not in indexed_docs})
    plan.drop_sources = sorted(
        p for p, (_, root) in indexed_sources.items() if under_root(p, roots) and p not in present
    )
    referenced = {d for p, (d, _) in indexed_sources.items() if p not in plan.drop_sources and p not in plan.set_sources}
    referenced |= set(plan.set_sources.values())
    plan.remove = sorted(d for d in indexed_docs if d not in referenced)
    return plan
