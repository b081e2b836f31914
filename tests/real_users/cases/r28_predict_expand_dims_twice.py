# ruff: noqa: E501
CASE = {
    "title": "Santa/not-Santa CNN asked to predict an image expanded twice: (1, 1, 224, 224, 3)",
    "source": "https://github.com/keras-team/keras/issues/12596",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

model = Sequential([
    Conv2D(20, (5, 5), padding="same", activation="relu", input_shape=(224, 224, 3), name="conv2d_21"),
    MaxPooling2D(pool_size=(4, 4), name="max_pooling2d_21"),
    Conv2D(50, (5, 5), padding="same", activation="relu", name="conv2d_22"),
    MaxPooling2D(pool_size=(4, 4), name="max_pooling2d_22"),
    Flatten(name="flatten_11"),
    Dense(2, activation="softmax", name="dense_21"),
])""",
        """r = np.random.randint(0, 255, size=(224, 224, 3)).astype("float")   # cv2.resize(cv2.imread(...), (224, 224))
r = r / 255.0
k = np.expand_dims(r, axis=0)
ry = np.expand_dims(k, axis=1)
(notSanta, santa) = model.predict(ry, verbose=0)[0]""",
    ],
    "expect": {
        "names": ["conv2d_21", "input_layer", "conv2d_21_input"],
        "kinds": ["data"],
        "cause_any": [r"\b5-?D\b|five|extra (axis|dim)|one (axis|dim)(ension)? too many|rank|ndim|\(\s*1\s*,\s*1\s*,\s*224"],
        "fix_any": [r"squeeze", r"(remove|drop|without|delete)[^.]*expand_dims", r"predict\(\s*k\b", r"reshape\(\s*\(?\s*-?1\s*,\s*224\s*,\s*224\s*,\s*3"],
    },
    "fixed_last_cell": """r = np.random.randint(0, 255, size=(224, 224, 3)).astype("float") / 255.0
k = np.expand_dims(r, axis=0)
(notSanta, santa) = model.predict(k, verbose=0)[0]""",
}
