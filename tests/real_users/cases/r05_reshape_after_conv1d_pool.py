# ruff: noqa: E501
CASE = {
    "title": "Char model: Embedding -> Conv1D -> MaxPooling1D -> Reshape((maxlen, embedding_size)) whose size differs",
    "source": "https://github.com/keras-team/keras/issues/4534",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Embedding, Conv1D, MaxPooling1D, Reshape

max_features = 100
embedding_size = 50
maxlen = 10
max_charlen = 15
nb_filter = 64
pool_length = 2""",
        """char = Sequential()
char.add(keras.Input(shape=(maxlen*max_charlen,)))  # Keras 3: input_length= no longer builds the model
char.add(Embedding(max_features, embedding_size, input_length=maxlen*max_charlen))
char.add(Conv1D(nb_filter, 3, padding='valid', activation='relu'))
char.add(MaxPooling1D(pool_length))
char.add(Reshape((maxlen, embedding_size)))""",
    ],
    "expect": {
        "names": ["reshape"],
        "kinds": [],
        "cause_any": [r"4736|\(\s*74\s*,\s*64\s*\)", r"total size|number of (elements|values)|element count|sizes? (differ|do not match)"],
        "fix_any": [r"Reshape\(\s*\(\s*(maxlen\s*,\s*)?-1", r"Reshape\(\s*\(\s*74\s*,\s*64", r"Reshape\(\s*\(\s*-1\s*,",
                    r"Flatten\(", r"4736"],
    },
}
