PROGRAM = {
    "title": "Padded integer sequences: Embedding(mask_zero=True) + GlobalAveragePooling1D, softmax over 4 topics, "
             "integer labels (N,) with sparse_categorical_crossentropy",
    "source": "https://github.com/keras-team/keras-io/blob/master/guides/understanding_masking_and_padding.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras
from keras import layers

vocab_size = 1000
num_topics = 4
rng = np.random.default_rng(0)

# Ragged lists of token ids (what a tokenizer returns), padded to one length.
raw_inputs = [list(rng.integers(1, vocab_size, size=rng.integers(3, 30))) for _ in range(64)]
padded_inputs = keras.utils.pad_sequences(raw_inputs, padding="post", maxlen=24)
topics = rng.integers(0, num_topics, size=(64,))
print(padded_inputs.shape, topics.shape)
""",
        """
model = keras.Sequential(
    [
        keras.Input(shape=(None,), dtype="int32"),
        layers.Embedding(input_dim=vocab_size, output_dim=16, mask_zero=True),
        layers.GlobalAveragePooling1D(),
        layers.Dense(16, activation="relu"),
        layers.Dense(num_topics, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(padded_inputs[:48], topics[:48], epochs=1, batch_size=16, verbose=0)
""",
        """
probabilities = model.predict(padded_inputs[48:], verbose=0)
predicted_topics = probabilities.argmax(axis=-1)
(predicted_topics == topics[48:]).mean()
""",
    ],
}
