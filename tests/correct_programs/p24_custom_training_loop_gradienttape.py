PROGRAM = {
    "title": "Training loop from scratch: tf.data from_tensor_slices(...).shuffle().batch(), GradientTape, "
             "tf.function train/test steps, SparseCategoricalCrossentropy(from_logits=True) on (B,) labels, "
             "metrics by hand; then the same model through compile/fit/evaluate",
    "source": "https://github.com/keras-team/keras-io/blob/master/guides/writing_a_training_loop_from_scratch.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import tensorflow as tf
import keras
from keras import layers

inputs = keras.Input(shape=(784,), name="digits")
x1 = layers.Dense(64, activation="relu")(inputs)
x2 = layers.Dense(64, activation="relu")(x1)
outputs = layers.Dense(10, name="predictions")(x2)
model = keras.Model(inputs=inputs, outputs=outputs)

# Instantiate an optimizer.
optimizer = keras.optimizers.SGD(learning_rate=1e-3)
# Instantiate a loss function.
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

# Prepare the metrics.
train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
val_acc_metric = keras.metrics.SparseCategoricalAccuracy()

# Prepare the training dataset (stand-in for MNIST flattened to (N, 784)).
batch_size = 32
x_train = np.random.randint(0, 256, size=(96, 28, 28)).astype("float32") / 255
y_train = np.random.randint(0, 10, size=(96,))
x_train = np.reshape(x_train, (-1, 784))

# Reserve samples for validation.
x_val = x_train[-32:]
y_val = y_train[-32:]
x_train = x_train[:-32]
y_train = y_train[:-32]

train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
train_dataset = train_dataset.shuffle(buffer_size=1024).batch(batch_size)
val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val))
val_dataset = val_dataset.batch(batch_size)
""",
        """
@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss_value = loss_fn(y, logits)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    train_acc_metric.update_state(y, logits)
    return loss_value


@tf.function
def test_step(x, y):
    val_logits = model(x, training=False)
    val_acc_metric.update_state(y, val_logits)


epochs = 1
for epoch in range(epochs):
    for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
        loss_value = train_step(x_batch_train, y_batch_train)

    train_acc = train_acc_metric.result()
    print("Training acc over epoch: %.4f" % (float(train_acc),))
    train_acc_metric.reset_state()

    for x_batch_val, y_batch_val in val_dataset:
        test_step(x_batch_val, y_batch_val)
    val_acc = val_acc_metric.result()
    val_acc_metric.reset_state()
    print("Validation acc: %.4f" % (float(val_acc),))
""",
        """
# The same model through the built-in loop, for comparison
model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-3), loss=loss_fn,
              metrics=[keras.metrics.SparseCategoricalAccuracy()])
model.fit(train_dataset, epochs=1, verbose=0)
model.evaluate(val_dataset, verbose=0)
""",
    ],
}
