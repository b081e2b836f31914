# ruff: noqa: E501
CASE = {
    "title": "DeepLabV3+-style segmentation: one-hot masks (H, W, 14) trained with SparseCategoricalCrossentropy",
    "source": "https://github.com/srihari-humbarwadi/DeepLabV3_Plus-Tensorflow2.0/issues/27",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras import layers

H, W, NUM_CLASSES = 64, 96, 14
images = np.random.rand(4, H, W, 3).astype("float32")
masks = keras.utils.to_categorical(np.random.randint(0, NUM_CLASSES, size=(4, H, W)), NUM_CLASSES)   # (4, 64, 96, 14)""",
        """inputs = keras.Input(shape=(H, W, 3))
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
x = layers.Conv2D(64, 3, padding="same", activation="relu", name="aspp")(x)
x = layers.UpSampling2D(2, interpolation="bilinear")(x)
outputs = layers.Conv2D(NUM_CLASSES, 1, padding="same", name="logits")(x)
model = keras.Model(inputs, outputs, name="DeepLabV3_Plus")
loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=loss, metrics=["accuracy"])""",
        """model.fit(images, masks, batch_size=4, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["logits"],
        "kinds": ["target", "loss"],
        "cause_any": [r"one[- _]?hot|sparse|integer|class\s+(ids?|indices|index)"],
        "fix_any": [r"argmax", r"(?<!Sparse)CategoricalCrossentropy\(|(?<!sparse_)categorical_crossentropy"],
    },
    "fixed_last_cell": """model.fit(images, masks.argmax(axis=-1), batch_size=4, epochs=1, verbose=0)""",
}
