PROGRAM = {
    "title": "Univariate forecasting: timeseries_dataset_from_array windows of shape (N, T, 1), Conv1D + Dense(1), "
             "targets of shape (N,) with mse (the documented regression idiom)",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/timeseries/timeseries_weather_forecasting.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras

# One temperature reading per hour, normalised with training statistics
rng = np.random.default_rng(0)
t = np.arange(600, dtype="float32")
temperature = np.sin(2 * np.pi * t / 24) + 0.1 * rng.normal(size=t.shape).astype("float32")
train_split = 400
mean, std = temperature[:train_split].mean(), temperature[:train_split].std()
temperature = (temperature - mean) / std

past = 48  # use the last 48 hours
future = 6  # to predict the temperature 6 hours later
features = temperature.reshape(-1, 1)  # (time, 1): one feature
""",
        """
def make_dataset(start, end, batch_size=32):
    x = features[start : end - past - future]
    y = temperature[start + past + future - 1 : end]  # scalar target for every window
    return keras.utils.timeseries_dataset_from_array(
        x, y, sequence_length=past, sampling_rate=1, batch_size=batch_size
    )


dataset_train = make_dataset(0, train_split)
dataset_val = make_dataset(train_split, len(temperature))

for batch in dataset_train.take(1):
    inputs, targets = batch

print("Input shape:", inputs.numpy().shape)  # (batch, 48, 1)
print("Target shape:", targets.numpy().shape)  # (batch,)
""",
        """
inputs = keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2]))
x = keras.layers.Conv1D(16, 5, activation="relu")(inputs)  # (the example uses LSTM(32): see p16)
x = keras.layers.GlobalAveragePooling1D()(x)
outputs = keras.layers.Dense(1)(x)

model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse", metrics=["mae"])
history = model.fit(dataset_train, epochs=1, verbose=0)
""",
        """
for x, y in dataset_val.take(1):
    prediction = model.predict(x, verbose=0)[0]
    print("true future:", float(y[0]), "prediction:", float(prediction[0]))
""",
    ],
}
