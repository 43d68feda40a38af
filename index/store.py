"""Relational half of the index: documents, sources, passages, sentences, quotes, entities in SQLite.

FTS5 over passage text gives BM25. Each passage's integer rowid is also its id in the FAISS
index (`vec_id`), and its embedding is kept here as a float32 blob so the vector index can be
rebuilt in any FAISS layout without re-encoding. Schema changes are numbered migrations keyed on
`PRAGMA user_version`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from index.errors import IndexCorrupt
from index.models import Document, Entity, Passage, Quote, Sentence

MIGRATIONS: list[str] = [
    # 1: the first schema.
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, author TEXT, date TEXT, source TEXT NOT NULL,
        text TEXT NOT NULL, page_starts TEXT NOT NULL DEFAULT '[]');
    CREATE TABLE sources (
        path TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id), root TEXT NOT NULL);
    CREATE INDEX sources_doc ON sources(doc_id);
    CREATE TABLE passages (
        vec_id INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL REFERENCES documents(id),
        ordinal INTEGER NOT NULL, paragraph INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        kind TEXT NOT NULL, heading TEXT, page INTEGER, text TEXT NOT NULL, embedding BLOB);
    CREATE INDEX passages_doc ON passages(doc_id);
    CREATE VIRTUAL TABLE passages_fts USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2');
    CREATE TABLE sentences (
        passage_id TEXT NOT NULL, ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        PRIMARY KEY (passage_id, ordinal));
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, passage_id TEXT NOT NULL, speaker TEXT NOT NULL,
        surface TEXT NOT NULL, text TEXT NOT NULL, direct INTEGER NOT NULL, cue TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, speaker_kind TEXT NOT NULL);
    CREATE INDEX quotes_doc ON quotes(doc_id);
    CREATE TABLE entities (
        doc_id TEXT NOT NULL, passage_id TEXT NOT NULL, text TEXT NOT NULL, label TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL);
    CREATE INDEX entities_passage ON entities(passage_id);
    CREATE INDEX entities_doc ON entities(doc_id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

_PASSAGE_COLS = 'vec_id, id, doc_id, ordinal, paragraph, start, "end", kind, heading, page, text'


class DocumentInfo(BaseModel):
    """A document without its text, for listings."""

    id: str
    title: str
    author: str | None
    date: str | None
    source: str
    passages: int


class Store:
    """One SQLite file. Open read-only to serve; writable only inside an index update."""

    def __init__(self, path: Path, readonly: bool = True) -> None:
        self.path = path
        uri = f"file:{path}?mode={'ro' if readonly else 'rwc'}"
        try:
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self._migrate()
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if not readonly and isinstance(exc, sqlite3.OperationalError):
                raise  # a full disk while creating it, not damage: the index writer reports it as such
            raise IndexCorrupt(f"the database {path} cannot be read ({exc})") from exc
        if version != SCHEMA_VERSION:
            raise IndexCorrupt(f"the database {path} has schema {version}, this Sourceqa expects {SCHEMA_VERSION}")

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.conn:
                self.conn.executescript(script)
                self.conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self.conn.close()

    # ---- writing -------------------------------------------------------------------------

    def add_document(self, doc: Document, passages: list[Passage], embeddings: np.ndarray) -> list[int]:
        """Insert a document with its passages and their vectors; returns the passages' vec_ids."""
        c = self.conn
        c.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?)",
            (doc.id, doc.title, doc.author, doc.date, doc.source, doc.text, json.dumps(doc.page_starts)),
        )
        vec_ids = []
        for p, vec in zip(passages, embeddings, strict=True):
            cur = c.execute(
                f"INSERT INTO passages ({_PASSAGE_COLS}, embedding) VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?)",
                (p.id, p.doc_id, p.ordinal, p.paragraph, p.start, p.end, p.kind, p.heading, p.page, p.text,
                 np.asarray(vec, dtype=np.float32).tobytes()),
            )
            vec_ids.append(cur.lastrowid)
            c.execute("INSERT INTO passages_fts (rowid, text) VALUES (?, ?)", (cur.lastrowid, _fts_text(p)))
        return vec_ids

    def add_sentences(self, sentences: Iterable[Sentence]) -> None:
        self.conn.executemany(
            "INSERT INTO sentences VALUES (?,?,?,?)", [(s.passage_id, s.ordinal, s.start, s.end) for s in sentences]
        )

    def add_annotations(self, quotes: Iterable[Quote], entities: Iterable[Entity]) -> None:
        self.conn.executemany(
            "INSERT INTO quotes VALUES (NULL,?,?,?,?,?,?,?,?,?,?)",
            [(q.doc_id, q.passage_id, q.speaker, q.surface, q.text, int(q.direct), q.cue, q.start, q.end, q.speaker_kind)
             for q in quotes],
        )
        self.conn.executemany(
            "INSERT INTO entities VALUES (?,?,?,?,?,?)",
            [(e.doc_id, e.passage_id, e.text, e.label, e.start, e.end) for e in entities],
        )

    def remove_document(self, doc_id: str) -> list[int]:
        """Delete a document and everything derived from it; returns the vec_ids to drop from FAISS."""
        c = self.conn
        vec_ids = [r[0] for r in c.execute("SELECT vec_id FROM passages WHERE doc_id = ?", (doc_id,))]
        c.executemany("DELETE FROM passages_fts WHERE rowid = ?", [(v,) for v in vec_ids])
        c.execute("DELETE FROM sentences WHERE passage_id IN (SELECT id FROM passages WHERE doc_id = ?)", (doc_id,))
        for table in ("quotes", "entities", "passages", "sources"):
            c.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        c.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return vec_ids

    def set_source(self, path: str, doc_id: str, root: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?)", (path, doc_id, root))

    def remove_source(self, path: str) -> None:
        self.conn.execute("DELETE FROM sources WHERE path = ?", (path,))

    def commit(self) -> None:
        self.conn.commit()

    # ---- reading -------------------------------------------------------------------------

    def sources(self) -> dict[str, tuple[str, str]]:
        """path -> (doc_id, root the path was indexed under)."""
        return {p: (d, r) for p, d, r in self.conn.execute("SELECT path, doc_id, root FROM sources")}

    def doc_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM documents")}

    def document(self, doc_id: str) -> Document | None:
        row = self.conn.execute(
            "SELECT id, title, author, date, source, text, page_starts FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        return Document(id=row[0], title=row[1], author=row[2], date=row[3], source=row[4], text=row[5],
                        page_starts=json.loads(row[6]))

    def documents(self) -> list[DocumentInfo]:
        rows = self.conn.execute(
            "SELECT d.id, d.title, d.author, d.date, d.source, COUNT(p.vec_id) FROM documents d "
            "LEFT JOIN passages p ON p.doc_id = d.id GROUP BY d.id ORDER BY d.title, d.id"
        )
        return [DocumentInfo(id=r[0], title=r[1], author=r[2], date=r[3], source=r[4], passages=r[5]) for r in rows]

    def titles(self, doc_ids: Iterable[str]) -> dict[str, str]:
        ids = list(set(doc_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return dict(self.conn.execute(f"SELECT id, title FROM documents WHERE id IN ({marks})", ids))

    def passage(self, passage_id: str) -> Passage | None:
        row = self.conn.execute(f"SELECT {_PASSAGE_COLS} FROM passages WHERE id = ?", (passage_id,)).fetchone()
        return _passage(row) if row else None

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self.conn.execute(f"SELECT {_PASSAGE_COLS} FROM passages WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        return [_passage(r) for r in rows]

    def passage_at(self, doc_id: str, ordinal: int) -> Passage | None:
        row = self.conn.execute(f"SELECT {_PASSAGE_COLS} FROM passages WHERE doc_id = ? AND ordinal = ?",
                                (doc_id, ordinal)).fetchone()
        return _passage(row) if row else None

    def passages_by_vec_ids(self, vec_ids: list[int]) -> dict[int, Passage]:
        out: dict[int, Passage] = {}
        for chunk in _chunks(vec_ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT {_PASSAGE_COLS} FROM passages WHERE vec_id IN ({marks})", chunk):
                out[row[0]] = _passage(row)
        return out

    def vec_ids(self) -> np.ndarray:
        return np.fromiter((r[0] for r in self.conn.execute("SELECT vec_id FROM passages ORDER BY vec_id")), dtype=np.int64)

    def embeddings(self, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """All (vec_ids, vectors), for rebuilding the vector index."""
        rows = self.conn.execute("SELECT vec_id, embedding FROM passages ORDER BY vec_id").fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
        return ids, vecs

    def search_bm25(self, match: str, k: int) -> list[tuple[int, float]]:
        """(vec_id, score) best first, for an FTS5 MATCH expression. FTS5's bm25() is negative; we flip it."""
        if not match:
            return []
        rows = self.conn.execute(
            "SELECT rowid, bm25(passages_fts) AS s FROM passages_fts WHERE passages_fts MATCH ? ORDER BY s LIMIT ?",
            (match, k),
        )
        return [(r[0], -r[1]) for r in rows]

    def sentences_of(self, passage_ids: Iterable[str]) -> dict[str, list[Sentence]]:
        out: dict[str, list[Sentence]] = {}
        for chunk in _chunks(list(passage_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f'SELECT passage_id, ordinal, start, "end" FROM sentences WHERE passage_id IN ({marks}) ORDER BY passage_id, ordinal',
                chunk,
            )
            for r in rows:
                out.setdefault(r[0], []).append(Sentence(passage_id=r[0], ordinal=r[1], start=r[2], end=r[3]))
        return out

    def quotes(self) -> list[Quote]:
        rows = self.conn.execute(
            'SELECT speaker, surface, text, direct, cue, doc_id, passage_id, start, "end", speaker_kind FROM quotes ORDER BY id'
        )
        return [Quote(speaker=r[0], surface=r[1], text=r[2], direct=bool(r[3]), cue=r[4], doc_id=r[5], passage_id=r[6],
                      start=r[7], end=r[8], speaker_kind=r[9]) for r in rows]

    def entities_of(self, passage_ids: Iterable[str]) -> dict[str, list[Entity]]:
        out: dict[str, list[Entity]] = {}
        for chunk in _chunks(list(passage_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f'SELECT doc_id, passage_id, text, label, start, "end" FROM entities WHERE passage_id IN ({marks})', chunk
            )
            for r in rows:
                out.setdefault(r[1], []).append(Entity(doc_id=r[0], passage_id=r[1], text=r[2], label=r[3], start=r[4], end=r[5]))
        return out

    def document_names(self, doc_id: str, labels: Iterable[str]) -> list[Entity]:
        """The document's entities of these labels (indexed by doc_id: no passage texts read)."""
        wanted = list(labels)
        marks = ",".join("?" * len(wanted))
        rows = self.conn.execute(
            f'SELECT doc_id, passage_id, text, label, start, "end" FROM entities WHERE doc_id = ? AND label IN ({marks})',
            [doc_id, *wanted],
        )
        return [Entity(doc_id=r[0], passage_id=r[1], text=r[2], label=r[3], start=r[4], end=r[5]) for r in rows]

    def vec_ids_of(self, passage_ids: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(list(passage_ids), 500):
            marks = ",".join("?" * len(chunk))
            out.update(self.conn.execute(f"SELECT id, vec_id FROM passages WHERE id IN ({marks})", chunk).fetchall())
        return out

    def mentions(self, phrase: str) -> bool:
        """Whether any passage contains the phrase (as FTS5 tokens, in order)."""
        tokens = [t for t in re.findall(r"\w+", phrase.lower())]
        if not tokens:
            return True
        match = '"' + " ".join(tokens) + '"'
        return self.conn.execute("SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT 1", (match,)).fetchone() is not None

    def mentions_near(self, words: list[str], distance: int = 20) -> bool:
        """Whether any passage holds all the words within `distance` tokens of one another."""
        tokens = [t for w in words for t in re.findall(r"\w+", w.lower())]
        if len(tokens) < 2:
            return self.mentions(" ".join(tokens))
        match = "NEAR(" + " ".join(f'"{t}"' for t in tokens) + f", {distance})"
        return self.conn.execute("SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT 1", (match,)).fetchone() is not None

    def entity_label(self, text: str) -> str | None:
        """The label most often given to this exact name in the collection, if it occurs."""
        row = self.conn.execute(
            "SELECT label FROM entities WHERE text = ? COLLATE NOCASE GROUP BY label ORDER BY COUNT(*) DESC LIMIT 1", (text,)
        ).fetchone()
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        return {
            table: self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("documents", "passages", "sentences", "quotes", "entities")
        }


def _passage(row: tuple) -> Passage:
    return Passage(id=row[1], doc_id=row[2], ordinal=row[3], paragraph=row[4], start=row[5], end=row[6], kind=row[7],
                   heading=row[8], page=row[9], text=row[10])


def _fts_text(p: Passage) -> str:
    # The heading is searchable with its passage, as the encoder sees it too.
    return f"{p.heading}\n{p.text}" if p.heading else p.text


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]

