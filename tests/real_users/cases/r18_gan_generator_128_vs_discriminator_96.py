# ruff: noqa: E501
CASE = {
    "title": "DCGAN with GENERATE_RES=3: the generator upsamples to 128x128 but the discriminator was built for 96x96",
    "source": "https://github.com/jeffheaton/t81_558_deep_learning/issues/30",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.layers import Input, Reshape, Dropout, Dense, Flatten, BatchNormalization, Activation, ZeroPadding2D
from keras.layers import LeakyReLU, UpSampling2D, Conv2D
from keras.models import Sequential, Model
from keras.optimizers import Adam

GENERATE_RES = 3  # (1=32, 2=64, 3=96, 4=128, etc.)
GENERATE_SQUARE = 32 * GENERATE_RES
IMAGE_CHANNELS = 3
SEED_SIZE = 100

def build_generator(seed_size, channels):
    model = Sequential()
    model.add(Dense(4*4*256, activation="relu", input_dim=seed_size))
    model.add(Reshape((4, 4, 256)))
    model.add(UpSampling2D())
    model.add(Conv2D(256, kernel_size=3, padding="same"))
    model.add(BatchNormalization(momentum=0.8))
    model.add(Activation("relu"))
    model.add(UpSampling2D())
    model.add(Conv2D(256, kernel_size=3, padding="same"))
    model.add(BatchNormalization(momentum=0.8))
    model.add(Activation("relu"))
    # Output resolution, additional upsampling
    for i in range(GENERATE_RES):
        model.add(UpSampling2D())
        model.add(Conv2D(128, kernel_size=3, padding="same"))
        model.add(BatchNormalization(momentum=0.8))
        model.add(Activation("relu"))
    # Final CNN layer
    model.add(Conv2D(channels, kernel_size=3, padding="same"))
    model.add(Activation("tanh"))
    return model

def build_discriminator(image_shape):
    model = Sequential()
    model.add(Conv2D(32, kernel_size=3, strides=2, input_shape=image_shape, padding="same"))
    model.add(LeakyReLU(0.2))
    model.add(Dropout(0.25))
    model.add(Conv2D(64, kernel_size=3, strides=2, padding="same"))
    model.add(ZeroPadding2D(padding=((0, 1), (0, 1))))
    model.add(BatchNormalization(momentum=0.8))
    model.add(LeakyReLU(0.2))
    model.add(Dropout(0.25))
    model.add(Conv2D(128, kernel_size=3, strides=2, padding="same"))
    model.add(BatchNormalization(momentum=0.8))
    model.add(LeakyReLU(0.2))
    model.add(Dropout(0.25))
    model.add(Flatten())
    model.add(Dense(1, activation='sigmoid'))
    return model""",
        """image_shape = (GENERATE_SQUARE, GENERATE_SQUARE, IMAGE_CHANNELS)
optimizer = Adam(1.5e-4, 0.5)
discriminator = build_discriminator(image_shape)
discriminator.compile(loss="binary_crossentropy", optimizer=optimizer, metrics=["accuracy"])
generator = build_generator(SEED_SIZE, IMAGE_CHANNELS)""",
        """random_input = Input(shape=(SEED_SIZE,))
generated_image = generator(random_input)
discriminator.trainable = False
validity = discriminator(generated_image)
combined = Model(random_input, validity)""",
    ],
    "expect": {
        "names": ["sequential", "sequential_1", "up_sampling2d_4", "conv2d_8"],
        "kinds": [],
        "cause_any": [r"128.*96|96.*128"],
        "fix_any": [r"UpSampling2D\(\s*size\s*=\s*\(?\s*GENERATE_RES", r"96\s*[x×]\s*96|\(\s*96\s*,\s*96|128\s*[x×]\s*128|\(\s*128\s*,\s*128",
                    r"Resizing\(|resiz|Cropping2D"],
    },
    "fixed_last_cell": """def build_generator(seed_size, channels):
    model = Sequential()
    model.add(Dense(4*4*256, activation="relu", input_dim=seed_size))
    model.add(Reshape((4, 4, 256)))
    model.add(UpSampling2D())
    model.add(Conv2D(256, kernel_size=3, padding="same"))
    model.add(BatchNormalization(momentum=0.8))
    model.add(Activation("relu"))
    model.add(UpSampling2D())
    model.add(Conv2D(256, kernel_size=3, padding="same"))
    model.add(BatchNormalization(momentum=0.8))
    model.add(Activation("relu"))
    # Output resolution: one upsampling by GENERATE_RES (16 -> 48) and one by 2 (-> 96)
    model.add(UpSampling2D(size=(GENERATE_RES, GENERATE_RES)))
    model.add(Conv2D(128, kernel_size=3, padding="same"))
    model.add(BatchNormalization(momentum=0.8))
    model.add(Activation("relu"))
    model.add(UpSampling2D())
    model.add(Conv2D(128, kernel_size=3, padding="same"))
    model.add(Activation("relu"))
    model.add(Conv2D(channels, kernel_size=3, padding="same"))
    model.add(Activation("tanh"))
    return model
generator = build_generator(SEED_SIZE, IMAGE_CHANNELS)
random_input = Input(shape=(SEED_SIZE,))
generated_image = generator(random_input)
discriminator.trainable = False
validity = discriminator(generated_image)
combined = Model(random_input, validity)""",
}
