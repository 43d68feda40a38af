"""The app's API through gradio_client, against the app served on a free local port over the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui_serving import serving, writable_engine

gradio_client = pytest.importorskip("gradio_client")


@pytest.fixture(scope="module")
def client(seed_index, real_embedder, tmp_path_factory):
    engine = writable_engine(seed_index, tmp_path_factory.mktemp("ui-client"), real_embedder)
    with serving(engine) as url:
        yield gradio_client.Client(url, verbose=False)
    engine.close()


def test_ask_returns_an_answer_with_a_verbatim_citation(client):
    answer = client.predict("What did Chemezov say?", api_name="/ask")
    assert not answer["abstained"]
    assert answer["citations"], answer["answer"]
    c = answer["citations"][0]
    assert c["text"][c["start"] : c["end"]] == c["quote"]
    # Statements may name him by role ("the head of Rostec"); the speaker field carries his name.
    said_by = {s["speaker"] for s in answer["statements"]} or {"Chemezov" if "Chemezov" in c["text"] else "?"}
    assert all("Chemezov" in name for name in said_by), said_by


def test_follow_up_uses_the_history_it_is_given(client):
    answer = client.predict("What did he say?", ["Who heads the FSMTC?"], "hybrid", 5, api_name="/ask")
    assert answer["resolved_question"] != answer["question"]
    assert "Shugaev" in answer["resolved_question"]


def test_bad_input_comes_back_as_a_readable_error(client):
    with pytest.raises(Exception, match="k of 500"):
        client.predict("What did Chemezov say?", None, "hybrid", 500, api_name="/ask")


def test_documents_passage_quotes_and_speakers(client):
    docs = client.predict(api_name="/documents")
    assert len(docs) == 2 and all(d["passages"] > 0 for d in docs)
    first = client.predict("What did Chemezov say?", api_name="/ask")["citations"][0]
    passage = client.predict(first["passage_id"], api_name="/passage")
    assert passage["text"] == first["text"] and passage["title"]
    statements = client.predict("chemezow", "", api_name="/quotes")  # misspelt on purpose
    assert statements["speakers"] == ["Sergei Chemezov"] and statements["total"] >= 2
    assert all(g["title"] for g in statements["groups"])
    speakers = client.predict(api_name="/speakers")
    assert any(s["speaker"] == "Sergei Chemezov" for s in speakers)


def test_upload_then_remove_a_document(client, tmp_path: Path):
    note = tmp_path / "harbour note.txt"
    note.write_text("Harbour note\n\nThe Veltmark harbour commission approved a new quay for grain ships.\n", encoding="utf-8")
    junk = tmp_path / "tool.exe"
    junk.write_bytes(b"MZ")
    status, table, _, _ = client.predict([gradio_client.handle_file(str(note)), gradio_client.handle_file(str(junk))], api_name="/upload")
    assert "Added 1 document" in status
    assert "tool.exe" in status and "unsupported file type" in status
    added = next(d for d in client.predict(api_name="/documents") if d["title"] == "Harbour note")
    assert Path(added["source"]).parent.name == "uploads"
    assert any(row[-1] == added["id"] for row in table["data"])
    status, _, _ = client.predict(added["id"], api_name="/remove")
    assert "Removed Harbour note" in status
    assert len(client.predict(api_name="/documents")) == 2
    assert not Path(added["source"]).exists()  # the upload goes too, or the next upload would bring it back


def test_serve_arguments():
    import argparse

    from qa.commands.serve import _auth, is_loopback

    assert _auth("ana:s3:cret") == ("ana", "s3:cret")
    with pytest.raises(argparse.ArgumentTypeError, match="USER:PASS"):
        _auth("ana")
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
