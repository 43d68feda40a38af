"""The browser app: `build_app(engine)` lays out the tabs; `launch_app` serves it.

One engine per process, built by the entry point (qa serve, or a test) and passed in. Nothing
per-user lives here: each tab keeps a session's data in gr.State.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from qa.engine import Engine
from ui.api import register_api
from ui.chat import ChatTab
from ui.documents import DocumentsTab
from ui.evaluate_tab import EvaluateTab
from ui.quotes_tab import QuotesTab
from ui.render import esc

log = logging.getLogger(__name__)

CSS_PATH = Path(__file__).with_name("style.css")


def theme() -> gr.themes.Base:
    # System fonts only: the default theme fetches Google Fonts, which an offline laptop cannot reach.
    sans = ["Inter", "ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Helvetica Neue", "Arial", "sans-serif"]
    mono = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]
    return gr.themes.Soft(primary_hue="indigo", secondary_hue="slate", neutral_hue="slate", font=sans, font_mono=mono).set(
        body_background_fill="#f6f7fb", block_radius="10px", button_large_radius="8px"
    )


def header_html(engine: Engine) -> str:
    docs = engine.store.documents()
    passages = sum(d.passages for d in docs)
    info = f"{len(docs)} documents · {passages} passages · index {engine.index_dir}"
    return (
        '<div class="qa-header"><div class="qa-logo">Source<span>qa</span></div>'
        '<div class="qa-tagline">Answers from your own sources, every claim cited to its passage.</div>'
        f'<div class="qa-index-info">{esc(info)}</div></div>'
    )


def build_app(engine: Engine, uploads_dir: Path | None = None) -> gr.Blocks:
    """The whole app over one engine; `uploads_dir` defaults to <index>/../uploads."""
    work_dir = Path(tempfile.mkdtemp(prefix="sourceqa-ui-"))  # exports and reports; under the temp dir Gradio serves from
    # Exports and reports are per process and worthless after it: remove them at exit.
    atexit.register(shutil.rmtree, work_dir, ignore_errors=True)
    chat = ChatTab(engine, work_dir)
    quotes = QuotesTab(engine)
    documents = DocumentsTab(engine, uploads_dir)
    evaluate = EvaluateTab(engine, work_dir)
    with gr.Blocks(title="Sourceqa", analytics_enabled=False, fill_width=True) as app:
        header = gr.HTML(header_html(engine), elem_id="qa-header-block")
        with gr.Tabs(elem_id="qa-tabs"):
            with gr.Tab("Chat", id="chat", elem_id="qa-tab-chat"):
                chat.build()
            with gr.Tab("Quotes", id="quotes", elem_id="qa-tab-quotes"):
                quotes.build()
            with gr.Tab("Documents", id="documents", elem_id="qa-tab-documents"):
                documents.build()
            with gr.Tab("Evaluate", id="evaluate", elem_id="qa-tab-evaluate"):
                evaluate.build()
        register_api(engine)
        for fn, inputs, outputs in (chat.on_load, quotes.on_load, documents.on_load):
            app.load(fn, inputs, outputs, api_visibility="undocumented", show_progress="hidden")
        app.load(lambda: header_html(engine), None, header, api_visibility="undocumented", show_progress="hidden")
        for event in documents.changed:
            event.then(lambda: (header_html(engine), quotes.speakers()), None, [header, quotes.table],
                       api_visibility="undocumented", show_progress="hidden")
    return app


def launch_app(app: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
               block: bool = True, on_ready: Callable[[], object] | None = None) -> str:
    """Serve `app`; returns its local URL (once `block=False` has it running in the background).
    `on_ready` runs once the port is open, before blocking."""
    _, url, _ = app.launch(
        server_name=host, server_port=port, auth=auth, prevent_thread_lock=True, quiet=True, show_error=True,
        theme=theme(), css=CSS_PATH.read_text(encoding="utf-8"), footer_links=["api"], max_file_size="50mb",
    )
    if on_ready is not None:
        on_ready()
    if block:
        app.block_thread()
    return url
