# ruff: noqa: E501
CASE = {
    "title": "Text CNN built with Embedding(input_length=28) but the padded sequences are 934 long (Dense 448 vs 14944)",
    "source": "https://github.com/tensorflow/tensorflow/issues/46478",
    "flavours": ["tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Embedding, Conv1D, Flatten, Dense
from keras.utils import to_categorical

max_words = 5000
X = np.random.randint(1, max_words, size=(120, 934))   # pad_sequences(...) without maxlen: longest review
y = np.random.randint(0, 3, size=(120,))
X_train, X_test, Y_train, y_test = X[:100], X[100:], y[:100], y[100:]""",
        """model = Sequential()
model.add(Embedding(max_words, 32, input_length=28))
model.add(Conv1D(16, 3, padding='same', activation='relu'))
model.add(Flatten())
model.add(Dense(3, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])""",
        """Y_train = to_categorical(Y_train.astype(int))
y_test = to_categorical(y_test.astype(int))
model.fit(X_train, Y_train, epochs=1, batch_size=32, verbose=0, validation_data=(X_test, y_test))""",
    ],
    "expect": {
        "names": ["embedding", "embedding_input", "dense"],
        "kinds": ["data"],
        "cause_any": [r"934", r"input_length|maxlen|pad"],
        "fix_any": [r"maxlen\s*=\s*28", r"input_length\s*=\s*934|shape\s*=\s*\(\s*934\s*,?\s*\)", r"pad_sequences\([^)]*maxlen",
                    r"GlobalMaxPooling1D|GlobalAveragePooling1D|GlobalMaxPool1D|GlobalAvgPool1D"],
    },
    "fixed_last_cell": """X_train, X_test = X_train[:, :28], X_test[:, :28]   # pad_sequences(..., maxlen=28)
Y_train = to_categorical(Y_train.astype(int))
y_test = to_categorical(y_test.astype(int))
model.fit(X_train, Y_train, epochs=1, batch_size=32, verbose=0, validation_data=(X_test, y_test))""",
}
