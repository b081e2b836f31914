# ruff: noqa: E501
CASE = {
    "title": "Flask app predicts a 28x28 PNG with its alpha channel: (1, 28, 28, 4) into a model built for 3 channels",
    "source": "https://github.com/imfing/keras-flask-deploy-webapp/issues/23",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

model = Sequential([
    Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 3), name="conv2d_1"),
    MaxPooling2D((2, 2), name="max_pooling2d_1"),
    Flatten(name="flatten_1"),
    Dense(2, activation='softmax', name="dense_1"),
])

def model_predict(img, model):
    # img = Image.open(...).resize((28, 28)); x = image.img_to_array(img)  -> RGBA PNG
    x = img
    x = np.expand_dims(x, axis=0)
    x = x / 127.5 - 1.0
    (nt, weapon) = model.predict(x, verbose=0)[0]
    return nt, weapon""",
        """img = np.random.randint(0, 255, size=(28, 28, 4)).astype("float32")
model_predict(img, model)""",
    ],
    "expect": {
        "names": ["conv2d_1", "input_layer", "conv2d_1_input"],
        "kinds": ["data"],
        "cause_any": [r"RGBA|alpha|\b4 channels|channel"],
        "fix_any": [r"convert\(\s*['\"]RGB['\"]", r"\[\s*\.\.\.\s*,\s*:\s*3\s*\]|\[\s*:\s*,\s*:\s*,\s*:\s*3\s*\]", r"rgba_to_rgb|drop the alpha|COLOR_RGBA2RGB|COLOR_BGRA2BGR"],
    },
    "fixed_last_cell": """img = np.random.randint(0, 255, size=(28, 28, 4)).astype("float32")
model_predict(img[..., :3], model)   # img.convert('RGB')""",
}
