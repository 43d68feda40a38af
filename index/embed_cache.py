"""Each distinct token's input embedding worked out once per process, not at every occurrence.

A spaCy token-to-vector network starts with an embedding that reads nothing but the token: its
hashed NORM, PREFIX, SUFFIX and SHAPE (the shared tok2vec also SPACY and IS_SPACE), the static
vector of its ORTH, then a maxout and a layer norm, row by row. Only the window layers after it
see the neighbours. News repeats its words (BBC's 1,009,376 tokens make 47,308 distinct rows for
the shared tok2vec, 35,085 for the NER's), so the embedding of each distinct row of features is
kept and looked up: `install` wraps every such embedding in a pipeline. The embedding was about
40% of each tok2vec's time (its maxout reads six 96-wide hash embeddings and a 96-wide projection
of the 300-wide static vector). The parse's CPU fell by 19% (docs/indexing-cost.md).

A token not seen before is embedded in a Doc made of the new tokens only, through the layer's own
forward. Its features are compared with the real tokens' first: a model whose embedding reads
anything the stand-in Doc does not reproduce is simply run uncached.
"""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)

# Distinct tokens kept per network (96 floats each: about 38 MB at the limit); the cache starts
# again when full. BBC's whole corpus needs 47,308.
CACHE_LIMIT = 100_000
# Layers whose output for a token depends on that token alone.
ROW_WISE = frozenset({
    "extract_features", "list2ragged", "ragged2list", "ints-getitem", "hashembed", "static_vectors",
    "maxout", "layernorm", "dropout",
})


def install(nlp) -> int:
    """Cache the token-only embedding at the start of every tok2vec in `nlp`; how many were."""
    wrapped = 0
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is None:
            continue
        for node in model.walk():
            if isinstance(node._func, CachedEmbedding) or not _is_embedding(node):
                continue
            node._func = CachedEmbedding(node)
            wrapped += 1
    return wrapped


def _is_embedding(node) -> bool:
    """A chain from extract_features to ragged2list through row-wise layers only."""
    if not node.layers or not node.name.startswith("extract_features") or not node.name.endswith("ragged2list"):
        return False
    leaves = [n for n in node.walk(order="dfs_pre") if not n.layers]
    return leaves[0].name == "extract_features" and all(leaf.name in ROW_WISE for leaf in leaves)


class CachedEmbedding:
    """The forward function of an embedding layer, remembering each distinct token's output."""

    def __init__(self, node) -> None:
        self.forward = node._func
        self.features = next(n for n in node.walk() if n.name == "extract_features")
        self.rows: dict[bytes, int] = {}
        self.table: np.ndarray | None = None
        self.enabled = True

    def __call__(self, model, docs, is_train):
        if is_train or not self.enabled or not any(len(doc) for doc in docs):
            return self.forward(model, docs, is_train)
        from spacy.attrs import NORM, ORTH, SPACY

        tokens = np.concatenate([doc.to_array([ORTH, SPACY, NORM]) for doc in docs]).astype(np.uint64)
        keys = np.hstack([np.concatenate(self.features.predict(docs)).astype(np.uint64), tokens[:, :1]])
        if len(self.rows) > CACHE_LIMIT:
            self.rows, self.table = {}, None
        distinct, first, inverse = np.unique(_as_bytes(keys), return_index=True, return_inverse=True)
        ids = np.fromiter((self.rows.get(k, -1) for k in distinct.tolist()), dtype=np.int64, count=len(distinct))
        new = np.flatnonzero(ids < 0)
        if len(new):
            made = self._embed(model, docs[0].vocab, tokens[first[new]], keys[first[new]])
            if made is None:
                return self.forward(model, docs, is_train)
            start = self._append(made)
            ids[new] = np.arange(start, start + len(new))
            self.rows.update(zip(distinct[new].tolist(), ids[new].tolist()))
        vectors = self.table[ids[inverse.ravel()]]
        out = np.split(vectors, np.cumsum([len(doc) for doc in docs])[:-1])
        return out, _no_backprop

    def _embed(self, model, vocab, tokens: np.ndarray, keys: np.ndarray) -> np.ndarray | None:
        """The layer's output for tokens (ORTH, SPACY, NORM rows), run as a Doc of their own; None
        when that Doc's features are not the tokens' (the cache is then turned off)."""
        from spacy.tokens import Doc

        strings = vocab.strings
        doc = Doc(vocab, words=[strings[int(o)] for o in tokens[:, 0]], spaces=[bool(s) for s in tokens[:, 1]])
        for token, norm in zip(doc, tokens[:, 2].tolist()):
            if token.norm != norm:
                token.norm_ = strings[norm]  # a tokenizer exception's norm ("n't" -> "not"), not the word's own
        if not np.array_equal(self.features.predict([doc])[0].astype(np.uint64), keys[:, :-1]):
            log.info("the tok2vec embedding reads more than a token's own features: running it uncached")
            self.enabled = False
            return None
        return self.forward(model, [doc], False)[0][0]

    def _append(self, made: np.ndarray) -> int:
        """Add rows to the table (grown by doubling); the index of the first."""
        used = len(self.rows)
        if self.table is None or used + len(made) > len(self.table):
            grown = np.empty((max(2 * (used + len(made)), 4096), made.shape[1]), dtype=made.dtype)
            if self.table is not None:
                grown[:used] = self.table[:used]
            self.table = grown
        self.table[used : used + len(made)] = made
        return used


def _as_bytes(keys: np.ndarray) -> np.ndarray:
    """One fixed-width bytes value per row, so rows can be compared, sorted and used as dict keys.
    (`.tolist()` drops trailing zero bytes; as every row has the same width, distinct rows stay distinct.)"""
    keys = np.ascontiguousarray(keys)
    return keys.view(np.dtype((np.bytes_, keys.dtype.itemsize * keys.shape[1]))).ravel()


def _no_backprop(_):
    raise NotImplementedError("the cached embedding is for inference only")
