PROGRAM = {
    "title": "Per-token tagging: Embedding(mask_zero=True), GRU(return_sequences=True), "
             "TimeDistributed(Dense(softmax)) over the tags, integer tag ids (N, T) with sparse categorical "
             "crossentropy, tf.data pipeline",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/nlp/ner_transformers.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import tensorflow as tf
import keras
from keras import layers

vocab_size = 500
num_tags = 9  # O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC
maxlen = 20

# Stand-in for the CoNLL-2003 token ids and tag ids, padded with 0 to maxlen
rng = np.random.default_rng(0)
lengths = rng.integers(5, maxlen + 1, size=(64,))
tokens = np.zeros((64, maxlen), dtype="int32")
tags = np.zeros((64, maxlen), dtype="int32")
for i, n in enumerate(lengths):
    tokens[i, :n] = rng.integers(1, vocab_size, size=n)
    tags[i, :n] = rng.integers(0, num_tags, size=n)

train_dataset = tf.data.Dataset.from_tensor_slices((tokens[:48], tags[:48])).shuffle(48).batch(16)
val_dataset = tf.data.Dataset.from_tensor_slices((tokens[48:], tags[48:])).batch(16)
""",
        """
inputs = keras.Input(shape=(maxlen,), dtype="int32")
x = layers.Embedding(vocab_size, 32, mask_zero=True)(inputs)
x = layers.GRU(32, return_sequences=True)(x)
x = layers.Dropout(0.1)(x)
outputs = layers.TimeDistributed(layers.Dense(num_tags, activation="softmax"))(x)
tagger = keras.Model(inputs, outputs, name="ner_tagger")
tagger.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
tagger.fit(train_dataset, epochs=1, verbose=0)
""",
        """
tagger.evaluate(val_dataset, verbose=0)
""",
    ],
}
