# ruff: noqa: E501
CASE = {
    "title": "Custom NMU layer multiplies (batch, input_dim) inputs elementwise by an (input_dim, output_dim) weight",
    "source": "https://github.com/keras-team/keras/issues/15470",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras
from keras.models import Sequential
from keras.optimizers import RMSprop

def w_initialization(shape):
    return np.random.uniform(0.25, 0.75, size=shape).astype("float32")

class NMU(keras.layers.Layer):
    def __init__(self, output_dim, input_dim):
        super(NMU, self).__init__()
        self.weight = tf.Variable(w_initialization([input_dim, output_dim]), dtype="float32", name="weight", trainable=True)
    def call(self, inputs):
        W = tf.minimum(tf.maximum(self.weight, 0), 1)
        output = (inputs * W) + 1 - W
        return tf.reduce_prod(output, axis=1)

X_TRAIN, Y_TRAIN = [], []
for i in range(1, 200):
    a1 = np.random.randint(1000)
    a2 = np.random.randint(1000)
    X_TRAIN.append(np.array([np.float32(a1), np.float32(a2)]))
    Y_TRAIN.append(np.array([np.float32(a2*a1), np.float32(a2*a1)]))
X_TRAIN = np.array(X_TRAIN)
Y_TRAIN = np.array(Y_TRAIN)""",
        """model = Sequential()
model.add(NMU(2, 2))
model.compile(loss='mse', optimizer=RMSprop(learning_rate=0.001))
model.fit(x=X_TRAIN, y=Y_TRAIN, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["nmu"],
        "kinds": [],
        "cause_any": [r"broadcast|batch|\(\s*2\s*,\s*2\s*\)|weight"],
        "fix_any": [r"expand_dims|\[\s*:\s*,\s*:\s*,\s*(None|tf\.newaxis)\s*\]|tf\.newaxis|reshape\("],
    },
    "fixed_last_cell": """class NMU(keras.layers.Layer):
    def __init__(self, output_dim, input_dim):
        super(NMU, self).__init__()
        self.weight = tf.Variable(w_initialization([input_dim, output_dim]), dtype="float32", name="weight", trainable=True)
    def call(self, inputs):
        W = tf.minimum(tf.maximum(self.weight, 0), 1)
        output = (tf.expand_dims(inputs, -1) * W) + 1 - W      # (batch, input_dim, output_dim)
        return tf.reduce_prod(output, axis=1)
model = Sequential()
model.add(NMU(2, 2))
model.compile(loss='mse', optimizer=RMSprop(learning_rate=0.001))
model.fit(x=X_TRAIN, y=Y_TRAIN, epochs=1, verbose=0)""",
}
