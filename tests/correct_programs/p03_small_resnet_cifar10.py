PROGRAM = {
    "title": "Small ResNet on CIFAR-10 shapes: residual blocks with a strided 1x1 projection shortcut, "
             "BatchNormalization, (N, 1) integer labels turned one-hot, logits",
    "source": "https://github.com/keras-team/keras-io/blob/master/guides/functional_api.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras
from keras import layers

# Stand-in for keras.datasets.cifar10.load_data(): uint8 (N, 32, 32, 3) images, labels of shape (N, 1)
rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, size=(64, 32, 32, 3), dtype=np.uint8)
y_train = rng.integers(0, 10, size=(64, 1), dtype=np.uint8)
x_test = rng.integers(0, 256, size=(32, 32, 32, 3), dtype=np.uint8)
y_test = rng.integers(0, 10, size=(32, 1), dtype=np.uint8)

x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)
print(x_train.shape, y_train.shape)
""",
        """
def residual_block(x, filters, strides=1):
    shortcut = x
    x = layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    if strides != 1 or shortcut.shape[-1] != filters:
        # Project the shortcut: strided 1x1 convolution to the new resolution and depth
        shortcut = layers.Conv2D(filters, 1, strides=strides, padding="same", use_bias=False)(shortcut)
        shortcut = layers.BatchNormalization()(shortcut)
    x = layers.add([x, shortcut])
    return layers.Activation("relu")(x)


inputs = keras.Input(shape=(32, 32, 3), name="img")
x = layers.Conv2D(16, 3, padding="same", use_bias=False)(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
x = residual_block(x, 16)  # identity shortcut
x = residual_block(x, 32, strides=2)  # projected shortcut
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.5)(x)
outputs = layers.Dense(10)(x)

model = keras.Model(inputs, outputs, name="toy_resnet")
model.summary()
""",
        """
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss=keras.losses.CategoricalCrossentropy(from_logits=True),
    metrics=["acc"],
)
model.fit(x_train, y_train, batch_size=32, epochs=1, verbose=0)
""",
        """
loss, acc = model.evaluate(x_test, y_test, verbose=0)
print("test loss", loss, "acc", acc)
""",
    ],
}
