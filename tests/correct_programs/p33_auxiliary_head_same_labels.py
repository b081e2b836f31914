PROGRAM = {
    "title": "Deep supervision: a main and an auxiliary softmax head (both (N, 10)), the SAME one-hot label array "
             "passed explicitly for each named output, dict losses and loss_weights (main 1.0, aux 0.3)",
    "source": "https://github.com/keras-team/keras-io/blob/master/guides/functional_api.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras
from keras import layers

num_classes = 10
x_train = np.random.random((64, 32, 32, 3)).astype("float32")
y_train = keras.utils.to_categorical(np.random.randint(0, num_classes, size=(64,)), num_classes)

inputs = keras.Input(shape=(32, 32, 3), name="img")
x = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
x = layers.MaxPooling2D(2)(x)
# Auxiliary classifier on the intermediate features (as in Inception's auxiliary heads)
aux = layers.GlobalAveragePooling2D()(x)
aux_output = layers.Dense(num_classes, activation="softmax", name="aux")(aux)
x = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
x = layers.GlobalAveragePooling2D()(x)
main_output = layers.Dense(num_classes, activation="softmax", name="main")(x)
model = keras.Model(inputs, [main_output, aux_output])
""",
        """
model.compile(
    optimizer="adam",
    loss={"main": "categorical_crossentropy", "aux": "categorical_crossentropy"},
    loss_weights={"main": 1.0, "aux": 0.3},
    metrics={"main": ["accuracy"]},
)
# Both heads learn the same labels: one target per output, given explicitly.
model.fit(x_train, {"main": y_train, "aux": y_train}, batch_size=32, epochs=1, verbose=0)
""",
        """
main_probs, aux_probs = model.predict(x_train[:4], verbose=0)
main_probs.argmax(axis=-1), aux_probs.argmax(axis=-1)
""",
    ],
}
