# ruff: noqa: E501
CASE = {
    "title": "Conv autoencoder on 23x23 gene-expression 'images': the decoder ends at 20x20",
    "source": "https://github.com/keras-team/keras/issues/12674",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D
from keras.models import Model

X_GTEx = np.random.rand(40, 529)
x_train = np.reshape(X_GTEx, (40, 23, 23, 1))""",
        """input_profile = Input(shape=(23, 23, 1))
x = Conv2D(16, (3, 3), activation='relu', padding='same')(input_profile)
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
decoded = Conv2D(1, (3, 3), activation='sigmoid', padding='same')(x)

autoencoder = Model(input_profile, decoded)
autoencoder.compile(optimizer='adadelta', loss='binary_crossentropy')""",
        """autoencoder.fit(x_train, x_train,
                epochs=1, batch_size=8,
                shuffle=True, validation_data=(x_train, x_train), verbose=0)""",
    ],
    "expect": {
        "names": ["conv2d_5", "conv2d_6", "input_layer", "input_1"],
        "kinds": [],
        "cause_any": [r"pixel|larger|bigger|smaller|off by|valid|padding|divisible|odd"],
        "fix_any": [r"padding\s*=\s*['\"]same", r"Cropping2D\(|ZeroPadding2D\(|np\.pad\(", r"resiz", r"divisible|multiple of 8|24\s*x\s*24|\(\s*24\s*,\s*24"],
    },
    "fixed_last_cell": """x_train = np.pad(x_train, ((0, 0), (0, 1), (0, 1), (0, 0)))   # 23x23 -> 24x24
input_profile = Input(shape=(24, 24, 1))
x = Conv2D(16, (3, 3), activation='relu', padding='same')(input_profile)
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
decoded = Conv2D(1, (3, 3), activation='sigmoid', padding='same')(x)
autoencoder = Model(input_profile, decoded)
autoencoder.compile(optimizer='adadelta', loss='binary_crossentropy')
autoencoder.fit(x_train, x_train, epochs=1, batch_size=8, verbose=0)""",
}
