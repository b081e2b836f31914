CASE = {
    "title": "Dense(12, input_dim=7) binary classifier fit on a 3-D array (152, 7, 169)",
    "source": "https://github.com/tensorflow/tensorflow/issues/46076",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense

X = np.random.rand(152, 7, 169).astype("float32")
Y = np.random.randint(0, 2, size=(152,))
X_train, X_test, y_train, y_test = X[:106], X[106:], Y[:106], Y[106:]""",
        """# define the keras model
model = Sequential()
model.add(Dense(12, input_dim=7, activation='relu', name="dense"))
model.add(Dense(8, activation='relu', name="dense_1"))
model.add(Dense(1, activation='sigmoid', name="dense_2"))
# compile the keras model
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])""",
        """# fit the keras model on the dataset
model.fit(X_train, y_train, epochs=1, batch_size=10, verbose=0)""",
    ],
    "expect": {
        "names": ["dense", "input_layer", "dense_input"],
        "kinds": ["data"],
        "cause_any": [r"169", r"\b3-?D\b|three[- ]dim|extra (axis|dim)|rank|ndim"],
        "fix_any": [r"transpose|swapaxes", r"input_shape\s*=\s*\(\s*7\s*,\s*169", r"Flatten\(",
                    r"reshape\([^)]*-1"],
    },
}
