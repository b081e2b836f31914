# ruff: noqa: E501
CASE = {
    "title": "Exam-cheating action recognition: TimeDistributed(AlexNet-ish CNN) + LSTM expects (frames, H, W, 3) clips, fit on single images from a directory iterator",
    "source": "https://github.com/keras-team/keras/issues/14836",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import TimeDistributed, Conv2D, MaxPooling2D, Flatten, LSTM, Dense

n_frames, img_h, img_w = 10, 64, 64
# flow_from_directory(...) yields batches of single frames
images = np.random.rand(16, img_h, img_w, 3).astype("float32")
labels = keras.utils.to_categorical(np.random.randint(0, 2, size=(16,)), 2)""",
        """model = Sequential()
model.add(TimeDistributed(Conv2D(32, (5, 5), strides=(2, 2), activation='relu'), input_shape=(n_frames, img_h, img_w, 3)))
model.add(TimeDistributed(MaxPooling2D((2, 2))))
model.add(TimeDistributed(Flatten()))
model.add(LSTM(64))
model.add(Dense(2, activation='softmax'))
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])""",
        """model.fit(images, labels, batch_size=8, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["time_distributed", "input_layer", "time_distributed_input"],
        "kinds": ["data"],
        "cause_any": [r"frames?|time (axis|steps?)|sequence|clip|\b5-?D\b|\b4-?D\b"],
        "fix_any": [r"reshape\([^)]*(n_frames|10)\s*,", r"expand_dims|newaxis", r"stack|group"],
    },
    "fixed_last_cell": """clips = images.reshape(-1, 2, img_h, img_w, 3).repeat(5, axis=1)   # 8 clips of 10 frames
model.fit(clips, labels[:8], batch_size=4, epochs=1, verbose=0)""",
}
