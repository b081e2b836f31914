PROGRAM = {
    "title": "Image classification from scratch: augmentation in tf.data, small Xception with strided 1x1 residual "
             "projections, BatchNormalization, one sigmoid unit with integer (N,) labels",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/vision/image_classification_from_scratch.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import tensorflow as tf
import keras
from keras import layers

image_size = (64, 64)
batch_size = 16

# Stand-in for keras.utils.image_dataset_from_directory("PetImages", ...): float32 RGB batches in
# [0, 255] and integer labels of shape (batch,) -- label 0 is "cat", 1 is "dog".
rng = np.random.default_rng(0)
images = rng.uniform(0, 255, size=(48,) + image_size + (3,)).astype("float32")
labels = rng.integers(0, 2, size=(48,)).astype("int32")
train_ds = tf.data.Dataset.from_tensor_slices((images[:32], labels[:32])).batch(batch_size)
val_ds = tf.data.Dataset.from_tensor_slices((images[32:], labels[32:])).batch(batch_size)
""",
        """
data_augmentation = keras.Sequential(
    [
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.1),
    ]
)

# Apply `data_augmentation` to the training images (option 2: in the input pipeline, on CPU).
train_ds = train_ds.map(
    lambda img, label: (data_augmentation(img), label),
    num_parallel_calls=tf.data.AUTOTUNE,
)
train_ds = train_ds.prefetch(tf.data.AUTOTUNE)
val_ds = val_ds.prefetch(tf.data.AUTOTUNE)
""",
        """
def make_model(input_shape, num_classes):
    inputs = keras.Input(shape=input_shape)

    # Entry block
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(32, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    x = layers.Conv2D(64, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    previous_block_activation = x  # Set aside residual

    for size in [64]:  # the example uses [256, 512, 728]
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)

        # Project residual
        residual = layers.Conv2D(size, 1, strides=2, padding="same")(previous_block_activation)
        x = layers.add([x, residual])  # Add back residual
        previous_block_activation = x  # Set aside next residual

    x = layers.SeparableConv2D(128, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    x = layers.GlobalAveragePooling2D()(x)
    if num_classes == 2:
        activation = "sigmoid"
        units = 1
    else:
        activation = "softmax"
        units = num_classes

    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(units, activation=activation)(x)
    return keras.Model(inputs, outputs)


model = make_model(input_shape=image_size + (3,), num_classes=2)
""",
        """
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
model.fit(train_ds, epochs=1, verbose=0)
""",
        """
# Run inference on new data: one image, batch axis added by hand.
img_array = keras.utils.img_to_array(images[0])
img_array = tf.expand_dims(img_array, 0)  # Create batch axis

predictions = model.predict(img_array, verbose=0)
score = float(predictions[0][0])
print(f"This image is {100 * (1 - score):.2f}% cat and {100 * score:.2f}% dog.")
""",
    ],
}
