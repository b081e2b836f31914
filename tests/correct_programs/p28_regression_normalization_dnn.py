PROGRAM = {
    "title": "Regression (Auto MPG): Normalization(axis=-1) adapted on the feature matrix, Dense stack to Dense(1), "
             "targets a pandas Series of shape (N,), mean absolute error, evaluate, predict(...).flatten()",
    "source": "https://github.com/tensorflow/docs/blob/master/site/en/tutorials/keras/regression.ipynb",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import pandas as pd
import keras
from keras import layers

# Stand-in for auto-mpg.data after dropna() and one-hot encoding of 'Origin'
rng = np.random.default_rng(0)
n = 80
dataset = pd.DataFrame(
    {
        "MPG": rng.uniform(9, 46, size=n),
        "Cylinders": rng.choice([4, 6, 8], size=n).astype(float),
        "Displacement": rng.uniform(68, 455, size=n),
        "Horsepower": rng.uniform(46, 230, size=n),
        "Weight": rng.uniform(1613, 5140, size=n),
        "Acceleration": rng.uniform(8, 24.8, size=n),
        "Model Year": rng.integers(70, 83, size=n).astype(float),
        "Europe": rng.integers(0, 2, size=n).astype(float),
        "Japan": rng.integers(0, 2, size=n).astype(float),
        "USA": rng.integers(0, 2, size=n).astype(float),
    }
)
train_dataset = dataset.sample(frac=0.8, random_state=0)
test_dataset = dataset.drop(train_dataset.index)

train_features = train_dataset.copy()
test_features = test_dataset.copy()
train_labels = train_features.pop("MPG")
test_labels = test_features.pop("MPG")
""",
        """
normalizer = layers.Normalization(axis=-1)
normalizer.adapt(np.array(train_features))
print(normalizer.mean.numpy())


def build_and_compile_model(norm):
    model = keras.Sequential(
        [
            keras.Input(shape=(train_features.shape[1],)),
            norm,
            layers.Dense(64, activation="relu"),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ]
    )
    model.compile(loss="mean_absolute_error", optimizer=keras.optimizers.Adam(0.001))
    return model


dnn_model = build_and_compile_model(normalizer)
history = dnn_model.fit(train_features, train_labels, verbose=0, epochs=1)
""",
        """
test_results = {"dnn_model": dnn_model.evaluate(test_features, test_labels, verbose=0)}
test_predictions = dnn_model.predict(test_features, verbose=0).flatten()
error = test_predictions - test_labels
test_results
""",
    ],
}
