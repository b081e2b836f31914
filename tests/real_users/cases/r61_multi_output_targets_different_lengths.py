# ruff: noqa: E501
CASE = {
    "title": "Domain-adversarial two-output model fit with [yb, D_labels] where D_labels has batch_size entries, not one per sample",
    "source": "https://github.com/keras-team/keras/issues/6385",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.layers import Input, Dense, Lambda, concatenate
from keras.models import Model
from keras.regularizers import l2

n_feat, n_neurons, batch_size = 25, 32, 128
Xb = np.random.rand(1000, n_feat).astype("float32")
tb = np.random.randint(0, 2, size=(1000, 1)).astype("float32")
yb = np.random.rand(1000, 1).astype("float32")

input1 = Input(shape=(n_feat,), name='input1')
input2 = Input(shape=(1,), name='input2')
x = Dense(n_neurons, kernel_regularizer=l2(0.001), activation='relu')(input1)
merg_x = concatenate([x, input2], axis=-1)
pred_out = Dense(1, activation='relu', name='pred_out')(merg_x)
f_ = Lambda(lambda t: t, name="flip_gradient")(merg_x)     # flip_gradient(x, 1) in the post
x = Dense(n_feat, activation='relu')(f_)
x = Dense(n_feat, activation='relu')(x)
dom_out = Dense(2, activation='softmax', name='dom_out')(x)
model = Model(inputs=[input1, input2], outputs=[pred_out, dom_out])
model.compile(optimizer='RMSprop', loss=['mse', 'sparse_categorical_crossentropy'])""",
        """D_labels = np.hstack([np.zeros(int(batch_size / 2), dtype=np.int32),
                      np.ones(int(batch_size / 2), dtype=np.int32)])
print(Xb.shape, tb.shape, yb.shape, D_labels.shape)
model.fit({'input1': Xb, 'input2': tb}, [yb, D_labels], epochs=1, batch_size=128, verbose=0)""",
    ],
    "expect": {
        "names": ["dom_out"],
        "kinds": ["target"],
        "cause_any": [r"\b128\b.*\b1000\b|\b1000\b.*\b128\b", r"number of samples|sample count|same length|cardinality"],
        "fix_any": [r"len\(\s*Xb\s*\)|Xb\.shape\[0\]|1000|one (domain )?label per sample"],
    },
    "fixed_last_cell": """D_labels = np.hstack([np.zeros(len(Xb) // 2, dtype=np.int32), np.ones(len(Xb) - len(Xb) // 2, dtype=np.int32)])
model.fit({'input1': Xb, 'input2': tb}, [yb, D_labels], epochs=1, batch_size=128, verbose=0)""",
}
