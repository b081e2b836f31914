# ruff: noqa: E501
CASE = {
    "title": "Binary CNN with input_shape=(128,128,3) asked to predict one raw 600x400 image (no resize, no batch axis)",
    "source": "https://github.com/keras-team/keras/issues/10955",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras
from keras.models import Sequential
from keras.layers import Activation, Dropout, Flatten, Dense

model = Sequential()
model.add(keras.layers.Conv2D(32, (3, 3), input_shape=(128, 128, 3), name="conv2d_3"))
model.add(Activation('relu', name="activation"))
model.add(keras.layers.MaxPooling2D(pool_size=(2, 2), name="max_pooling2d"))
model.add(Flatten(name="flatten"))
model.add(Dense(64, name="dense"))
model.add(Activation('relu', name="activation_1"))
model.add(Dropout(0.5, name="dropout"))
model.add(Dense(1, name="dense_1"))
model.add(Activation('sigmoid', name="activation_2"))
model.compile(loss='binary_crossentropy', optimizer='rmsprop', metrics=['accuracy'])""",
        """# img = cv2.imread('test.jpg')  -> a (600, 400, 3) array
img = np.random.randint(0, 255, size=(600, 400, 3)).astype("float32")
prediction = model.predict(img, verbose=0)""",
    ],
    "expect": {
        "names": ["conv2d_3", "input_layer", "conv2d_3_input"],
        "kinds": ["data"],
        "cause_any": [r"batch\s+(axis|dim)|sample\s+(axis|dim)|(no|missing|without( a)?|lacks?( a)?)\s+(leading\s+)?batch|(single|one)\s+(image|sample)"],
        "fix_any": [r"resize", r"\[\s*(np\.|tf\.)?(newaxis|None)\b|expand_dims\([^)]*\b0\b|reshape\(\s*\(?\s*1\s*,"],
    },
    "fixed_last_cell": """img = np.random.randint(0, 255, size=(600, 400, 3)).astype("float32")
img = tf.image.resize(img, (128, 128)).numpy()
prediction = model.predict(img[np.newaxis, ...], verbose=0)""",
}
