"""The Documents tab: what is indexed, adding uploads, removing a document.

Uploads are copied into the uploads folder beside the index (ui/uploads.py) and indexed with
`index_paths` on that folder; the engine picks up the new generation by itself. Index writes
share one Gradio concurrency group, so two users uploading at once queue instead of colliding
on the index lock.
"""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from index.errors import SourceqaError
from index.pipeline import IndexReport, index_paths
from index.remove import remove_documents
from qa.engine import Engine
from ui.render import esc
from ui.uploads import Refused, copy_uploads, delete_uploaded, uploads_dir_for

log = logging.getLogger(__name__)

COLUMNS = ["Title", "Author", "Date", "Passages", "File", "Id"]
WRITES = "index-writes"


def document_rows(engine: Engine) -> list[list]:
    return [[d.title, d.author or "", d.date or "", d.passages, Path(d.source).name, d.id] for d in engine.store.documents()]


def document_choices(engine: Engine) -> list[tuple[str, str]]:
    return [(f"{d.title} ({d.id[:10]})", d.id) for d in engine.store.documents()]


def report_html(report: IndexReport | None, refused: list[Refused], error: str = "") -> str:
    """What an upload did, with one line per file that was refused or could not be read."""
    lines = []
    if error:
        lines.append(f'<div class="qa-error">{esc(error)}</div>')
    if report is not None:
        total = report.seconds.get("total", 0.0)
        lines.append(
            f'<div class="qa-ok">Added {report.added} document(s), {report.passages_added} passages; '
            f"{report.unchanged} unchanged, {report.removed} replaced or removed, in {total:.1f} s.</div>"
        )
    problems = [(r.name, r.reason) for r in refused]
    problems += [(Path(s.path).name, s.reason) for s in (report.skipped if report else [])]
    if problems:
        rows = "".join(f"<li><b>{esc(name)}</b>: {esc(reason)}</li>" for name, reason in problems)
        lines.append(f'<div class="qa-file-errors"><div class="qa-section-title">Not indexed</div><ul>{rows}</ul></div>')
    return "".join(lines)


class DocumentsTab:
    def __init__(self, engine: Engine, uploads_dir: Path | None = None) -> None:
        self.engine = engine
        self.uploads_dir = uploads_dir or uploads_dir_for(engine.index_dir)
        self._nlp = None  # loaded at the first upload (about 4 s), then kept for the next ones

    def _load_nlp(self, name: str | None):
        from index.nlp import load_nlp

        if self._nlp is None:
            self._nlp = load_nlp(name)
        return self._nlp

    def _embedder(self, name: str):
        # The engine's model is already in memory; loading a second copy would double RAM and wait.
        if name == self.engine.index.manifest.model.name:
            return self.engine.embedder
        from index.embed import SentenceEmbedder

        return SentenceEmbedder(name)

    def refresh(self):
        return document_rows(self.engine), gr.update(choices=document_choices(self.engine), value=None)

    def upload(self, files: list | None, progress=gr.Progress(track_tqdm=True)):
        """Copy the files into the uploads folder and index it; report per-file problems."""
        if not files:
            return (report_html(None, [], "Choose one or more files first."), *self.refresh(), None)
        pairs = [(_original_name(f), Path(_temp_path(f))) for f in files]
        progress(0.02, desc=f"Copying {len(pairs)} file(s)")
        stored, refused = copy_uploads(pairs, self.uploads_dir)
        report, error = None, ""
        if stored:
            progress(0.1, desc="Reading, annotating and embedding")
            try:
                report = index_paths([self.uploads_dir], self.engine.index_dir, embedder_factory=self._embedder,
                                     nlp_loader=self._load_nlp)
            except SourceqaError as exc:
                log.warning("upload indexing failed: %s", exc)
                error = str(exc)
        log.info("upload: %d stored, %d refused%s", len(stored), len(refused), f", {report.added} added" if report else "")
        return (report_html(report, refused, error), *self.refresh(), None)

    def remove(self, doc_id: str | None):
        if not doc_id:
            return (report_html(None, [], "Choose a document to remove."), *self.refresh())
        sources = [p for p, (d, _) in self.engine.store.sources().items() if d == doc_id]
        try:
            removed = remove_documents(self.engine.index_dir, [doc_id])
        except SourceqaError as exc:
            return (report_html(None, [], str(exc)), *self.refresh())
        delete_uploaded(sources, self.uploads_dir)
        titles = ", ".join(d.title for d in removed)
        return (f'<div class="qa-ok">Removed {esc(titles)}.</div>', *self.refresh())

    def build(self) -> None:
        with gr.Row():
            with gr.Column(scale=3):
                table = gr.Dataframe(headers=COLUMNS, value=document_rows(self.engine), interactive=False, wrap=True,
                                     label="Indexed documents", elem_id="qa-docs-table", column_widths=["34%", "13%", "10%", "10%", "18%", "15%"])
            with gr.Column(scale=1, min_width=300):
                # No file_types filter: Gradio would refuse the whole batch for one odd file; each
                # file is checked on its own instead, and the refusals are listed with their reasons.
                files = gr.File(label="Add documents (.txt .md .html .pdf .docx)", file_count="multiple", elem_id="qa-upload")
                add = gr.Button("Add to index", variant="primary", elem_id="qa-add")
                status = gr.HTML(elem_id="qa-upload-status")
                pick = gr.Dropdown(choices=document_choices(self.engine), label="Remove a document", elem_id="qa-remove-pick")
                remove = gr.Button("Remove", variant="stop", size="sm", elem_id="qa-remove")
        added = add.click(self.upload, [files], [status, table, pick, files], concurrency_id=WRITES, concurrency_limit=1,
                          api_name="upload")
        removed = remove.click(self.remove, [pick], [status, table, pick], concurrency_id=WRITES, concurrency_limit=1,
                               api_name="remove")
        self.changed = [added, removed]  # the app chains refreshes of what else shows the collection
        self.on_load = (self.refresh, [], [table, pick])


def _temp_path(f) -> str:
    return str(getattr(f, "path", None) or getattr(f, "name", None) or f)


def _original_name(f) -> str:
    # Gradio keeps the browser's file name as orig_name on its FileData; a plain path has only its own.
    return str(getattr(f, "orig_name", None) or Path(_temp_path(f)).name)
