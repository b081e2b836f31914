# ruff: noqa: E501
CASE = {
    "title": "CNN built with input_shape=(128,128,3) fit on image_dataset_from_directory batches of the default 256x256 size",
    "source": "https://github.com/keras-team/keras/issues/19367",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras
from keras.layers import Dense, Conv2D, MaxPool2D, Flatten
from keras.models import Sequential

# image_dataset_from_directory(...) without image_size= yields 256x256 RGB batches
images = np.random.rand(8, 256, 256, 3).astype("float32")
labels = np.random.randint(0, 4, size=(8,))
training_set = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)
validation_set = tf.data.Dataset.from_tensor_slices((images[:4], labels[:4])).batch(4)""",
        """model = Sequential()
model.add(Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(128, 128, 3), name="conv2d"))
model.add(MaxPool2D((2, 2), name="max_pooling2d"))
model.add(Conv2D(16, (3, 3), padding="same", activation="relu", name="conv2d_1"))
model.add(MaxPool2D((2, 2), name="max_pooling2d_1"))
model.add(Flatten(name="flatten"))
model.add(Dense(4, activation="softmax", name="dense_2"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])""",
        """history = model.fit(x=training_set, validation_data=validation_set, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["conv2d", "input_layer", "conv2d_input"],
        "kinds": ["data"],
        "cause_any": [r"256", r"image size|resolution"],
        "fix_any": [r"input_shape\s*=\s*\(\s*256\s*,\s*256", r"image_size\s*=\s*\(\s*128\s*,\s*128",
                    r"Resizing\(|resize", r"GlobalAveragePooling|GlobalMaxPooling|GlobalAvgPool"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(256, 256, 3), name="conv2d"))
model.add(MaxPool2D((2, 2), name="max_pooling2d"))
model.add(Conv2D(16, (3, 3), padding="same", activation="relu", name="conv2d_1"))
model.add(MaxPool2D((2, 2), name="max_pooling2d_1"))
model.add(Flatten(name="flatten"))
model.add(Dense(4, activation="softmax", name="dense_2"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x=training_set, validation_data=validation_set, epochs=1, verbose=0)""",
}
