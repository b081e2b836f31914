# ruff: noqa: E501
CASE = {
    "title": "IMDB sentiment: Dense(64, input_shape=(100, 1)) -> Bidirectional(LSTM(return_sequences=True)) -> Dense(1): a prediction per word vs one label per review",
    "source": "https://github.com/keras-team/keras/issues/13688",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense, Dropout, LSTM, Bidirectional

max_features = 10
maxlen = 100
batch_size = 32
x_train = np.random.randint(0, max_features, size=(32, maxlen))   # pad_sequences(x_train, maxlen=maxlen)
y_train = np.random.randint(0, 2, size=(32,))

def biLSTM(input_shape, output_shape):
    model = Sequential()
    model.add(Dense(64, input_shape=(input_shape, 1), activation='relu'))
    model.add(Bidirectional(LSTM(64, return_sequences=True)))
    model.add(Dropout(0.5))
    # model.add(Flatten())
    model.add(Dense(64, activation='softmax'))
    model.add(Dense(output_shape, activation='softmax'))
    model.compile('adam', 'binary_crossentropy', metrics=['accuracy'])
    return model""",
        """model = biLSTM(maxlen, 1)
model.fit(x_train, y_train, batch_size=batch_size, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["bidirectional", "dense_2"],
        "kinds": [],
        "cause_any": [r"return_sequences", r"per[- ](word|step|token|time ?step)|each (word|step|token|time ?step)|time(steps?)? axis"],
        "fix_any": [r"return_sequences\s*=\s*False", r"Flatten\(", r"GlobalAveragePooling1D|GlobalMaxPooling1D"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(Dense(64, input_shape=(maxlen, 1), activation='relu'))
model.add(Bidirectional(LSTM(64, return_sequences=False)))
model.add(Dropout(0.5))
model.add(Dense(1, activation='sigmoid'))
model.compile('adam', 'binary_crossentropy', metrics=['accuracy'])
model.fit(x_train[..., None], y_train, batch_size=batch_size, epochs=1, verbose=0)""",
}
