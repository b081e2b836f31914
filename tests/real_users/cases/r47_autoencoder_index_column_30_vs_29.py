# ruff: noqa: E501
CASE = {
    "title": "Credit-card fraud autoencoder with input_dim=29 fit on a 30-column frame (the CSV index 'Unnamed: 0' became a feature)",
    "source": "https://github.com/aapatel09/handson-unsupervised-learning/issues/9",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import pandas as pd
import keras
from keras.models import Sequential
from keras.layers import Dense
from keras import regularizers

cols = ['Unnamed: 0'] + [f'V{i}' for i in range(1, 29)] + ['Amount']
dataX = pd.DataFrame(np.random.rand(300, 30), columns=cols)     # pd.read_csv(...) without index_col
X_train = dataX.values""",
        """model = Sequential()
model.add(Dense(units=40, activation='linear',
                activity_regularizer=regularizers.l1(10e-5),
                input_dim=29, name='hidden_layer'))
model.add(Dense(units=29, activation='linear', name='output_layer'))
model.compile(optimizer='adam', loss='mean_squared_error', metrics=['accuracy'])""",
        """history = model.fit(x=X_train, y=X_train, epochs=1, batch_size=32, shuffle=True, validation_split=0.2, verbose=0)""",
    ],
    "expect": {
        "names": ["hidden_layer", "input_layer", "hidden_layer_input"],
        "kinds": ["data"],
        "cause_any": [r"\b30\b.*\b29\b|\b29\b.*\b30\b|extra (column|feature)|one (column|feature) too many"],
        "fix_any": [r"drop\(|index_col|iloc\[\s*:\s*,\s*1\s*:\s*\]|\[\s*:\s*,\s*1\s*:\s*\]"],
    },
    "fixed_last_cell": """X_train = dataX.drop(['Unnamed: 0'], axis=1).values
history = model.fit(x=X_train, y=X_train, epochs=1, batch_size=32, shuffle=True, validation_split=0.2, verbose=0)""",
}
