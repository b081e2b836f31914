PROGRAM = {
    "title": "Simple MNIST convnet: uint8 (N, 28, 28) images made (N, 28, 28, 1) with np.expand_dims, one-hot labels",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/vision/mnist_convnet.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras
from keras import layers

# Model / data parameters
num_classes = 10
input_shape = (28, 28, 1)

# Stand-in for keras.datasets.mnist.load_data(): uint8 images (N, 28, 28), integer labels (N,)
rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, size=(64, 28, 28), dtype=np.uint8)
y_train = rng.integers(0, num_classes, size=(64,), dtype=np.uint8)
x_test = rng.integers(0, 256, size=(32, 28, 28), dtype=np.uint8)
y_test = rng.integers(0, num_classes, size=(32,), dtype=np.uint8)
""",
        """
# Scale images to the [0, 1] range
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
# Make sure images have shape (28, 28, 1)
x_train = np.expand_dims(x_train, -1)
x_test = np.expand_dims(x_test, -1)
print("x_train shape:", x_train.shape)
print(x_train.shape[0], "train samples")
print(x_test.shape[0], "test samples")

# convert class vectors to binary class matrices
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)
""",
        """
model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.summary()
""",
        """
batch_size = 32
epochs = 1
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_split=0.1, verbose=0)
""",
        """
score = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", score[0])
print("Test accuracy:", score[1])
""",
    ],
}
