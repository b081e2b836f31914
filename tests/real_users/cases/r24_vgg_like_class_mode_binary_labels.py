# ruff: noqa: E501
CASE = {
    "title": "VGG16-like 3-class model with categorical_crossentropy trained on flow_from_directory labels of class_mode='binary' (one integer per image)",
    "source": "https://newbetuts.com/49392972-error-when-checking-target-expected-dense-3-to-have-shape-3-but-got-array-with-shape-1",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten, Conv2D, MaxPooling2D

img_width, img_height = 64, 64
input_shape = (img_width, img_height, 3)
batch_size = 5
# train_generator = train_datagen.flow_from_directory(train_data_dir, target_size=(img_width, img_height),
#                                                     batch_size=batch_size, class_mode='binary')
train_images = np.random.rand(15, img_width, img_height, 3).astype("float32")
train_labels = np.random.randint(0, 3, size=(15,)).astype("float32")   # class_mode='binary': one number per image""",
        """model = Sequential([
    # Block 1
    Conv2D(64, (3, 3), activation='relu', input_shape=input_shape, padding='same'),
    Conv2D(64, (3, 3), activation='relu', padding='same'),
    MaxPooling2D(pool_size=(2, 2), strides=(2, 2)),
    # Block 2
    Conv2D(128, (3, 3), activation='relu', padding='same'),
    MaxPooling2D(pool_size=(2, 2), strides=(2, 2)),
    # Block 3
    Conv2D(256, (3, 3), activation='relu', padding='same'),
    MaxPooling2D(pool_size=(2, 2), strides=(2, 2)),
    Flatten(),
    Dense(256, activation='relu'),
    Dropout(0.5),
    Dense(3, activation='softmax'),
])
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])""",
        """model.fit(train_images, train_labels, batch_size=batch_size, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["dense_1"],
        "kinds": ["target", "loss"],
        "cause_any": [r"one[- _]?hot|integer|class\s+(ids?|indices|index|numbers?)|sparse|categorical"],
        "fix_any": [r"class_mode\s*=\s*['\"]categorical", r"sparse[_ ]?categorical[_ ]?cross[_ ]?entropy", r"to_categorical|one[_ -]?hot"],
    },
    "fixed_last_cell": """train_labels = keras.utils.to_categorical(train_labels, 3)   # i.e. class_mode='categorical'
model.fit(train_images, train_labels, batch_size=batch_size, epochs=1, verbose=0)""",
}
