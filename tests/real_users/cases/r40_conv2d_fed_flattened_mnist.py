CASE = {
    "title": "Fashion-MNIST CNN with input_shape=(28,28,1) fit on the flattened CSV pixels X_train (48000, 784)",
    "source": "https://github.com/keras-team/keras/issues/12882",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Dense, Flatten
from keras.optimizers import Adam

# fashion-mnist_train.csv: label + 784 pixel columns
X_train = np.random.rand(480, 784).astype("float32")
Y_train = np.random.randint(0, 10, size=(480,))
X_validate = np.random.rand(120, 784).astype("float32")
Y_validate = np.random.randint(0, 10, size=(120,))""",
        """cnn_model = Sequential()
cnn_model.add(Conv2D(32, (3, 3), input_shape=(28, 28, 1), activation='relu'))
cnn_model.add(MaxPooling2D(pool_size=(2, 2)))
cnn_model.add(Flatten())
cnn_model.add(Dense(10, activation='softmax'))
cnn_model.compile(loss='sparse_categorical_crossentropy', optimizer=Adam(learning_rate=0.001), metrics=['accuracy'])""",
        """epochs = 1
cnn_model.fit(X_train, Y_train, batch_size=512, epochs=epochs, verbose=0,
              validation_data=(X_validate, Y_validate))""",
    ],
    "expect": {
        "names": ["conv2d", "input_layer", "conv2d_input"],
        "kinds": ["data"],
        "cause_any": [r"784|flatten|28\s*[x×*]\s*28"],
        "fix_any": [r"reshape\([^)]*28\s*,\s*28\s*,\s*1", r"Reshape\(\s*\(\s*28\s*,\s*28\s*,\s*1\s*\)\s*\)"],
    },
    "fixed_last_cell": """X_train = X_train.reshape(X_train.shape[0], 28, 28, 1)
X_validate = X_validate.reshape(X_validate.shape[0], 28, 28, 1)
cnn_model.fit(X_train, Y_train, batch_size=512, epochs=1, verbose=0, validation_data=(X_validate, Y_validate))""",
}
