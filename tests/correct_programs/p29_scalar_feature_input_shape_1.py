PROGRAM = {
    "title": "Single-feature regression: a (N,) column fed to a model whose input is shape (1,) (the documented "
             "idiom), Normalization(axis=None) adapted on the (N,) array, Dense(1), (N,) targets, predict on (10,) "
             "and on a (251,) linspace",
    "source": "https://github.com/tensorflow/docs/blob/master/site/en/tutorials/keras/regression.ipynb",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import pandas as pd
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(0)
train_features = pd.DataFrame({"Horsepower": rng.uniform(46, 230, size=64)})
train_labels = pd.Series(45 - 0.15 * train_features["Horsepower"] + rng.normal(size=64), name="MPG")

horsepower = np.array(train_features["Horsepower"])  # shape (N,)

horsepower_normalizer = layers.Normalization(axis=None)
horsepower_normalizer.adapt(horsepower)
""",
        """
horsepower_model = keras.Sequential(
    [
        keras.Input(shape=(1,)),
        horsepower_normalizer,
        layers.Dense(units=1),
    ]
)
horsepower_model.predict(horsepower[:10], verbose=0)
""",
        """
horsepower_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="mean_absolute_error")
history = horsepower_model.fit(
    train_features["Horsepower"],
    train_labels,
    epochs=1,
    # Calculate validation results on 20% of the training data.
    validation_split=0.2,
    verbose=0,
)
""",
        """
x = tf.linspace(0.0, 250, 251)
y = horsepower_model.predict(x, verbose=0)
y.shape
""",
    ],
}
