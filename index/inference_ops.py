"""thinc ops for running spaCy's models, never training them: the same arithmetic, less bookkeeping.

spaCy's token-to-vector layers end every block in a maxout (the largest of three pieces per unit).
thinc's CPU maxout also records which piece won, for backpropagation, in a scalar loop: it took
about a fifth of tok2vec's time on BBC news. Here the largest piece is taken with numpy's
elementwise maximum, about eight times faster, and the winners are not recorded; backpropagating
through these ops raises instead of computing wrong gradients. The values are identical (the
maximum of the same floats), so the annotations are too: tests/test_inference_ops.py checks it.
"""

from __future__ import annotations

import numpy
from thinc.api import NumpyOps, registry

NAME = "sourceqa_inference"


class InferenceOps(NumpyOps):
    """NumpyOps whose maxout keeps no argmax (see the module's docstring)."""

    name = NAME

    def maxout(self, X):
        pieces = X.shape[2]
        best = numpy.maximum(X[:, :, 0], X[:, :, 1]) if pieces > 1 else X[:, :, 0].copy()
        for piece in range(2, pieces):
            numpy.maximum(best, X[:, :, piece], out=best)
        return best, None

    def backprop_maxout(self, dY, which, P):
        if which is None:
            raise NotImplementedError(f"{NAME} ops are for inference only: load the pipeline without them to train it")
        return super().backprop_maxout(dY, which, P)


def register() -> str:
    """Make the ops known to thinc's `use_ops` (once per process) and return their name."""
    if NAME not in registry.ops.get_all():
        registry.ops.register(NAME, func=InferenceOps)
    return NAME
