CASE = {
    "title": "Face images stored as 2679-vectors: Reshape((57, 47)) then Conv2D, which needs a channel axis",
    "source": "https://github.com/keras-team/keras/issues/3385",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import keras
from keras.models import Sequential
from keras.layers import Reshape, Conv2D, MaxPooling2D, Dropout, Flatten, Dense, Activation""",
        """model = Sequential()
model.add(Reshape((57, 47), input_shape=(2679,)))
model.add(Conv2D(10, (5, 5), padding='same'))""",
    ],
    "expect": {
        "names": ["conv2d", "reshape"],
        "kinds": [],
        "cause_any": [r"channel"],
        "fix_any": [r"Reshape\(\s*\(\s*57\s*,\s*47\s*,\s*1\s*\)", r"Reshape\(\s*\(\s*1\s*,\s*57\s*,\s*47\s*\)"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(Reshape((57, 47, 1), input_shape=(2679,)))
model.add(Conv2D(10, (5, 5), padding='same'))
model.add(MaxPooling2D(pool_size=(2, 2)))""",
}
