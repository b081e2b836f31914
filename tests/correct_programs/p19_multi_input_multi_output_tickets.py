PROGRAM = {
    "title": "Multi-input, multi-output functional model (ticket title/body/tags -> priority, department): "
             "dict of losses and loss_weights by output name, one target per output, (N, 1) and (N, 4) targets",
    "source": "https://github.com/keras-team/keras-io/blob/master/guides/functional_api.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras
from keras import layers

num_tags = 12  # Number of unique issue tags
num_words = 1000  # Size of vocabulary obtained when preprocessing text data
num_departments = 4  # Number of departments for predictions

title_input = keras.Input(shape=(None,), name="title")  # Variable-length sequence of ints
body_input = keras.Input(shape=(None,), name="body")  # Variable-length sequence of ints
tags_input = keras.Input(shape=(num_tags,), name="tags")  # Binary vectors of size `num_tags`

# Embed each word in the title into a 16-dimensional vector
title_features = layers.Embedding(num_words, 16)(title_input)
# Embed each word in the text into a 16-dimensional vector
body_features = layers.Embedding(num_words, 16)(body_input)

# Reduce sequence of embedded words in the title into a single 32-dimensional vector
title_features = layers.LSTM(32)(title_features)
# Reduce sequence of embedded words in the body into a single vector
# (the guide uses LSTM(32) here too; pooling keeps this corpus fast)
body_features = layers.GlobalAveragePooling1D()(body_features)

# Merge all available features into a single large vector via concatenation
x = layers.concatenate([title_features, body_features, tags_input])

# Stick a logistic regression for priority prediction on top of the features
priority_pred = layers.Dense(1, name="priority")(x)
# Stick a department classifier on top of the features
department_pred = layers.Dense(num_departments, name="department")(x)

# Instantiate an end-to-end model predicting both priority and department
model = keras.Model(
    inputs=[title_input, body_input, tags_input],
    outputs=[priority_pred, department_pred],
)
""",
        """
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={
        "priority": keras.losses.BinaryCrossentropy(from_logits=True),
        "department": keras.losses.CategoricalCrossentropy(from_logits=True),
    },
    loss_weights={"priority": 1.0, "department": 0.2},
)

# Dummy input data
title_data = np.random.randint(num_words, size=(64, 10))
body_data = np.random.randint(num_words, size=(64, 30))
tags_data = np.random.randint(2, size=(64, num_tags)).astype("float32")

# Dummy target data
priority_targets = np.random.random(size=(64, 1))
dept_targets = np.random.randint(2, size=(64, num_departments))

model.fit(
    {"title": title_data, "body": body_data, "tags": tags_data},
    {"priority": priority_targets, "department": dept_targets},
    epochs=1,
    batch_size=32,
    verbose=0,
)
""",
        """
priority, department = model.predict({"title": title_data[:4], "body": body_data[:4], "tags": tags_data[:4]},
                                     verbose=0)
priority.shape, department.shape
""",
    ],
}
