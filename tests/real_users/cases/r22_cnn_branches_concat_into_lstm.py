# ruff: noqa: E501
CASE = {
    "title": "Three grayscale-image CNN branches concatenated and fed straight into LSTM(240): a 4-D tensor into an RNN",
    "source": "https://github.com/keras-team/keras/issues/5032",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import keras
from keras.layers import Input, Conv2D, Activation, MaxPooling2D, Dropout, LSTM, concatenate

def branch(name):
    inp = Input(shape=(8, 10, 1), name=name)
    x = Conv2D(40, (3, 3), padding='same')(inp)
    x = Activation('relu')(x)
    x = MaxPooling2D(pool_size=(2, 2))(x)
    x = Dropout(0.2)(x)
    return inp, x

Izd_in, Izd = branch("izda")
Dcha_in, Dcha = branch("dcha")
Frt_in, Frt = branch("frt")""",
        """merged = concatenate([Izd, Dcha, Frt], axis=1)
out = LSTM(240)(merged)""",
    ],
    "expect": {
        "names": ["lstm", "concatenate"],
        "kinds": [],
        "cause_any": [r"ndim|rank|\b[34]-?D\b|(three|four|3|4)[- ]dim|time(steps)?\s*(axis|dim)|feature map"],
        "fix_any": [r"Reshape\(\s*\(\s*\d+\s*,\s*[\d*\s]+\)\s*\)", r"TimeDistributed\(", r"ConvLSTM2D"],
    },
    "fixed_last_cell": """merged = concatenate([Izd, Dcha, Frt], axis=1)          # (None, 12, 5, 40)
seq = keras.layers.Reshape((12, 5 * 40))(merged)        # rows as time steps
out = LSTM(240)(seq)""",
}
