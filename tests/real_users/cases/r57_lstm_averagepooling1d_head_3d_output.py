# ruff: noqa: E501
CASE = {
    "title": "LSTM(return_sequences) -> TimeDistributed(Dense(1)) -> AveragePooling1D -> Dense(2, softmax): the output keeps a time axis, labels are (N, 2)",
    "source": "https://github.com/keras-team/keras/issues/6351",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import LSTM, TimeDistributed, Dense, AveragePooling1D
from keras.losses import categorical_crossentropy
from keras.optimizers import RMSprop

train_x = np.random.rand(11, 40, 19).astype("float32")
train_y = keras.utils.to_categorical(np.random.randint(0, 2, size=(11,)), 2)    # (11, 2)""",
        """model = Sequential()
model.add(LSTM(24, input_shape=(40, 19), return_sequences=True))
model.add(TimeDistributed(Dense(1)))
model.add(AveragePooling1D(2))   # Keras 2 default pool_size=2
model.add(Dense(2, activation='softmax'))
model.compile(loss=categorical_crossentropy, optimizer=RMSprop(learning_rate=.01))""",
        """model.fit(train_x, train_y, epochs=1, batch_size=6000, verbose=0)""",
    ],
    "expect": {
        "names": ["average_pooling1d", "dense_1", "lstm"],
        "kinds": [],
        "cause_any": [r"time(step)?s?\s*(axis|dim)|\b3-?D\b|rank|ndim|sequence|\b20\b"],
        "fix_any": [r"GlobalAveragePooling1D|GlobalAvgPool1D|GlobalMaxPooling1D", r"Flatten\(", r"return_sequences\s*=\s*False"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(LSTM(24, input_shape=(40, 19), return_sequences=True))
model.add(TimeDistributed(Dense(1)))
model.add(keras.layers.GlobalAveragePooling1D())
model.add(Dense(2, activation='softmax'))
model.compile(loss=categorical_crossentropy, optimizer=RMSprop(learning_rate=.01))
model.fit(train_x, train_y, epochs=1, batch_size=6000, verbose=0)""",
}
