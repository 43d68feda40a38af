"""Removing documents by what a user knows of them: id, id prefix, source path or title."""

from __future__ import annotations

from pathlib import Path

from index import vectors
from index.errors import BadInput
from index.layout import IndexWriter, open_index
from index.store import DocumentInfo, Store


def resolve_selector(store: Store, selector: str) -> DocumentInfo:
    """The one document `selector` names; BadInput if none or several do."""
    docs = store.documents()
    sources = store.sources()
    path = str(Path(selector).expanduser().resolve())
    matches = [d for d in docs if d.id == selector]
    matches = matches or [d for d in docs if len(selector) >= 6 and d.id.startswith(selector)]
    matches = matches or [d for d in docs if sources.get(path, ("",))[0] == d.id or d.source == path]
    matches = matches or [d for d in docs if d.title.strip().lower() == selector.strip().lower()]
    if not matches:
        raise BadInput(f"no indexed document matches {selector!r}; `qa docs` lists them with their ids")
    if len(matches) > 1:
        ids = ", ".join(d.id for d in matches[:5])
        raise BadInput(f"{selector!r} matches {len(matches)} documents ({ids}); give a document id")
    return matches[0]


def remove_documents(index_dir: Path, selectors: list[str]) -> list[DocumentInfo]:
    current = open_index(index_dir)
    try:
        targets = {d.id: d for d in (resolve_selector(current.store, s) for s in selectors)}
    finally:
        current.close()
    m = current.manifest
    with IndexWriter(index_dir, m.model.name, m.model.dim, m.chunking) as writer:
        for doc_id in targets:
            vectors.remove(writer.vectors, writer.store.remove_document(doc_id))
        docs = {d: h for d, h in m.documents.items() if d not in targets}
        writer.publish(docs, m.nlp_model)
    return list(targets.values())
