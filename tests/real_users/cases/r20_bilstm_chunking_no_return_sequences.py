# ruff: noqa: E501
CASE = {
    "title": "Bi-LSTM text chunker (one tag per token, one-hot y of shape (N, 80, n_tags)) whose LSTM returns only the last step",
    "source": "https://github.com/keras-team/keras/issues/14039",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Model
from keras.layers import Input, Embedding, Bidirectional, LSTM, Dense
from keras.utils import to_categorical

max_length = 80
n_words = 3000
n_tags = 3          # B-NP, I-NP, O
X_tr = np.random.randint(0, n_words, size=(16, max_length))
y = np.random.randint(0, n_tags, size=(16, max_length))
y_tr = np.array([to_categorical(i, num_classes=n_tags) for i in y])   # (16, 80, 3)
hidden_state_encoder_size = 100""",
        """inputs = Input(shape=(max_length,))
emb = Embedding(n_words, 50, name="Embedding")(inputs)
enc = Bidirectional(LSTM(hidden_state_encoder_size), name="Encoder")(emb)
output = Dense(n_tags, activation="softmax", name="Output")(enc)
model = Model(inputs, output)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])""",
        """history = model.fit(X_tr, y_tr, batch_size=16, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["Encoder", "Output"],
        "kinds": [],
        "cause_any": [r"return_sequences", r"time(step)?s?\s*(axis|dim)|per[- ]?(token|step)|each (token|step|word)"],
        "fix_any": [r"return_sequences\s*=\s*True"],
    },
    "fixed_last_cell": """inputs = Input(shape=(max_length,))
emb = Embedding(n_words, 50, name="Embedding")(inputs)
enc = Bidirectional(LSTM(hidden_state_encoder_size, return_sequences=True), name="Encoder")(emb)
output = Dense(n_tags, activation="softmax", name="Output")(enc)
model = Model(inputs, output)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(X_tr, y_tr, batch_size=16, epochs=1, verbose=0)""",
}
