# ruff: noqa: E501
CASE = {
    "title": "Object-localization regressor (4 normalized box coords) trained with y = np.array(data): the images were passed as the targets",
    "source": "https://github.com/keras-team/keras/issues/18235",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.layers import Dense, Dropout, Flatten, Input, Conv2D, MaxPooling2D
from keras.models import Model

data, output = [], []
for ind in range(6):
    norm_load_image_arr = np.random.rand(222, 222, 3).astype("float32")   # load_img(..., target_size=(222, 222)) / 255
    label_norm = tuple(np.random.rand(4))                                  # (nxmin, nxmax, nymin, nymax)
    data.append(norm_load_image_arr)
    output.append(label_norm)

y = np.array(data, dtype=np.float32)
X = np.array(data, dtype=np.float32)""",
        """# InceptionResNetV2(weights="imagenet", include_top=False, input_tensor=Input(shape=(222, 222, 3))) in the post;
# a small conv stack stands in for the pretrained base here
inp = Input(shape=(222, 222, 3))
feat = MaxPooling2D(4)(Conv2D(16, 3, strides=2, activation="relu")(inp))
inception_resnet = Model(inp, MaxPooling2D(4)(Conv2D(32, 3, activation="relu")(feat)), name="inception_resnet_v2")
headmodel = inception_resnet.output
headmodel = Flatten()(headmodel)
headmodel = Dense(250, activation="relu")(headmodel)
headmodel = Dense(4, activation='sigmoid', name="bbox")(headmodel)
model = Model(inputs=inception_resnet.input, outputs=headmodel)
model.compile(loss='mse', optimizer=keras.optimizers.Adam(learning_rate=1e-4))""",
        """history = model.fit(x=X, y=y, batch_size=2, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["bbox"],
        "kinds": ["target", "loss"],
        "cause_any": [r"image|\(\s*\w+\s*,\s*222\s*,\s*222\s*,\s*3\s*\)|222"],
        "fix_any": [r"np\.array\(\s*output|y\s*=\s*np\.array\(\s*output"],
    },
    "fixed_last_cell": """y = np.array(output, dtype=np.float32)
history = model.fit(x=X, y=y, batch_size=2, epochs=1, verbose=0)""",
}
