PROGRAM = {
    "title": "U-Net-like segmentation: Conv2DTranspose + UpSampling2D decoder, per-pixel softmax over 3 classes, "
             "integer masks of shape (N, H, W, 1) with sparse_categorical_crossentropy, a keras.utils.Sequence",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/vision/oxford_pets_image_segmentation.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras
from keras import layers

img_size = (32, 32)
num_classes = 3
batch_size = 8


class OxfordPets(keras.utils.Sequence):
    \"\"\"Helper to iterate over the data (as Numpy arrays).

    Stand-in for the example's loader: instead of reading JPEG / PNG trimaps it draws random
    images (batch, H, W, 3) and integer masks (batch, H, W, 1) with values 0, 1, 2.
    \"\"\"

    def __init__(self, batch_size, img_size, n_batches, seed, **kwargs):
        super().__init__(**kwargs)
        self.batch_size = batch_size
        self.img_size = img_size
        self.n_batches = n_batches
        self.seed = seed

    def __len__(self):
        return self.n_batches

    def __getitem__(self, idx):
        \"\"\"Returns tuple (input, target) correspond to batch #idx.\"\"\"
        rng = np.random.default_rng(self.seed + idx)
        x = rng.uniform(0, 255, size=(self.batch_size,) + self.img_size + (3,)).astype("float32")
        y = np.zeros((self.batch_size,) + self.img_size + (1,), dtype="uint8")
        for j in range(self.batch_size):
            trimap = rng.integers(1, 4, size=self.img_size)  # ground truth labels are 1, 2, 3
            y[j] = np.expand_dims(trimap, 2)
            # Ground truth labels are 1, 2, 3. Subtract one to make them 0, 1, 2:
            y[j] -= 1
        return x, y
""",
        """
def get_model(img_size, num_classes):
    inputs = keras.Input(shape=img_size + (3,))

    ### [First half of the network: downsampling inputs] ###

    # Entry block
    x = layers.Conv2D(32, 3, strides=2, padding="same")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    previous_block_activation = x  # Set aside residual

    # The example has 3 such blocks (64, 128, 256 filters); one keeps the architecture.
    for filters in [32]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)

        # Project residual
        residual = layers.Conv2D(filters, 1, strides=2, padding="same")(previous_block_activation)
        x = layers.add([x, residual])  # Add back residual
        previous_block_activation = x  # Set aside next residual

    ### [Second half of the network: upsampling inputs] ###

    for filters in [32, 16]:  # the example: [256, 128, 64, 32]
        x = layers.Activation("relu")(x)
        x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.Activation("relu")(x)
        x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.UpSampling2D(2)(x)

        # Project residual
        residual = layers.UpSampling2D(2)(previous_block_activation)
        residual = layers.Conv2D(filters, 1, padding="same")(residual)
        x = layers.add([x, residual])  # Add back residual
        previous_block_activation = x  # Set aside next residual

    # Add a per-pixel classification layer
    outputs = layers.Conv2D(num_classes, 3, activation="softmax", padding="same")(x)

    # Define the model
    model = keras.Model(inputs, outputs)
    return model


# Free up RAM in case the model definition cells were run multiple times
keras.backend.clear_session()

# Build model
model = get_model(img_size, num_classes)
model.output_shape
""",
        """
train_gen = OxfordPets(batch_size, img_size, n_batches=3, seed=0)
val_gen = OxfordPets(batch_size, img_size, n_batches=1, seed=100)

# Configure the model for training.
# We use the "sparse" version of categorical_crossentropy
# because our target data is integers.
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
model.fit(train_gen, epochs=1, verbose=0)
""",
        """
# Generate predictions for all images in the validation set
val_preds = model.predict(val_gen, verbose=0)


def display_mask(i):
    \"\"\"Quick utility to compute a model's predicted mask (the example displays it).\"\"\"
    mask = np.argmax(val_preds[i], axis=-1)
    mask = np.expand_dims(mask, axis=-1)
    return mask


display_mask(0).shape
""",
    ],
}
