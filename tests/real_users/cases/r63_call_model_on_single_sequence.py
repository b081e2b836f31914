# ruff: noqa: E501
CASE = {
    "title": "TimeGAN-style GRU recovery network (Input (9, 4)) called on one sequence ori_data[0] of shape (9, 4): no batch axis",
    "source": "https://github.com/karolzak/keras-unet/issues/46",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras

seq_len, dim, hidden_dim = 9, 4, 24
ori_data = np.random.rand(100, seq_len, dim).astype("float32")
model = keras.Sequential([
    keras.Input(shape=(seq_len, dim)),
    keras.layers.GRU(hidden_dim, return_sequences=True),
    keras.layers.Dense(dim, activation="sigmoid"),
], name="model")""",
        """generated = model(ori_data[0])""",
    ],
    "expect": {
        "names": ["input_layer", "input_1", "gru"],
        "kinds": ["data"],
        "cause_any": [r"batch\s+(axis|dim)|(no|missing|without( a)?|lacks?( a)?)\s+(leading\s+)?batch|(single|one)\s+(sequence|sample|example)"],
        "fix_any": [r"\[\s*(np\.)?(newaxis|None)\b|expand_dims\([^)]*\b0\b|ori_data\[\s*0\s*:\s*1\s*\]|ori_data\[\s*:\s*1\s*\]|reshape\(\s*\(?\s*1\s*,"],
    },
    "fixed_last_cell": """generated = model(ori_data[0:1])""",
}
