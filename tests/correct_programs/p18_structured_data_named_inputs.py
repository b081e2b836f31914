PROGRAM = {
    "title": "Structured data classification: a DataFrame turned into a dict dataset (every feature a scalar, "
             "batched to (N,)), one keras.Input(shape=(1,)) per named feature, Normalization / IntegerLookup / "
             "StringLookup adapted per feature, one sigmoid unit with (N,) labels, predict on one sample dict",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/structured_data/structured_data_classification_from_scratch.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import pandas as pd
import tensorflow as tf
import keras
from keras import layers

# Stand-in for heart.csv (303 rows in the real file)
rng = np.random.default_rng(0)
n = 64
dataframe = pd.DataFrame(
    {
        "age": rng.integers(29, 77, size=n),
        "sex": rng.integers(0, 2, size=n),
        "cp": rng.integers(0, 5, size=n),
        "trestbps": rng.integers(94, 200, size=n),
        "chol": rng.integers(126, 564, size=n),
        "thalach": rng.integers(71, 202, size=n),
        "oldpeak": rng.uniform(0, 6.2, size=n).round(1),
        "slope": rng.integers(1, 4, size=n),
        "ca": rng.integers(0, 4, size=n),
        "thal": rng.choice(["fixed", "normal", "reversible"], size=n),
        "target": rng.integers(0, 2, size=n),
    }
)
val_dataframe = dataframe.sample(frac=0.25, random_state=1337)
train_dataframe = dataframe.drop(val_dataframe.index)
""",
        """
def dataframe_to_dataset(dataframe):
    dataframe = dataframe.copy()
    labels = dataframe.pop("target")
    ds = tf.data.Dataset.from_tensor_slices((dict(dataframe), labels))
    ds = ds.shuffle(buffer_size=len(dataframe))
    return ds


train_ds = dataframe_to_dataset(train_dataframe)
val_ds = dataframe_to_dataset(val_dataframe)

for x, y in train_ds.take(1):
    print("Input:", {k: v.numpy() for k, v in x.items()})
    print("Target:", y.numpy())

train_ds = train_ds.batch(16)
val_ds = val_ds.batch(16)
""",
        """
def encode_numerical_feature(feature, name, dataset):
    # Create a Normalization layer for our feature
    normalizer = layers.Normalization()

    # Prepare a Dataset that only yields our feature
    feature_ds = dataset.map(lambda x, y: x[name])
    feature_ds = feature_ds.map(lambda x: tf.expand_dims(x, -1))

    # Learn the statistics of the data
    normalizer.adapt(feature_ds)

    # Normalize the input feature
    encoded_feature = normalizer(feature)
    return encoded_feature


def encode_categorical_feature(feature, name, dataset, is_string):
    lookup_class = layers.StringLookup if is_string else layers.IntegerLookup
    # Create a lookup layer which will turn strings into integer indices
    lookup = lookup_class(output_mode="one_hot")

    # Prepare a Dataset that only yields our feature
    feature_ds = dataset.map(lambda x, y: x[name])
    feature_ds = feature_ds.map(lambda x: tf.expand_dims(x, -1))

    # Learn the set of possible string values and assign them a fixed integer index
    lookup.adapt(feature_ds)

    # Turn the string input into integer indices
    encoded_feature = lookup(feature)
    return encoded_feature
""",
        """
# Categorical features encoded as integers
sex = keras.Input(shape=(1,), name="sex", dtype="int64")
cp = keras.Input(shape=(1,), name="cp", dtype="int64")
ca = keras.Input(shape=(1,), name="ca", dtype="int64")

# Categorical feature encoded as string
thal = keras.Input(shape=(1,), name="thal", dtype="string")

# Numerical features
age = keras.Input(shape=(1,), name="age")
trestbps = keras.Input(shape=(1,), name="trestbps")
chol = keras.Input(shape=(1,), name="chol")
thalach = keras.Input(shape=(1,), name="thalach")
oldpeak = keras.Input(shape=(1,), name="oldpeak")
slope = keras.Input(shape=(1,), name="slope")

all_inputs = [sex, cp, ca, thal, age, trestbps, chol, thalach, oldpeak, slope]

# Integer categorical features
sex_encoded = encode_categorical_feature(sex, "sex", train_ds, False)
cp_encoded = encode_categorical_feature(cp, "cp", train_ds, False)
ca_encoded = encode_categorical_feature(ca, "ca", train_ds, False)

# String categorical features
thal_encoded = encode_categorical_feature(thal, "thal", train_ds, True)

# Numerical features
age_encoded = encode_numerical_feature(age, "age", train_ds)
trestbps_encoded = encode_numerical_feature(trestbps, "trestbps", train_ds)
chol_encoded = encode_numerical_feature(chol, "chol", train_ds)
thalach_encoded = encode_numerical_feature(thalach, "thalach", train_ds)
oldpeak_encoded = encode_numerical_feature(oldpeak, "oldpeak", train_ds)
slope_encoded = encode_numerical_feature(slope, "slope", train_ds)

all_features = layers.concatenate(
    [sex_encoded, cp_encoded, ca_encoded, thal_encoded, age_encoded, trestbps_encoded, chol_encoded,
     thalach_encoded, oldpeak_encoded, slope_encoded]
)
x = layers.Dense(32, activation="relu")(all_features)
x = layers.Dropout(0.5)(x)
output = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(all_inputs, output)
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
""",
        """
model.fit(train_ds, epochs=1, verbose=0)
""",
        """
sample = {
    "age": 60,
    "sex": 1,
    "cp": 1,
    "trestbps": 145,
    "chol": 233,
    "thalach": 150,
    "oldpeak": 2.3,
    "slope": 3,
    "ca": 0,
    "thal": "fixed",
}

input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
predictions = model.predict(input_dict, verbose=0)

print(
    f"This particular patient had a {100 * predictions[0][0]:.1f} "
    "percent probability of having a heart disease, as evaluated by our model."
)
""",
    ],
}
