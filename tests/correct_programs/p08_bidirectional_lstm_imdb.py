PROGRAM = {
    "title": "Two stacked Bidirectional LSTMs (return_sequences=True then last state) on padded IMDB-like sequences, "
             "one sigmoid unit with integer (N,) labels",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/nlp/bidirectional_lstm_imdb.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras
from keras import layers

max_features = 2000  # Only consider the top 2k words
maxlen = 30  # Only consider the first 30 words of each movie review

# Input for variable-length sequences of integers
inputs = keras.Input(shape=(None,), dtype="int32")
# Embed each integer in a 32-dimensional vector
x = layers.Embedding(max_features, 32)(inputs)
# Add 2 bidirectional LSTMs
x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
x = layers.Bidirectional(layers.LSTM(16))(x)
# Add a classifier
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.summary()
""",
        """
# Stand-in for keras.datasets.imdb.load_data(num_words=max_features)
rng = np.random.default_rng(0)
x_train = [list(rng.integers(1, max_features, size=rng.integers(5, 60))) for _ in range(64)]
y_train = rng.integers(0, 2, size=(64,))
x_val = [list(rng.integers(1, max_features, size=rng.integers(5, 60))) for _ in range(32)]
y_val = rng.integers(0, 2, size=(32,))
# Use pad_sequence to standardize sequence length:
# this will truncate sequences longer than maxlen words and zero-pad shorter sequences.
x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen)
x_val = keras.utils.pad_sequences(x_val, maxlen=maxlen)
""",
        """
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
""",
        """
(model.predict(x_val[:5], verbose=0) > 0.5).astype("int32").ravel()
""",
    ],
}
