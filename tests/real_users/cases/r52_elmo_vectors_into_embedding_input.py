# ruff: noqa: E501
CASE = {
    "title": "NER with precomputed ELMo vectors X_train (3555, 120, 1024) fed to a model whose Input(shape=(120,)) expects token ids for an Embedding",
    "source": "https://github.com/keras-team/keras/issues/7403",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.layers import Input, Embedding, Bidirectional, LSTM, TimeDistributed, Dense
from keras.models import Model

n_words, n_tags = 5000, 9
X_train = np.random.rand(4, 120, 1024).astype("float32")       # ELMo embeddings per token
y_train = np.random.randint(0, n_tags, size=(4, 120))""",
        """input = Input(shape=(120,))
word_embedding_size = 16
model = Embedding(input_dim=n_words, output_dim=word_embedding_size, input_length=120)(input)
model = Bidirectional(LSTM(units=word_embedding_size, return_sequences=True, dropout=0.5))(model)
model = TimeDistributed(Dense(n_tags, activation="softmax"))(model)
model = Model(input, model)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])""",
        """model.fit(X_train, y_train, batch_size=4, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["input_layer", "input_1", "embedding"],
        "kinds": ["data"],
        "cause_any": [r"1024|already (embedded|vectors?)|embedding|vectors? per token"],
        "fix_any": [r"Input\(\s*shape\s*=\s*\(\s*120\s*,\s*1024\s*\)\s*\)(?!.*Flatten)", r"(remove|drop|without|skip)[^.]*Embedding"],
    },
    "fixed_last_cell": """inp = Input(shape=(120, 1024))
x = Bidirectional(LSTM(units=16, return_sequences=True, dropout=0.5))(inp)
x = TimeDistributed(Dense(n_tags, activation="softmax"))(x)
model = Model(inp, x)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, batch_size=4, epochs=1, verbose=0)""",
}
