# ruff: noqa: E501
CASE = {
    "title": "Char-CNN branch (None, 64, 128) concatenated on axis=1 with a word Embedding (None, 140, 50)",
    "source": "https://github.com/keras-team/keras/issues/14248",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import keras
from keras.layers import Input, Embedding, Conv1D, MaxPool1D, concatenate

sequence_length = 140
sequence_length_word = 140
embedding_layer_char = Embedding(70, 70)
embedding_layer_word = Embedding(5000, 50)

# Input char and embedding
inputs_char = Input(shape=(sequence_length,), name='input_char', dtype='int64')
char_embedding = embedding_layer_char(inputs_char)
# Input word and embedding
inputs_word = Input(shape=(sequence_length_word,), name='input_word', dtype='int64')
word_embedding = embedding_layer_word(inputs_word)

conv = Conv1D(128, kernel_size=13, kernel_initializer='he_normal', activation='relu')(char_embedding)
max_time_pooling = MaxPool1D(pool_size=2)(conv)""",
        """z = concatenate([max_time_pooling, word_embedding], axis=1)""",
    ],
    "expect": {
        "names": ["concatenate", "max_pooling1d", "conv1d"],
        "kinds": [],
        "cause_any": [r"128.*\b50\b|\b50\b.*128"],
        "fix_any": [r"GlobalMaxPool(ing)?1D|GlobalAveragePool(ing)?1D|GlobalAvgPool1D", r"Dense\(\s*50|Conv1D\(\s*50", r"Flatten\("],
    },
    "fixed_last_cell": """char_vec = keras.layers.GlobalMaxPooling1D()(max_time_pooling)
word_vec = keras.layers.GlobalMaxPooling1D()(word_embedding)
z = concatenate([char_vec, word_vec], axis=-1)""",
}
