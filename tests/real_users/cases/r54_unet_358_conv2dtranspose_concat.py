# ruff: noqa: E501
CASE = {
    "title": "U-Net with Conv2DTranspose upsampling on 358x358 input: 178 -> 89 -> 44 (pool), then 44 -> 88 does not meet 89",
    "source": "https://github.com/keras-team/keras/issues/19964",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import tensorflow as tf
import keras""",
        """def unet(n_levels, initial_features=32, n_blocks=2, kernel_size=3, pooling_size=2, in_channels=1, out_channels=1):
    inputs = keras.layers.Input(shape=(358, 358, in_channels))
    x = inputs

    convpars = dict(kernel_size=kernel_size, activation='relu', padding='same')

    # downstream
    skips = {}
    for level in range(n_levels):
        for _ in range(n_blocks):
            x = keras.layers.Conv2D(initial_features * 2 ** level, **convpars)(x)
        if level < n_levels - 1:
            skips[level] = x
            x = keras.layers.MaxPool2D(pooling_size)(x)

    # upstream
    for level in reversed(range(n_levels-1)):
        x = keras.layers.Conv2DTranspose(initial_features * 2 ** level, strides=pooling_size, **convpars)(x)
        x = keras.layers.Concatenate()([x, skips[level]])
        for _ in range(n_blocks):
            x = keras.layers.Conv2D(initial_features * 2 ** level, **convpars)(x)

    # output
    activation = 'sigmoid' if out_channels == 1 else 'softmax'
    x = keras.layers.Conv2D(out_channels, kernel_size=1, activation=activation, padding='same')(x)
    return keras.Model(inputs=[inputs], outputs=[x], name=f'UNET-L{n_levels}-F{initial_features}')

model = unet(4, initial_features=8)""",
    ],
    "expect": {
        "names": ["concatenate", "conv2d_transpose", "max_pooling2d_2", "max_pooling2d_1", "input_layer", "input_1"],
        "kinds": [],
        "cause_any": [r"\b89\b.*\b88\b|\b88\b.*\b89\b|odd|divisible|round(s|ed)? down|floor"],
        "fix_any": [r"ZeroPadding2D|Cropping2D", r"resiz", r"divisible|multiple of (8|16)|power of 2|\b352\b|\b360\b|\b256\b|\b384\b"],
    },
    "fixed_last_cell": """inputs = keras.layers.Input(shape=(358, 358, 1))
x = keras.layers.ZeroPadding2D(((1, 1), (1, 1)))(inputs)   # 360 = 8 * 45
convpars = dict(kernel_size=3, activation='relu', padding='same')
skips = {}
for level in range(4):
    for _ in range(2):
        x = keras.layers.Conv2D(8 * 2 ** level, **convpars)(x)
    if level < 3:
        skips[level] = x
        x = keras.layers.MaxPool2D(2)(x)
for level in reversed(range(3)):
    x = keras.layers.Conv2DTranspose(8 * 2 ** level, strides=2, **convpars)(x)
    x = keras.layers.Concatenate()([x, skips[level]])
x = keras.layers.Cropping2D(((1, 1), (1, 1)))(x)
x = keras.layers.Conv2D(1, kernel_size=1, activation='sigmoid', padding='same')(x)
model = keras.Model(inputs=[inputs], outputs=[x])""",
}
