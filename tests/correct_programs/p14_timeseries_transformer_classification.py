PROGRAM = {
    "title": "Timeseries classification with a Transformer encoder on (N, T, 1): MultiHeadAttention, residuals, "
             "Conv1D(kernel_size=1) feed-forward, GlobalAveragePooling1D, softmax with integer (N,) labels",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/timeseries/timeseries_classification_transformer.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras
from keras import layers

# Same data preparation as the FordA example, with random series of the real layout
rng = np.random.default_rng(0)
x_train = rng.normal(size=(48, 64)).reshape((48, 64, 1))
y_train = rng.integers(0, 2, size=(48,))
x_test = rng.normal(size=(16, 64)).reshape((16, 64, 1))
y_test = rng.integers(0, 2, size=(16,))
n_classes = len(np.unique(y_train))
""",
        """
def transformer_encoder(inputs, head_size, num_heads, ff_dim, dropout=0):
    # Attention and Normalization
    x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(inputs, inputs)
    x = layers.Dropout(dropout)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    res = x + inputs

    # Feed Forward Part
    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
    x = layers.Dropout(dropout)(x)
    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    return x + res


def build_model(input_shape, head_size, num_heads, ff_dim, num_transformer_blocks, mlp_units, dropout=0,
                mlp_dropout=0):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for _ in range(num_transformer_blocks):
        x = transformer_encoder(x, head_size, num_heads, ff_dim, dropout)

    x = layers.GlobalAveragePooling1D(data_format="channels_last")(x)
    for dim in mlp_units:
        x = layers.Dense(dim, activation="relu")(x)
        x = layers.Dropout(mlp_dropout)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


input_shape = x_train.shape[1:]
model = build_model(input_shape, head_size=16, num_heads=2, ff_dim=4, num_transformer_blocks=1, mlp_units=[32],
                    mlp_dropout=0.4, dropout=0.25)
model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=1e-4),
              metrics=["sparse_categorical_accuracy"])
""",
        """
model.fit(x_train, y_train, epochs=1, batch_size=16, verbose=0)
model.evaluate(x_test, y_test, verbose=0)
""",
    ],
}
