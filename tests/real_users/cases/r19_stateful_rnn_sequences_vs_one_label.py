# ruff: noqa: E501
CASE = {
    "title": "Stateful SimpleRNN stack, both return_sequences=True + TimeDistributed(Dense(4)), one one-hot label per series",
    "source": "https://github.com/keras-team/keras/issues/2571",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import SimpleRNN, Dropout, TimeDistributed, Dense, Activation

n_hidden = 16
dropout = 0.2
X_train = np.random.rand(240, 50, 3).astype("float32")
y_train = keras.utils.to_categorical(np.random.randint(0, 4, size=(240,)), 4)   # (240, 4)""",
        """model = Sequential()
model.add(keras.Input(batch_shape=(120, 50, 3)))
model.add(SimpleRNN(n_hidden, stateful=True, return_sequences=True))
model.add(Dropout(dropout))
model.add(SimpleRNN(n_hidden, stateful=True, return_sequences=True))
model.add(Dropout(dropout))
model.add(TimeDistributed(Dense(4)))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam')""",
        """model.fit(X_train, y_train, batch_size=120, epochs=1, shuffle=False, verbose=0)""",
    ],
    "expect": {
        "names": ["simple_rnn_1", "time_distributed", "activation"],
        "kinds": ["target"],
        "cause_any": [r"return_sequences", r"time(step)?s?\s*(axis|dim)|per[- ]?(time)?step|every (time)?step|each (time)?step"],
        "fix_any": [r"return_sequences\s*=\s*False", r"(remove|drop|without)[^.]*TimeDistributed", r"GlobalAveragePooling1D|GlobalMaxPooling1D|GlobalAvgPool1D"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(keras.Input(batch_shape=(120, 50, 3)))
model.add(SimpleRNN(n_hidden, stateful=True, return_sequences=True))
model.add(Dropout(dropout))
model.add(SimpleRNN(n_hidden, stateful=True, return_sequences=False))
model.add(Dropout(dropout))
model.add(Dense(4))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam')
model.fit(X_train, y_train, batch_size=120, epochs=1, shuffle=False, verbose=0)""",
}
