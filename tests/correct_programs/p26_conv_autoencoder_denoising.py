PROGRAM = {
    "title": "Convolutional denoising autoencoder: Conv2D/MaxPooling2D encoder, Conv2D/UpSampling2D decoder, "
             "output shape equals input shape (28, 28, 1), fit(noisy, clean) with binary crossentropy",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/vision/autoencoder.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras
from keras.layers import Conv2D, Input, MaxPooling2D, UpSampling2D
from keras.models import Model


def preprocess(array):
    \"\"\"Normalizes the supplied array and reshapes it into the appropriate format.\"\"\"
    array = array.astype("float32") / 255.0
    array = np.reshape(array, (len(array), 28, 28, 1))
    return array


def noise(array):
    \"\"\"Adds random noise to each image in the supplied array.\"\"\"
    noise_factor = 0.4
    noisy_array = array + noise_factor * np.random.normal(loc=0.0, scale=1.0, size=array.shape)
    return np.clip(noisy_array, 0.0, 1.0)


# Stand-in for mnist.load_data(): we only need the images.
train_data = preprocess(np.random.randint(0, 256, size=(64, 28, 28)))
test_data = preprocess(np.random.randint(0, 256, size=(32, 28, 28)))
noisy_train_data = noise(train_data)
noisy_test_data = noise(test_data)
""",
        """
input = Input(shape=(28, 28, 1))

# Encoder
x = Conv2D(16, (3, 3), activation="relu", padding="same")(input)
x = MaxPooling2D((2, 2), padding="same")(x)
x = Conv2D(16, (3, 3), activation="relu", padding="same")(x)
x = MaxPooling2D((2, 2), padding="same")(x)

# Decoder
x = Conv2D(16, (3, 3), activation="relu", padding="same")(x)
x = UpSampling2D((2, 2))(x)
x = Conv2D(16, (3, 3), activation="relu", padding="same")(x)
x = UpSampling2D((2, 2))(x)
x = Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)

# Autoencoder
autoencoder = Model(input, x)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.summary()
""",
        """
autoencoder.fit(
    x=noisy_train_data,
    y=train_data,
    epochs=1,
    batch_size=32,
    shuffle=True,
    verbose=0,
)
predictions = autoencoder.predict(noisy_test_data, verbose=0)
predictions.shape == test_data.shape
""",
    ],
}
