# ruff: noqa: E501
CASE = {
    "title": "IMDB exercise with the bag-of-words layer removed: TextVectorization (no output_sequence_length) straight into Dense(100)",
    "source": "https://github.com/ageron/handson-ml2/issues/300",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras

train_reviews = ["this movie was great fun", "terrible plot and worse acting", "a fine film",
                 "i would not watch it again", "loved every minute of it"] * 8
max_vocabulary_size = 1000
text_vectorization = keras.layers.TextVectorization(max_tokens=max_vocabulary_size)
text_vectorization.adapt(train_reviews)""",
        """model = keras.models.Sequential([
    keras.Input(shape=(), dtype="string"),
    text_vectorization,
    keras.layers.Dense(100, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])""",
    ],
    "expect": {
        "names": ["dense", "text_vectorization"],
        "kinds": [],
        "cause_any": [r"output_sequence_length|variable[- ]length|length (is )?(not|un)(known|defined)|None"],
        "fix_any": [r"output_sequence_length\s*=\s*\d+", r"Embedding\(", r"output_mode\s*=\s*['\"](count|multi_hot|tf_idf)"],
    },
    "fixed_last_cell": """text_vectorization = keras.layers.TextVectorization(max_tokens=max_vocabulary_size, output_mode="count")
text_vectorization.adapt(train_reviews)
model = keras.models.Sequential([
    keras.Input(shape=(), dtype="string"),
    text_vectorization,
    keras.layers.Dense(100, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])""",
}
