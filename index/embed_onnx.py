"""The embedding model on ONNX Runtime, exported locally from the sentence-transformers folder.

sentence-transformers' own ONNX backend needs `optimum`, whose current release pins transformers
below 5 (this project runs 5.x), so the export is done here with torch's TorchScript-based ONNX
exporter and run with plain `onnxruntime`. `int8` additionally quantises the weights of the
matrix multiplications, per channel (onnxruntime.quantization.quantize_dynamic). The exported files are cached
per model folder under the user cache directory (about 90 MB, 23 MB for int8) and made once.

Tokenisation, truncation (the model's max_seq_length), mean pooling and L2 normalisation follow
the sentence-transformers modules of the folder, so vectors match the torch backend to about 1e-5
(fp32); int8 changes them slightly (see docs/benchmarks.md for the retrieval-quality effect).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import numpy as np

from index.errors import SourceqaError

log = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def cache_dir() -> Path:
    env = os.environ.get("SOURCEQA_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sourceqa"))


def _require_onnxruntime():
    try:
        import onnxruntime
    except ImportError as exc:
        raise SourceqaError("the ONNX backend needs onnxruntime and onnx; run `pip install onnxruntime onnx`") from exc
    return onnxruntime


class OnnxEncoder:
    """Drop-in for SentenceTransformer.encode over an exported copy of a local model folder."""

    def __init__(self, location: str, int8: bool = False) -> None:
        ort = _require_onnxruntime()
        from transformers import AutoTokenizer

        folder = Path(location)
        self.tokenizer = AutoTokenizer.from_pretrained(location)
        self.max_length = _max_seq_length(folder, self.tokenizer)
        self.pooling = _pooling_mode(folder)
        path = exported_model(folder, int8)
        options = ort.SessionOptions()
        # Spinning threads steal the core that a background spaCy parse is using.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]

    def get_sentence_embedding_dimension(self) -> int:
        return int(self.encode(["dimension probe"]).shape[1])

    def encode(self, texts: list[str], batch_size: int = 32, show_progress_bar: bool = False,
               convert_to_numpy: bool = True, normalize_embeddings: bool = True) -> np.ndarray:
        # Longest first, as sentence-transformers does: batches of similar length pad less.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), 0), dtype=np.float32)
        rows = []
        for start in range(0, len(texts), batch_size):
            batch = [texts[i] for i in order[start : start + batch_size]]
            rows.append(self._encode_batch(batch))
        if rows:
            out = np.concatenate(rows)[np.argsort(order)]
        if normalize_embeddings and len(out):
            out = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        enc = self.tokenizer(batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="np")
        feeds = {name: enc[name].astype(np.int64) for name in self.input_names if name in enc}
        if "token_type_ids" in self.input_names and "token_type_ids" not in feeds:
            feeds["token_type_ids"] = np.zeros_like(feeds["input_ids"])
        hidden = self.session.run(None, feeds)[0]
        if self.pooling == "cls":
            return hidden[:, 0]
        mask = enc["attention_mask"][..., None].astype(np.float32)
        return (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)


def _max_seq_length(folder: Path, tokenizer) -> int:
    config = folder / "sentence_bert_config.json"
    if config.exists():
        value = json.loads(config.read_text(encoding="utf-8")).get("max_seq_length")
        if value:
            return int(value)
    return min(int(getattr(tokenizer, "model_max_length", 512)), 512)


def _pooling_mode(folder: Path) -> str:
    config = folder / "1_Pooling" / "config.json"
    if not config.exists():
        return "mean"
    data = json.loads(config.read_text(encoding="utf-8"))
    if data.get("pooling_mode_mean_tokens"):
        return "mean"
    if data.get("pooling_mode_cls_token"):
        return "cls"
    raise SourceqaError(f"the ONNX backend supports mean or CLS pooling; {config} asks for another; use --backend torch")


def exported_model(folder: Path, int8: bool) -> Path:
    """The cached ONNX file for `folder`, exporting (and quantising) it on first use."""
    weights = next((folder / n for n in ("model.safetensors", "pytorch_model.bin") if (folder / n).exists()), folder)
    stat = weights.stat()
    key = hashlib.sha256(f"{folder.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = cache_dir() / "onnx" / key
    fp32, q8 = target / "model.onnx", target / "model_int8.onnx"
    if not fp32.exists():
        target.mkdir(parents=True, exist_ok=True)
        log.info("exporting %s to ONNX in %s (once)", folder, target)
        _export(folder, fp32)
    if int8 and not q8.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        log.info("quantising %s to int8 (once)", fp32)
        tmp = q8.with_suffix(".tmp.onnx")
        # Per-channel scales: per-tensor int8 moved MiniLM's vectors to a mean cosine of 0.96 with
        # the fp32 ones on BBC passages; per-channel keeps 0.994.
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(tmp, q8)
    return q8 if int8 else fp32


def _export(folder: Path, path: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(folder)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    sample = tokenizer(["an example sentence", "a second, longer example sentence"], padding=True, return_tensors="pt")
    names = [n for n in INPUTS if n in sample]

    class Wrapper(torch.nn.Module):  # positional inputs in a fixed order, hidden states out
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *args):
            return self.inner(**dict(zip(names, args))).last_hidden_state

    tmp = path.with_suffix(".tmp.onnx")
    with torch.no_grad():
        torch.onnx.export(
            Wrapper(model), tuple(sample[n] for n in names), str(tmp), input_names=names,
            output_names=["last_hidden_state"], opset_version=17, dynamo=False,
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
        )
    os.replace(tmp, path)
