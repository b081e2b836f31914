PROGRAM = {
    "title": "MNIST MLP with the built-in loops: (N, 784) float inputs, float32 integer labels (N,), "
             "sparse categorical crossentropy, class_weight dict, sample_weight of shape (N,), and a Dataset "
             "yielding (x, y, sample_weight)",
    "source": "https://github.com/keras-team/keras-io/blob/master/guides/training_with_built_in_methods.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import tensorflow as tf
import keras
from keras import layers


def get_uncompiled_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


def get_compiled_model():
    model = get_uncompiled_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    return model


# Stand-in for keras.datasets.mnist.load_data()
x_train = np.random.randint(0, 256, size=(96, 28, 28)).reshape(96, 784).astype("float32") / 255
y_train = np.random.randint(0, 10, size=(96,)).astype("float32")
""",
        """
class_weight = {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0,
                # Set weight "2" for class "5", making this class 2x more important
                5: 2.0, 6: 1.0, 7: 1.0, 8: 1.0, 9: 1.0}
model = get_compiled_model()
model.fit(x_train, y_train, class_weight=class_weight, batch_size=32, epochs=1, verbose=0)
""",
        """
sample_weight = np.ones(shape=(len(y_train),))
sample_weight[y_train == 5] = 2.0

# Create a Dataset that includes sample weights (3rd element in the return tuple).
train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train, sample_weight))
train_dataset = train_dataset.shuffle(buffer_size=1024).batch(32)

model.fit(train_dataset, epochs=1, verbose=0)  # (the guide compiles a fresh model here)
model.evaluate(x_train, y_train, sample_weight=sample_weight, batch_size=32, verbose=0)
""",
    ],
}
