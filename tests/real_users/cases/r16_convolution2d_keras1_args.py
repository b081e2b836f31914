CASE = {
    "title": "Keras-1 style Convolution2D(32, 3, 3) (the 3rd argument is now strides=3) shrinks 150x150 to nothing",
    "source": "https://github.com/keras-team/keras/issues/3945",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Activation, Dropout, Flatten, Dense
from keras.layers import Convolution2D, MaxPooling2D

img_width, img_height = 150, 150""",
        """model = Sequential()
model.add(Convolution2D(32, 3, 3, input_shape=(img_width, img_height, 3)))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2), strides=(2, 2), data_format="channels_last"))

model.add(Convolution2D(32, 3, 3))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))

model.add(Convolution2D(64, 3, 3))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))""",
    ],
    "expect": {
        "names": ["conv2d", "conv2d_1", "conv2d_2", "max_pooling2d_2"],
        "kinds": [],
        "cause_any": [r"stride"],
        "fix_any": [r"Conv(olution)?2D\(\s*\d+\s*,\s*\(\s*3\s*,\s*3\s*\)", r"kernel_size\s*=\s*\(\s*3\s*,\s*3\s*\)",
                    r"strides\s*=\s*(1|\(\s*1\s*,\s*1\s*\))"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(Convolution2D(32, (3, 3), input_shape=(img_width, img_height, 3)))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2), strides=(2, 2), data_format="channels_last"))
model.add(Convolution2D(32, (3, 3)))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Convolution2D(64, (3, 3)))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))""",
}
