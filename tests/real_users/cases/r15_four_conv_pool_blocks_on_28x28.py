# ruff: noqa: E501
CASE = {
    "title": "Four Conv2D(3x3, valid) + MaxPooling2D blocks on 28x28x1: the 4th conv sees a 1x1 map",
    "source": "https://github.com/keras-team/keras/issues/12951",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import keras
from keras import layers, models

model = models.Sequential()
model.add(layers.Conv2D(16, (3, 3), activation='relu', input_shape=(28, 28, 1)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(32, (3, 3), activation='relu'))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.MaxPooling2D((2, 2)))""",
        """model.add(layers.Conv2D(128, (3, 3), activation='relu'))
model.add(layers.MaxPooling2D((2, 2)))""",
    ],
    "expect": {
        "names": ["conv2d_3", "max_pooling2d_2", "conv2d_2"],
        "kinds": [],
        "cause_any": [r"1\s*x\s*1|\(\s*None\s*,\s*1\s*,\s*1\s*,|too small|smaller than the kernel|shrink|negative|zero"],
        "fix_any": [r"padding\s*=\s*['\"]same", r"remove|drop|fewer|one less"],
    },
    "fixed_last_cell": """model.add(layers.Conv2D(128, (3, 3), activation='relu', padding='same'))
model.add(layers.Flatten())""",
}
