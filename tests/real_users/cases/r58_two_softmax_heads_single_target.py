# ruff: noqa: E501
CASE = {
    "title": "InceptionV3 base with two softmax heads, but the generator yields a single (batch, 4) label array",
    "source": "https://github.com/keras-team/keras-applications/issues/87",
    "flavours": ["keras3"],
    "cells": [
        """import numpy as np
import keras
from keras.layers import GlobalAveragePooling2D, Dense, Conv2D
from keras.models import Model

images = np.random.rand(4, 75, 75, 3).astype("float32")
labels = keras.utils.to_categorical(np.random.randint(0, 4, size=(4,)), 4)   # one label array per batch""",
        """# base_model = InceptionV3(include_top=False) in the post; a small conv stack stands in for it here
inp = keras.Input(shape=(75, 75, 3))
base_model = Model(inp, Conv2D(32, 3, strides=2, activation="relu")(Conv2D(16, 3, strides=2, activation="relu")(inp)),
                   name="inception_v3")
x = base_model.output
x = GlobalAveragePooling2D()(x)
# first Softmax
x_1 = Dense(64, activation='relu')(x)
predictions_1 = Dense(4, activation='softmax', name="predictions_1")(x_1)
# second Softmax
x_2 = Dense(64, activation='relu')(x)
predictions_2 = Dense(4, activation='softmax', name="predictions_2")(x_2)
my_model = Model(inputs=base_model.input, outputs=[predictions_1, predictions_2])
my_model.compile(optimizer='adam', loss='categorical_crossentropy')""",
        """my_model.fit(images, labels, batch_size=2, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["predictions_1", "predictions_2"],
        "kinds": ["target", "loss"],
        "cause_any": [r"two outputs|2 outputs|one (target|label)|single (target|label)|each output|per output|list of (two|2)"],
        "fix_any": [r"\[\s*labels\s*,\s*labels\s*\]|\[\s*\w+\s*,\s*\w+\s*\]|dict|\{"],
    },
    "fixed_last_cell": """my_model.fit(images, [labels, labels], batch_size=2, epochs=1, verbose=0)""",
}
