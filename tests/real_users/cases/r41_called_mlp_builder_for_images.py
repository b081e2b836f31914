# ruff: noqa: E501
CASE = {
    "title": "Digit recognizer: images reshaped to (N, 1, 28, 28) for the CNN, but model = baseline_model() builds the 784-input MLP",
    "source": "https://github.com/keras-team/keras/issues/7332",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten, Conv2D, MaxPooling2D
from keras.utils import to_categorical

num_pixels, num_classes = 784, 10
trainMatrix = np.random.rand(420, 784).astype("float32").reshape(420, 1, 28, 28)
target = to_categorical(np.random.randint(0, 10, size=(420,)), num_classes)

def baseline_model():
    model = Sequential()
    model.add(Dense(num_pixels, input_dim=num_pixels, kernel_initializer='normal', activation='relu'))
    model.add(Dense(num_classes, kernel_initializer='normal', activation='softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
    return model

def baseline_model_CNN():
    model = Sequential()
    model.add(Conv2D(32, (5, 5), input_shape=(1, 28, 28), activation='relu', data_format='channels_first'))
    model.add(MaxPooling2D(pool_size=(2, 2), data_format='channels_first'))
    model.add(Dropout(0.2))
    model.add(Flatten())
    model.add(Dense(128, activation='relu'))
    model.add(Dense(num_classes, activation='softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
    return model""",
        """model = baseline_model()
model.fit(trainMatrix, target, epochs=1, batch_size=200, verbose=0)""",
    ],
    "expect": {
        "names": ["dense", "input_layer", "dense_input"],
        "kinds": ["data"],
        "cause_any": [r"784", r"\b4-?D\b|four[- ]dim|rank|ndim|image"],
        "fix_any": [r"baseline_model_CNN", r"reshape\([^)]*(784|num_pixels)", r"Flatten\("],
    },
}
