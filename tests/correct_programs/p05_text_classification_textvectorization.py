PROGRAM = {
    "title": "Text classification from raw strings: TextVectorization(output_sequence_length) adapted on a string "
             "dataset, Embedding + strided Conv1D, one sigmoid unit with (N,) labels, end-to-end model on "
             "Input(shape=(1,), dtype='string') evaluated on (N,) strings",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/nlp/text_classification_from_scratch.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        r"""
import re
import string

import numpy as np
import tensorflow as tf
import keras
from keras import layers

# Stand-in for keras.utils.text_dataset_from_directory("aclImdb/train", ...): batches of raw
# review strings, shape (batch,), with integer labels, shape (batch,).
rng = np.random.default_rng(0)
words = np.array("the a movie film great awful plot acting was is not very good bad <br /> loved hated".split())


def fake_reviews(n):
    texts = [" ".join(rng.choice(words, size=rng.integers(5, 40))) for _ in range(n)]
    return np.array(texts), rng.integers(0, 2, size=(n,))


batch_size = 16
raw_train_ds = tf.data.Dataset.from_tensor_slices(fake_reviews(48)).batch(batch_size)
raw_val_ds = tf.data.Dataset.from_tensor_slices(fake_reviews(16)).batch(batch_size)
raw_test_ds = tf.data.Dataset.from_tensor_slices(fake_reviews(16)).batch(batch_size)
""",
        r"""
def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
    return tf.strings.regex_replace(stripped_html, f"[{re.escape(string.punctuation)}]", "")


# Model constants.
max_features = 2000
embedding_dim = 32
sequence_length = 64

vectorize_layer = layers.TextVectorization(
    standardize=custom_standardization,
    max_tokens=max_features,
    output_mode="int",
    output_sequence_length=sequence_length,
)

# Let's make a text-only dataset (no labels):
text_ds = raw_train_ds.map(lambda x, y: x)
# Let's call `adapt`:
vectorize_layer.adapt(text_ds)
""",
        """
def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


# Vectorize the data.
train_ds = raw_train_ds.map(vectorize_text)
val_ds = raw_val_ds.map(vectorize_text)
test_ds = raw_test_ds.map(vectorize_text)

# Do async prefetching / buffering of the data for best performance on GPU.
train_ds = train_ds.cache().prefetch(buffer_size=10)
val_ds = val_ds.cache().prefetch(buffer_size=10)
test_ds = test_ds.cache().prefetch(buffer_size=10)
""",
        """
# A integer input for vocab indices.
inputs = keras.Input(shape=(None,), dtype="int64")

# Next, we add a layer to map those vocab indices into a space of dimensionality
# 'embedding_dim'.
x = layers.Embedding(max_features, embedding_dim)(inputs)
x = layers.Dropout(0.5)(x)

# Conv1D + global max pooling
x = layers.Conv1D(32, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.Conv1D(32, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.GlobalMaxPooling1D()(x)

# We add a vanilla hidden layer:
x = layers.Dense(32, activation="relu")(x)
x = layers.Dropout(0.5)(x)

# We project onto a single unit output layer, and squash it with a sigmoid:
predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)

model = keras.Model(inputs, predictions)

# Compile the model with binary crossentropy loss and an adam optimizer.
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
""",
        """
model.fit(train_ds, validation_data=val_ds, epochs=1, verbose=0)
""",
        """
# A string input
inputs = keras.Input(shape=(1,), dtype="string")
# Turn strings into vocab indices
indices = vectorize_layer(inputs)
# Turn vocab indices into predictions
outputs = model(indices)

# Our end to end model
end_to_end_model = keras.Model(inputs, outputs)
end_to_end_model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

# Test it with `raw_test_ds`, which yields raw strings
end_to_end_model.evaluate(raw_test_ds, verbose=0)
""",
    ],
}
