# ruff: noqa: E501
CASE = {
    "title": "Ronneberger U-Net with valid 3x3 convs on 572x572: the first up-convolution (56x56) is concatenated with the uncropped 64x64 skip",
    "source": "https://github.com/qubvel/segmentation_models/issues/154",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import keras
from keras.layers import Input, Conv2D, BatchNormalization, Activation, MaxPooling2D, Conv2DTranspose, concatenate

def block(x, filters):
    x = Conv2D(filters=filters, kernel_size=(3, 3), strides=(1, 1))(x)
    x = BatchNormalization()(x)
    x = Activation('relu')(x)
    x = Conv2D(filters=filters, kernel_size=(3, 3), strides=(1, 1))(x)
    x = BatchNormalization()(x)
    return Activation('relu')(x)

input = Input(shape=(572, 572, 3))
## Contracting
conv1 = block(input, 64)                                                               # (?, 568, 568, 64)
pool1 = MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding='same')(conv1)          # (?, 284, 284, 64)
conv2 = block(pool1, 128)                                                              # (?, 280, 280, 128)
pool2 = MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding='same')(conv2)          # (?, 140, 140, 128)
conv3 = block(pool2, 256)                                                              # (?, 136, 136, 256)
pool3 = MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding='same')(conv3)          # (?, 68, 68, 256)
conv4 = block(pool3, 512)                                                              # (?, 64, 64, 512)
pool4 = MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding='same')(conv4)          # (?, 32, 32, 512)
conv5 = block(pool4, 1024)                                                             # (?, 28, 28, 1024)""",
        """## Expansive
up6 = Conv2DTranspose(filters=512, kernel_size=(2, 2), strides=(2, 2))(conv5)          # (?, 56, 56, 512)
merge6 = concatenate([up6, conv4], axis=3)""",
    ],
    "expect": {
        "names": ["concatenate", "conv2d_transpose", "activation_7"],
        "kinds": [],
        "cause_any": [r"\b56\b.*\b64\b|\b64\b.*\b56\b", r"crop|valid"],
        "fix_any": [r"Cropping2D", r"padding\s*=\s*['\"]same"],
    },
    "fixed_last_cell": """up6 = Conv2DTranspose(filters=512, kernel_size=(2, 2), strides=(2, 2))(conv5)          # (?, 56, 56, 512)
crop4 = keras.layers.Cropping2D(cropping=((4, 4), (4, 4)))(conv4)                      # (?, 56, 56, 512)
merge6 = concatenate([up6, crop4], axis=3)""",
}
