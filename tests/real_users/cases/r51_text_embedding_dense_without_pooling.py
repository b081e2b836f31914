# ruff: noqa: E501
CASE = {
    "title": "NLP course model_1: TextVectorization(15 tokens) -> Embedding -> Dense(1, sigmoid) with no pooling, labels of shape (N,)",
    "source": "https://github.com/mrdbourke/tensorflow-deep-learning/issues/496",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras

train_sentences = tf.constant(["forest fire near la ronge sask canada", "just happened a terrible car crash",
                               "what a lovely day", "heard about the earthquake in california"] * 10)
train_labels = np.array([1, 1, 0, 1] * 10)
text_vectorizer = keras.layers.TextVectorization(max_tokens=10000, output_mode="int", output_sequence_length=15)
text_vectorizer.adapt(train_sentences)
embedding = keras.layers.Embedding(input_dim=10000, output_dim=128, name="embedding_1")""",
        """inputs = keras.layers.Input(shape=(1,), dtype="string")
x = text_vectorizer(inputs)
x = embedding(x)  # Create an embed
outputs = keras.layers.Dense(1, activation="sigmoid")(x)
model_1 = keras.Model(inputs, outputs, name="model_1_dense")
model_1.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(), metrics=["accuracy"])""",
        """model_1_history = model_1.fit(x=train_sentences, y=train_labels, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["dense", "embedding_1"],
        "kinds": [],
        "cause_any": [r"pool|flatten|per[- ]token|each (token|word|position)|sequence|15"],
        "fix_any": [r"GlobalAveragePooling1D|GlobalMaxPooling1D|GlobalAvgPool1D|GlobalMaxPool1D", r"Flatten\("],
    },
    "fixed_last_cell": """inputs = keras.layers.Input(shape=(1,), dtype="string")
x = text_vectorizer(inputs)
x = embedding(x)
x = keras.layers.GlobalAveragePooling1D()(x)
outputs = keras.layers.Dense(1, activation="sigmoid")(x)
model_1 = keras.Model(inputs, outputs, name="model_1_dense")
model_1.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(), metrics=["accuracy"])
model_1_history = model_1.fit(x=train_sentences, y=train_labels, epochs=1, verbose=0)""",
}
