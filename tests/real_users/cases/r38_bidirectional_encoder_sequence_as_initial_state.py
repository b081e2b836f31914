CASE = {
    "title": "Katakana seq2seq: the Bidirectional encoder's output sequence passed as the decoder LSTM's initial_state",
    "source": "https://github.com/wanasit/katakana/issues/1",
    "flavours": ["tf_keras"],
    "cells": [
        """import keras
from keras.layers import Input, Embedding, Bidirectional, LSTM, TimeDistributed, Dense
from keras.models import Model

input_length, output_length = 20, 20
input_dict_size, output_dict_size = 60, 90
UNITS = 64

encoder_input = Input(shape=(input_length,))
decoder_input = Input(shape=(output_length,))""",
        """encoder = Embedding(input_dict_size, 64, input_length=input_length, mask_zero=True)(encoder_input)
encoder = Bidirectional(LSTM(UNITS, return_sequences=True))(encoder)

decoder = Embedding(output_dict_size, 64, input_length=output_length, mask_zero=True)(decoder_input)
decoder = LSTM(UNITS*2, return_sequences=True)(decoder, initial_state=[encoder])""",
    ],
    "expect": {
        "names": ["lstm_1", "bidirectional"],
        "kinds": [],
        "cause_any": [r"initial_state|state"],
        "fix_any": [r"return_state\s*=\s*True"],
    },
    "fixed_last_cell": """encoder = Embedding(input_dict_size, 64, mask_zero=True)(encoder_input)
encoder_out, fh, fc, bh, bc = Bidirectional(LSTM(UNITS, return_sequences=True, return_state=True))(encoder)
state_h = keras.layers.Concatenate()([fh, bh])
state_c = keras.layers.Concatenate()([fc, bc])
decoder = Embedding(output_dict_size, 64, mask_zero=True)(decoder_input)
decoder = LSTM(UNITS*2, return_sequences=True)(decoder, initial_state=[state_h, state_c])
decoder = TimeDistributed(Dense(output_dict_size, activation="softmax"))(decoder)
model = Model(inputs=[encoder_input, decoder_input], outputs=[decoder])""",
}
