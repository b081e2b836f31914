# ruff: noqa: E501
CASE = {
    "title": "Transfer learning: Dense(67, softmax) put straight on VGG19(include_top=False) feature maps, fit on one-hot labels",
    "source": "https://github.com/keras-team/keras/issues/14341",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.applications import VGG19
from keras.layers import Dense
from keras.models import Model

img_size = (224, 224, 3)
num_classes = 67
x_batch = np.random.rand(2, 224, 224, 3).astype("float32")
y_batch = keras.utils.to_categorical(np.random.randint(0, num_classes, size=(2,)), num_classes)""",
        """base_model = VGG19(weights=None, input_shape=img_size, include_top=False)   # weights="imagenet" in the post
base_model.trainable = False
x = base_model.output
predictions = Dense(num_classes, activation='softmax', name="predictions")(x)
model = Model(inputs=base_model.input, outputs=predictions)
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])""",
        """model.fit(x_batch, y_batch, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["predictions", "block5_pool"],
        "kinds": [],
        "cause_any": [r"flatten|pool|feature\s+map", r"\b4-?D\b|(four|4)[- ]dim|spatial|7\s*x\s*7"],
        "fix_any": [r"Flatten\(|GlobalAveragePooling2D|GlobalMaxPooling2D|GlobalAvgPool2D|pooling\s*=\s*['\"](avg|max)"],
    },
    "fixed_last_cell": """x = keras.layers.GlobalAveragePooling2D()(base_model.output)
predictions = Dense(num_classes, activation='softmax', name="predictions")(x)
model = Model(inputs=base_model.input, outputs=predictions)
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
model.fit(x_batch[:1], y_batch[:1], epochs=1, verbose=0)""",
}
