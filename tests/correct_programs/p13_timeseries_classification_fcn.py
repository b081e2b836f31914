PROGRAM = {
    "title": "Timeseries classification from scratch: univariate series reshaped to (N, T, 1), fully convolutional "
             "Conv1D + BatchNormalization (default axis = channels) + ReLU, GlobalAveragePooling1D, softmax, "
             "integer (N,) labels, validation_split",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/timeseries/timeseries_classification_from_scratch.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras

# Stand-in for readucr("FordA_TRAIN.tsv"): x (N, 176) z-normalised series, y in {-1, 1}
rng = np.random.default_rng(0)
x_train = rng.normal(size=(64, 176))
y_train = rng.choice([-1, 1], size=(64,))
x_test = rng.normal(size=(32, 176))
y_test = rng.choice([-1, 1], size=(32,))

x_train = x_train.reshape((x_train.shape[0], x_train.shape[1], 1))
x_test = x_test.reshape((x_test.shape[0], x_test.shape[1], 1))

num_classes = len(np.unique(y_train))

idx = rng.permutation(len(x_train))
x_train = x_train[idx]
y_train = y_train[idx]

y_train[y_train == -1] = 0
y_test[y_test == -1] = 0
""",
        """
def make_model(input_shape):
    input_layer = keras.layers.Input(input_shape)

    conv1 = keras.layers.Conv1D(filters=32, kernel_size=3, padding="same")(input_layer)
    conv1 = keras.layers.BatchNormalization()(conv1)
    conv1 = keras.layers.ReLU()(conv1)

    conv2 = keras.layers.Conv1D(filters=32, kernel_size=3, padding="same")(conv1)
    conv2 = keras.layers.BatchNormalization()(conv2)
    conv2 = keras.layers.ReLU()(conv2)

    conv3 = keras.layers.Conv1D(filters=32, kernel_size=3, padding="same")(conv2)
    conv3 = keras.layers.BatchNormalization()(conv3)
    conv3 = keras.layers.ReLU()(conv3)

    gap = keras.layers.GlobalAveragePooling1D()(conv3)

    output_layer = keras.layers.Dense(num_classes, activation="softmax")(gap)

    return keras.models.Model(inputs=input_layer, outputs=output_layer)


model = make_model(input_shape=x_train.shape[1:])
""",
        """
callbacks = [
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=20, min_lr=0.0001),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=50, verbose=0),
]
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
history = model.fit(x_train, y_train, batch_size=32, epochs=1, callbacks=callbacks, validation_split=0.2,
                    verbose=0)
""",
        """
y_pred = model.predict(x_test, verbose=0).argmax(axis=1)
print("Test accuracy", (y_pred == y_test).mean())
""",
    ],
}
