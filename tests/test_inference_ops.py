"""index.inference_ops: the maxout without its argmax gives the same values, and refuses to train."""

from __future__ import annotations

import numpy
import pytest
from thinc.api import NumpyOps

from index.inference_ops import InferenceOps, register


def test_maxout_takes_the_same_largest_piece_as_thinc():
    rng = numpy.random.default_rng(0)
    for pieces in (1, 2, 3, 4):
        X = rng.standard_normal((50, 7, pieces)).astype("float32")
        X[3, 2, :] = 1.5  # ties
        best, which = InferenceOps(use_blis=False).maxout(X)
        expected, _ = NumpyOps(use_blis=False).maxout(X)
        assert best.dtype == expected.dtype and best.shape == expected.shape
        assert numpy.array_equal(best, expected)
        assert which is None


def test_backpropagating_through_the_inference_maxout_says_so():
    ops = InferenceOps(use_blis=False)
    best, which = ops.maxout(numpy.ones((2, 3, 3), dtype="float32"))
    with pytest.raises(NotImplementedError, match="inference only"):
        ops.backprop_maxout(best, which, 3)


def test_registered_once_under_its_name():
    from thinc.api import get_ops

    assert register() == register()
    assert isinstance(get_ops(register(), use_blis=False), InferenceOps)
