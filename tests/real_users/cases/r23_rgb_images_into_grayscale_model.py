# ruff: noqa: E501
CASE = {
    "title": "Tongue-segmentation net built for (128,128,1) grayscale input fit on RGB images (128,128,3)",
    "source": "https://github.com/keras-team/keras/issues/16711",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, UpSampling2D

X_1 = np.random.rand(16, 128, 128, 3).astype("float32")          # cv2.imread(...) -> BGR
y_1 = (np.random.rand(16, 128, 128, 1) > 0.5).astype("float32")  # masks""",
        """model = Sequential()
model.add(Conv2D(16, (3, 3), activation='relu', padding='same', input_shape=(128, 128, 1), name='layer_1'))
model.add(MaxPooling2D((2, 2), name='pool_1'))
model.add(Conv2D(32, (3, 3), activation='relu', padding='same', name='layer_2'))
model.add(UpSampling2D((2, 2), name='up_1'))
model.add(Conv2D(1, (1, 1), activation='sigmoid', name='mask'))
model.compile(optimizer='adam', loss='binary_crossentropy')""",
        """model.fit(X_1, y_1, batch_size=8, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["layer_1", "input_layer", "layer_1_input"],
        "kinds": ["data"],
        "cause_any": [r"channel", r"RGB|gr[ae]y"],
        "fix_any": [r"gr[ae]y|rgb_to_grayscale|COLOR_BGR2GRAY|IMREAD_GRAYSCALE|mean\([^)]*axis\s*=\s*-1",
                    r"input_shape\s*=\s*\(\s*128\s*,\s*128\s*,\s*3\s*\)|shape\s*=\s*\(\s*128\s*,\s*128\s*,\s*3\s*\)"],
    },
    "fixed_last_cell": """X_gray = X_1.mean(axis=-1, keepdims=True)       # cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)[..., None]
model.fit(X_gray, y_1, batch_size=8, epochs=1, verbose=0)""",
}
