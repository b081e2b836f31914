# ruff: noqa: E501
CASE = {
    "title": "Conv3D on input_shape=(1, rows, cols, patch_size) written channels-first, run channels-last: depth 1 < kernel 5",
    "source": "https://github.com/keras-team/keras/issues/6739",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Conv3D, MaxPooling3D, Dropout, Flatten, Dense

img_rows, img_cols, patch_size = 64, 64, 15
nb_filters = [30, 30]
nb_pool = [2, 2]
nb_conv = [5, 5]""",
        """model = Sequential()
model.add(Conv3D(nb_filters[0], (nb_conv[0], nb_conv[0], nb_conv[0]), input_shape=(1, img_rows, img_cols, patch_size), activation='relu'))
model.add(MaxPooling3D(pool_size=(nb_pool[0], nb_pool[0], nb_pool[0])))""",
    ],
    "expect": {
        "names": ["conv3d", "input_layer", "conv3d_input"],
        "kinds": [],
        "cause_any": [r"channels?[_ ]first|channels?[_ ]last|channel (axis|dim|last)|data_format"],
        "fix_any": [r"channels_first", r"input_shape\s*=\s*\(\s*img_rows\s*,\s*img_cols\s*,\s*patch_size\s*,\s*1\s*\)",
                    r"\(\s*64\s*,\s*64\s*,\s*15\s*,\s*1\s*\)", r"moveaxis|transpose"],
    },
}
