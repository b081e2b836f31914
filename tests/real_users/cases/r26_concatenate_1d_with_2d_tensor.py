# ruff: noqa: E501
CASE = {
    "title": "Concatenate a (1024,) tensor with a (1024, 2) tensor to get (1024, 3)",
    "source": "https://github.com/keras-team/keras/issues/12975",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras

scores = tf.random.normal((1024,))
coords = tf.random.normal((1024, 2))""",
        """merged = keras.layers.Concatenate()([scores, coords])""",
    ],
    "expect": {
        "names": ["concatenate", "scores"],
        "kinds": ["data"],
        "cause_any": [r"rank|ndim|\b[12]-?D\b|(one|two|1|2)[- ]dim|\(\s*1024\s*,\s*\)"],
        "fix_any": [r"reshape\([^)]*\[?\s*-1\s*,\s*1\s*\]?", r"expand_dims\([^)]*(-1|\b1\b)", r"\[\s*:\s*,\s*(None|tf\.newaxis|np\.newaxis)\s*\]"],
    },
    "fixed_last_cell": """merged = keras.layers.Concatenate(axis=1)([tf.reshape(scores, shape=[-1, 1]), coords])
assert tuple(merged.shape) == (1024, 3)""",
}
