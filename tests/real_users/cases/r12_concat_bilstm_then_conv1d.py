# ruff: noqa: E501
CASE = {
    "title": "Two Bidirectional(LSTM) text branches (no return_sequences) concatenated, then Conv1D + GlobalMaxPooling1D",
    "source": "https://github.com/kaggler-tv/dku-kaggle-class/issues/35",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.layers import Input, Embedding, Bidirectional, LSTM, Conv1D, GlobalMaxPooling1D, Dense
from keras.models import Model
from keras.optimizers import Adam

vocab_size = 2000
embedding_dim = 32
max_length = 350
sen_length = 230
n_class = 5

def get_model():
    main_input = Input(shape=(max_length,), dtype='int32', name='main_input')
    x = Embedding(vocab_size, embedding_dim, input_length=max_length)(main_input)
    lstm_out = Bidirectional(LSTM(128, input_shape=(None, max_length, 1)))(x)

    sentiment_input = Input(shape=(sen_length,), name='sentiment_input')
    x = Embedding(vocab_size, embedding_dim, input_length=sen_length)(sentiment_input)
    sen_lstm_out = Bidirectional(LSTM(128, input_shape=(None, max_length, 1)))(x)

    result = keras.layers.concatenate([lstm_out, sen_lstm_out])
    result = Conv1D(128, 3, padding='valid', activation='relu', strides=1)(result)
    result = GlobalMaxPooling1D()(result)
    output = Dense(n_class, activation='softmax')(result)
    model = Model(inputs=[main_input, sentiment_input], outputs=output)
    model.compile(loss='categorical_crossentropy', optimizer=Adam(learning_rate=.01))
    return model""",
        """model = get_model()""",
    ],
    "expect": {
        "names": ["conv1d", "bidirectional", "bidirectional_1", "concatenate"],
        "kinds": [],
        "cause_any": [r"return_sequences", r"ndim|rank|\b[23]-?D\b|(two|three|2|3)[- ]dim|time(steps)? axis|sequence"],
        "fix_any": [r"return_sequences\s*=\s*True", r"Reshape\(\s*\(\s*(512|-1)\s*,\s*1\s*\)\s*\)", r"(drop|remove|without)[^.]*Conv1D"],
    },
}
