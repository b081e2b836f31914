# ruff: noqa: E501
CASE = {
    "title": "Conv autoencoder (Keras blog pattern) on 458x690 images: decoder output is 460x692, two pixels off the target",
    "source": "https://github.com/ankonzoid/artificio/issues/12",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D
from keras.models import Model

x_train = np.random.rand(2, 458, 690, 3).astype("float32")""",
        """input_img = Input(shape=(458, 690, 3))
x = Conv2D(16, (3, 3), activation='relu', padding='same')(input_img)
x = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
x = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
encoded = MaxPooling2D((2, 2), padding='same')(x)

x = Conv2D(8, (3, 3), activation='relu', padding='same')(encoded)
x = UpSampling2D((2, 2))(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
x = UpSampling2D((2, 2))(x)
x = Conv2D(16, (3, 3), activation='relu')(x)
x = UpSampling2D((2, 2))(x)
decoded = Conv2D(3, (3, 3), activation='sigmoid', padding='same')(x)

autoencoder = Model(input_img, decoded)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')""",
        """autoencoder.fit(x_train, x_train, epochs=1, batch_size=1, shuffle=True, verbose=0)""",
    ],
    "expect": {
        "names": ["conv2d_5", "conv2d_6", "input_layer", "input_1"],
        "kinds": [],
        "cause_any": [r"pixel|larger|bigger|off by|valid|padding|divisible|odd"],
        "fix_any": [r"padding\s*=\s*['\"]same", r"Cropping2D\(|ZeroPadding2D\(", r"resiz", r"divisible|multiple of 8"],
    },
    "fixed_last_cell": """input_img = Input(shape=(458, 690, 3))
x = Conv2D(16, (3, 3), activation='relu', padding='same')(input_img)
x = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
x = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
encoded = MaxPooling2D((2, 2), padding='same')(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(encoded)
x = UpSampling2D((2, 2))(x)
x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
x = UpSampling2D((2, 2))(x)
x = Conv2D(16, (3, 3), activation='relu', padding='same')(x)
x = UpSampling2D((2, 2))(x)
x = keras.layers.Cropping2D(((3, 3), (3, 3)))(x)   # 464x696 -> 458x690
decoded = Conv2D(3, (3, 3), activation='sigmoid', padding='same')(x)
autoencoder = Model(input_img, decoded)
autoencoder.compile(optimizer='adam', loss='binary_crossentropy')
autoencoder.fit(x_train[:1], x_train[:1], epochs=1, batch_size=1, verbose=0)""",
}
