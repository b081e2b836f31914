CASE = {
    "title": "fit(train_ds.batch(32), validation_data=val_ds) where val_ds was never batched",
    "source": "https://github.com/tensorflow/tensorflow/issues/44250",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras
from keras import layers, optimizers
from keras.models import Sequential

train_x = np.random.uniform(0, 10, (300, 12, 24, 3))
train_y = np.random.randint(0, 2, 300)
val_x = np.random.uniform(0, 10, (100, 12, 24, 3))
val_y = np.random.randint(0, 2, 100)""",
        """model = Sequential([
    layers.Conv2D(32, 3, activation='relu', padding='same', input_shape=(12, 24, 3), name="conv2d"),
    layers.MaxPooling2D(name="max_pooling2d"),
    layers.GlobalAveragePooling2D(name="global_average_pooling2d"),
    layers.Dense(1, activation='sigmoid', name="dense"),
])
model.compile(loss='mse', optimizer=optimizers.SGD(1e-3), metrics=['accuracy'])

AUTOTUNE = tf.data.experimental.AUTOTUNE
train_ds = tf.data.Dataset.from_tensor_slices((train_x, train_y))
train_ds = train_ds.shuffle(300)
train_ds = train_ds.repeat()
train_ds = train_ds.batch(32)
train_ds = train_ds.prefetch(AUTOTUNE)

val_ds = tf.data.Dataset.from_tensor_slices((val_x, val_y)).prefetch(AUTOTUNE)""",
        """model.fit(train_ds, validation_data=val_ds, epochs=1, steps_per_epoch=2, verbose=0)""",
    ],
    "expect": {
        "names": ["conv2d", "input_layer", "conv2d_input"],
        "kinds": ["data"],
        "cause_any": [r"batch"],
        "fix_any": [r"\.batch\("],
    },
    "fixed_last_cell": """val_ds = tf.data.Dataset.from_tensor_slices((val_x, val_y)).batch(32).prefetch(AUTOTUNE)
model.fit(train_ds, validation_data=val_ds, epochs=1, steps_per_epoch=2, verbose=0)""",
}
