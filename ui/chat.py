"""The Chat tab: a conversation on the left, the selected source in its document on the right.

The conversation of each browser session lives in a gr.State (a list of `Answer`), never in
this module, so two users never see each other's turns. Asking is two events: the first shows
the question at once with a "searching" bubble, the second asks the engine.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

import gradio as gr

from index.errors import SourceqaError
from qa.engine import Engine
from qa.models import Answer
from qa.quotes import list_speakers
from ui.export import conversation_markdown
from ui.render import conversation_html, error_html, esc
from ui.source_view import SourceTarget, chips_html, source_html, target_of

log = logging.getLogger(__name__)

MODES = ["hybrid", "dense", "bm25"]
# Turns a click on a citation or an example question into a `cite` / `example` event for Python.
# Bound once per element: the listener sits on the container, so re-rendered turns need no rebinding.
CLICK_JS = """
if (!element.dataset.qaBound) {
  element.dataset.qaBound = "1";
  element.addEventListener('click', (event) => {
    const ref = event.target.closest('[data-key]');
    if (ref) { trigger('cite', {turn: Number(ref.dataset.turn), key: ref.dataset.key}); return; }
    const example = event.target.closest('[data-example]');
    if (example) { trigger('example', {question: example.dataset.example}); }
  });
}
"""
# A new turn scrolls the chat so its question is at the top: the answer is read from its start.
CHAT_JS = CLICK_JS + """
watch('value', () => {
  const turns = element.querySelectorAll('.qa-turn');
  const box = element.closest('#qa-chat');
  if (turns.length && box) {
    const last = turns[turns.length - 1];
    const offset = last.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTo({top: box.scrollTop + offset - 8, behavior: 'smooth'});
  }
});
"""
# The panel brings the highlighted words into view whenever it shows a new passage.
PANEL_JS = CLICK_JS + """
watch('value', () => {
  const mark = element.querySelector('mark.qa-cited');
  const box = element.closest('#qa-panel');
  if (mark && box) {  // scroll the panel only, not the page: the question box stays where it is
    const top = mark.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    const fits = top + mark.offsetHeight < box.clientHeight * 0.85;  // visible from the top: keep the title in view
    box.scrollTo({top: fits ? 0 : top - box.clientHeight * 0.4, behavior: 'smooth'});
  }
});
"""


def example_questions(engine: Engine, limit: int = 4) -> list[str]:
    """Questions to try, built from the index itself: the most quoted speakers, else generic ones."""
    people = [s for s in list_speakers(engine.quotes()) if s.kind == "person"]
    questions = [f"What did {s.speaker} say?" for s in people[: limit - 1]]
    # The shortest title makes the most readable example; a 200-character one is no invitation.
    titles = sorted((d.title for d in engine.store.documents() if d.title), key=len)
    if titles and len(titles[0]) <= 80:
        questions.append(f"What is “{titles[0]}” about?")
    return questions[:limit] or ["What are these sources about?"]


class ChatTab:
    """Builds the Chat tab and handles its events for one engine."""

    def __init__(self, engine: Engine, export_dir: Path) -> None:
        self.engine = engine
        self.export_dir = export_dir

    # ---- event handlers (pure of any module state: everything per-session comes in as State) --

    def show_pending(self, question: str, answers: list[Answer], examples: list[str]):
        """Step 1 of asking: echo the question at once and clear the box."""
        question = (question or "").strip()
        if not question:
            return gr.skip(), gr.skip(), ""
        return conversation_html(answers, examples, pending=question), "", question

    def answer(self, pending: str, answers: list[Answer], examples: list[str], mode: str, k: float, request: gr.Request):
        """Step 2: ask the engine with the earlier questions as history; show the first citation."""
        if not pending:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), ""
        history = [a.question for a in answers]
        try:
            answer = self.engine.ask(pending, history, mode=mode if mode in MODES else "hybrid", k=int(k))
        except SourceqaError as exc:
            log.warning("question %r failed: %s", pending, exc)
            gr.Warning(str(exc))
            return answers, conversation_html(answers, examples) + error_html(str(exc)), gr.skip(), gr.skip(), ""
        answers = [*answers, answer]
        turn = len(answers) - 1
        first = "c1" if answer.citations else ("r0" if answer.abstained and answer.retrieved else "")
        panel = self.panel(answers, turn, first)
        return answers, conversation_html(answers, examples), panel, self.export(answers, request.session_hash or ""), ""

    def cite(self, answers: list[Answer], evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        turn, key = data.get("turn"), str(data.get("key", ""))
        if not isinstance(turn, int) or not 0 <= turn < len(answers):
            return gr.skip()
        return self.panel(answers, turn, key)

    def example(self, answers: list[Answer], examples: list[str], evt: gr.EventData):
        question = str((getattr(evt, "_data", None) or {}).get("question", "")).strip()
        return self.show_pending(question, answers, examples)

    def clear(self, examples: list[str]):
        return [], conversation_html([], examples), source_html(None, None), None, ""

    def load(self):
        """On page load: this session's example questions, from the index as it is now."""
        examples = example_questions(self.engine)
        return examples, conversation_html([], examples)

    # ---- helpers -------------------------------------------------------------------------

    def panel(self, answers: list[Answer], turn: int, key: str) -> str:
        answer = answers[turn]
        target = target_of(answer, key) if key else None
        header = f'<div class="qa-panel-for">Sources for: <q>{esc(answer.question)}</q></div>'
        return source_html(target, self._document(target), header + chips_html(answer, turn, key))

    def _document(self, target: SourceTarget | None):
        if target is None:
            return None
        try:
            return self.engine.store.document(target.doc_id)
        except SourceqaError as exc:
            log.warning("cannot load document %s: %s", target.doc_id, exc)
            return None

    def export(self, answers: list[Answer], session: str) -> str:
        """The conversation as Markdown for the download button: one file per session, rewritten each turn."""
        folder = self.export_dir / (re.sub(r"\W", "", session) or "session")
        folder.mkdir(exist_ok=True)
        path = folder / f"sourceqa-conversation-{datetime.now():%Y%m%d}.md"
        path.write_text(conversation_markdown(answers, self.engine.index_dir.name), encoding="utf-8")
        return str(path)

    # ---- layout --------------------------------------------------------------------------

    def build(self) -> None:
        answers = gr.State([])
        examples = gr.State([])
        pending = gr.State("")
        with gr.Row(equal_height=False, elem_id="qa-chat-row"):
            with gr.Column(scale=3, min_width=420):
                chat = gr.HTML(conversation_html([], []), elem_id="qa-chat", js_on_load=CHAT_JS)
                with gr.Row(elem_id="qa-ask-row"):
                    box = gr.Textbox(placeholder="Ask about your sources, e.g. What did … say?", show_label=False,
                                     scale=8, lines=1, max_lines=4, elem_id="qa-question", autofocus=True)
                    send = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="qa-send")
                with gr.Row(elem_id="qa-tools", equal_height=True):
                    with gr.Accordion("Retrieval settings", open=False, elem_id="qa-settings"):
                        with gr.Row():
                            mode = gr.Radio(MODES, value="hybrid", label="Retrieval mode", min_width=240, elem_id="qa-mode",
                                            info="hybrid: meaning + keywords; dense: meaning; bm25: keywords")
                            k = gr.Slider(1, 30, value=10, step=1, label="Passages retrieved (k)", min_width=200, elem_id="qa-k")
                    new = gr.Button("New conversation", size="sm", scale=0, min_width=150, elem_id="qa-new")
                    download = gr.DownloadButton("Export Markdown", value=None, size="sm", scale=0, min_width=150, elem_id="qa-export")
            with gr.Column(scale=2, min_width=340, elem_id="qa-side"):
                panel = gr.HTML(source_html(None, None), elem_id="qa-panel", js_on_load=PANEL_JS)
        self._wire(chat, box, send, mode, k, new, download, panel, answers, examples, pending)

    def _wire(self, chat, box, send, mode, k, new, download, panel, answers, examples, pending) -> None:
        # The public API is ui/api.py; these UI events carry HTML and session state.
        hidden = {"api_visibility": "undocumented"}
        for trigger in (box.submit, send.click):
            trigger(self.show_pending, [box, answers, examples], [chat, box, pending], show_progress="hidden", **hidden).then(
                self.answer, [pending, answers, examples, mode, k], [answers, chat, panel, download, pending],
                show_progress="hidden", **hidden)
        chat.example(self.example, [answers, examples], [chat, box, pending], show_progress="hidden", **hidden).then(
            self.answer, [pending, answers, examples, mode, k], [answers, chat, panel, download, pending], show_progress="hidden", **hidden)
        chat.cite(self.cite, [answers], [panel], show_progress="hidden", **hidden)
        panel.cite(self.cite, [answers], [panel], show_progress="hidden", **hidden)
        new.click(self.clear, [examples], [answers, chat, panel, download, pending], **hidden)
        self.on_load = (self.load, [], [examples, chat])
