# ruff: noqa: E501
CASE = {
    "title": "U-Net on 451x451x7 weather grids: after pooling 451->225 and upsampling 112->224, the skip concatenation fails",
    "source": "https://e-com-net.com/article/1688753555713896448.htm",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import tensorflow as tf
import keras
from keras import layers

def conv_block(x, filter_size, size, dropout, batch_norm=False):
    conv = layers.Conv2D(size, (filter_size, filter_size), padding="same")(x)
    if batch_norm is True:
        conv = layers.BatchNormalization(axis=3)(conv)
    conv = layers.Activation("relu")(conv)
    conv = layers.Conv2D(size, (filter_size, filter_size), padding="same")(conv)
    if batch_norm is True:
        conv = layers.BatchNormalization(axis=3)(conv)
    conv = layers.Activation("relu")(conv)
    if dropout > 0:
        conv = layers.Dropout(dropout)(conv)
    return conv

FILTER_NUM, FILTER_SIZE, UP_SAMP_SIZE, dropout_rate, batch_norm = 8, 3, 2, 0, True""",
        """inputs = layers.Input((451, 451, 7), dtype=tf.float32)
# Downsampling layers
conv_128 = conv_block(inputs, FILTER_SIZE, FILTER_NUM, dropout_rate, batch_norm)
pool_64 = layers.MaxPooling2D(pool_size=(2, 2))(conv_128)
conv_64 = conv_block(pool_64, FILTER_SIZE, 2*FILTER_NUM, dropout_rate, batch_norm)
pool_32 = layers.MaxPooling2D(pool_size=(2, 2))(conv_64)
conv_32 = conv_block(pool_32, FILTER_SIZE, 4*FILTER_NUM, dropout_rate, batch_norm)
pool_16 = layers.MaxPooling2D(pool_size=(2, 2))(conv_32)
conv_16 = conv_block(pool_16, FILTER_SIZE, 8*FILTER_NUM, dropout_rate, batch_norm)
# Upsampling layers
up_32 = layers.UpSampling2D(size=(UP_SAMP_SIZE, UP_SAMP_SIZE), data_format="channels_last")(conv_16)
up_32 = layers.concatenate([up_32, conv_32], axis=3)
up_conv_32 = conv_block(up_32, FILTER_SIZE, 4*FILTER_NUM, dropout_rate, batch_norm)
up_64 = layers.UpSampling2D(size=(UP_SAMP_SIZE, UP_SAMP_SIZE), data_format="channels_last")(up_conv_32)
up_64 = layers.concatenate([up_64, conv_64], axis=3)""",
    ],
    "expect": {
        "names": ["concatenate_1", "up_sampling2d_1", "max_pooling2d", "max_pooling2d_1", "input_layer", "input_1"],
        "kinds": [],
        "cause_any": [r"\b225\b.*\b224\b|\b224\b.*\b225\b|odd|divisible|round(s|ed)? down|floor"],
        "fix_any": [r"ZeroPadding2D|Cropping2D", r"resiz", r"divisible|multiple of (8|16)|power of 2|\b448\b|\b456\b|\b464\b|\b512\b", r"padding\s*=\s*['\"]same['\"][^.]*MaxPool"],
    },
    "fixed_last_cell": """inputs = layers.Input((451, 451, 7), dtype=tf.float32)
padded = layers.ZeroPadding2D(((0, 5), (0, 5)))(inputs)     # 451 -> 456, divisible by 8
conv_128 = conv_block(padded, FILTER_SIZE, FILTER_NUM, dropout_rate, batch_norm)
pool_64 = layers.MaxPooling2D(pool_size=(2, 2))(conv_128)
conv_64 = conv_block(pool_64, FILTER_SIZE, 2*FILTER_NUM, dropout_rate, batch_norm)
pool_32 = layers.MaxPooling2D(pool_size=(2, 2))(conv_64)
conv_32 = conv_block(pool_32, FILTER_SIZE, 4*FILTER_NUM, dropout_rate, batch_norm)
pool_16 = layers.MaxPooling2D(pool_size=(2, 2))(conv_32)
conv_16 = conv_block(pool_16, FILTER_SIZE, 8*FILTER_NUM, dropout_rate, batch_norm)
up_32 = layers.UpSampling2D(size=(UP_SAMP_SIZE, UP_SAMP_SIZE))(conv_16)
up_32 = layers.concatenate([up_32, conv_32], axis=3)
up_conv_32 = conv_block(up_32, FILTER_SIZE, 4*FILTER_NUM, dropout_rate, batch_norm)
up_64 = layers.UpSampling2D(size=(UP_SAMP_SIZE, UP_SAMP_SIZE))(up_conv_32)
up_64 = layers.concatenate([up_64, conv_64], axis=3)""",
}
