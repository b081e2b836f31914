# ruff: noqa: E501
CASE = {
    "title": "DLwP 5.3 feature extraction: the Dense classifier trained on VGG16 features (4*4*512) is evaluated on raw 150x150 test images",
    "source": "https://github.com/fchollet/deep-learning-with-python-notebooks/issues/157",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras import models, layers
from keras.applications import VGG16

conv_base = VGG16(weights=None, include_top=False, input_shape=(150, 150, 3))   # weights='imagenet' in the book
train_features = np.random.rand(40, 4 * 4 * 512).astype("float32")   # extract_features(train_dir, ...) reshaped
train_labels = np.random.randint(0, 2, size=(40,))
test_images = np.random.rand(4, 150, 150, 3).astype("float32")        # a batch from test_generator
test_labels = np.random.randint(0, 2, size=(4,))

model = models.Sequential()
model.add(layers.Dense(256, activation='relu', input_dim=4 * 4 * 512))
model.add(layers.Dropout(0.5))
model.add(layers.Dense(1, activation='sigmoid'))
model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['acc'])
model.fit(train_features, train_labels, epochs=1, batch_size=20, verbose=0)""",
        """test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=0)""",
    ],
    "expect": {
        "names": ["dense", "input_layer", "dense_input"],
        "kinds": ["data"],
        "cause_any": [r"8192|4\s*\*\s*4\s*\*\s*512|feature", r"image"],
        "fix_any": [r"conv_base\.predict|extract_features"],
    },
    "fixed_last_cell": """test_features = conv_base.predict(test_images, verbose=0).reshape(len(test_images), 4 * 4 * 512)
test_loss, test_acc = model.evaluate(test_features, test_labels, verbose=0)""",
}
