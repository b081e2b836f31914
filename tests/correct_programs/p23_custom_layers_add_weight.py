PROGRAM = {
    "title": "Custom layers via subclassing: Linear with weights created in build() from input_shape[-1], an MLP "
             "block of them, an add_loss activity regulariser, get_config; trained with fit, then evaluate",
    "source": "https://github.com/keras-team/keras-io/blob/master/guides/making_new_layers_and_models_via_subclassing.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import tensorflow as tf
import keras


class Linear(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
        )
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


# A layer that creates an activity regularization loss
class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * tf.reduce_mean(inputs))
        return inputs


class MLPBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(10)

    def call(self, inputs):
        x = self.linear_1(inputs)
        x = tf.nn.relu(x)
        x = self.linear_2(x)
        x = tf.nn.relu(x)
        return self.linear_3(x)


mlp = MLPBlock()
y = mlp(tf.ones(shape=(3, 64)))  # The first call to the `mlp` will create the weights
print("weights:", len(mlp.weights))
print("trainable weights:", len(mlp.trainable_weights))
""",
        """
inputs = keras.Input(shape=(784,), name="digits")
x = ActivityRegularizationLayer()(inputs)
logits = MLPBlock()(x)
model = keras.Model(inputs, logits)
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)

x_train = np.random.random((64, 784)).astype("float32")
y_train = np.random.randint(0, 10, size=(64,))
model.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
model.evaluate(x_train, y_train, batch_size=32, verbose=0)
""",
        """
layer = Linear(64)
config = layer.get_config()
new_layer = Linear.from_config(config)
new_layer(tf.ones((2, 5))).shape
""",
    ],
}
