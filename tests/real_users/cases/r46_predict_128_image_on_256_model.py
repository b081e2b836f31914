# ruff: noqa: E501
CASE = {
    "title": "Sign-digit webcam demo: ROI resized to 128x128 and reshaped to (1,128,128,1) for a model trained on 256x256 images",
    "source": "https://github.com/keras-team/keras/issues/16347",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

model = Sequential([
    Conv2D(16, (3, 3), activation='relu', input_shape=(256, 256, 1)),
    MaxPooling2D((4, 4)),
    Conv2D(32, (3, 3), activation='relu'),
    MaxPooling2D((4, 4)),
    Flatten(),
    Dense(10, activation='softmax'),
])
number_dict = {i: str(i) for i in range(10)}""",
        """final_image = np.random.randint(0, 255, size=(300, 300)).astype("uint8")   # thresholded ROI
final_image = final_image[:128, :128]                                          # cv2.resize(final_image, (128, 128))
final_image = np.reshape(final_image, (1, final_image.shape[0], final_image.shape[1], 1))
pred = model.predict(final_image, verbose=0)
print(number_dict[np.argmax(pred)])""",
    ],
    "expect": {
        "names": ["conv2d", "input_layer", "conv2d_input"],
        "kinds": ["data"],
        "cause_any": [r"128.*256|256.*128"],
        "fix_any": [r"resize\([^)]*256\s*,\s*256|\(\s*256\s*,\s*256\s*\)", r"Resizing\("],
    },
    "fixed_last_cell": """final_image = np.random.randint(0, 255, size=(300, 300)).astype("uint8")
final_image = np.resize(final_image, (256, 256))                               # cv2.resize(final_image, (256, 256))
final_image = np.reshape(final_image, (1, final_image.shape[0], final_image.shape[1], 1))
pred = model.predict(final_image, verbose=0)
print(number_dict[np.argmax(pred)])""",
}
