# ruff: noqa: E501
CASE = {
    "title": "Learn-to-rank: Lambda(tf.split) keeps a length-1 axis, so Dense(3, softmax) outputs (None, 1, 3) vs labels (2, 3)",
    "source": "https://node-js.developreference.com/article/10496769/keras+input+not+matching+output+confusion",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras
from keras.layers import Input, Lambda, Dense, Concatenate
from keras.models import Model

# 3 locations with 2 descriptions.
rinputs = Input(shape=(3, 2), name='inputlayer')
# take my 3 expected inputs, split them
split = Lambda(lambda x: tf.split(x, num_or_size_splits=3, axis=1))(rinputs)
input_one_tensor = split[0]
input_two_tensor = split[1]
input_three_tensor = split[2]
# combine each set of location elements into 1 "score"
layer2 = Dense(1, name='Layer2', use_bias=True, activation='sigmoid')
layer2a = layer2(input_one_tensor)
layer2b = layer2(input_two_tensor)
layer2c = layer2(input_three_tensor)
concatLayer = Concatenate(name='ConcatLayer2')([layer2a, layer2b, layer2c])
# softmax my score to get "best selection"
softmaxLayer = Dense(3, activation='softmax', name='softmax', use_bias=False)
softmaxLayer = softmaxLayer(concatLayer)
model = Model(inputs=rinputs, outputs=softmaxLayer)
model.compile(loss=keras.losses.categorical_crossentropy, optimizer=keras.optimizers.Adam(), metrics=['accuracy'])""",
        """loc1 = [1, 5]
loc2 = [4, 1]
loc3 = [6, 7]
# create two entries for my trial run
inputs = np.asarray([[loc1, loc2, loc3], [loc3, loc3, loc1]]).reshape(2, 3, 2)
ytrue = np.asarray([[1, 0, 0], [0, 0, 1]]).reshape(2, 3)
model.fit(inputs, ytrue, verbose=0)""",
    ],
    "expect": {
        "names": ["softmax", "ConcatLayer2", "Layer2", "lambda"],
        "kinds": [],
        "cause_any": [r"\(\s*None\s*,\s*1\s*,\s*3\s*\)|length[- ]1|size[- ]1|extra (axis|dim)|\b3-?D\b|rank|ndim"],
        "fix_any": [r"Flatten\(", r"Reshape\(\s*\(\s*3\s*,?\s*\)\s*\)", r"squeeze", r"axis\s*=\s*-1\)\s*\[|\[\s*:\s*,\s*0\s*\]"],
    },
    "fixed_last_cell": """flat = keras.layers.Flatten()(concatLayer)
out = Dense(3, activation='softmax', name='softmax_flat', use_bias=False)(flat)
model = Model(inputs=rinputs, outputs=out)
model.compile(loss=keras.losses.categorical_crossentropy, optimizer=keras.optimizers.Adam(), metrics=['accuracy'])
inputs = np.asarray([[[1, 5], [4, 1], [6, 7]], [[6, 7], [6, 7], [1, 5]]]).reshape(2, 3, 2)
ytrue = np.asarray([[1, 0, 0], [0, 0, 1]]).reshape(2, 3)
model.fit(inputs, ytrue, verbose=0)""",
}
