PROGRAM = {
    "title": "Weather forecasting: 7 normalised features in a DataFrame, timeseries_dataset_from_array with "
             "sampling_rate=6, targets from a one-column DataFrame (shape (N, 1)), LSTM(32) + Dense(1), mse",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/timeseries/timeseries_weather_forecasting.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import pandas as pd
import keras

# Stand-in for jena_climate_2009_2016.csv, 7 selected features, one reading every 10 minutes
rng = np.random.default_rng(0)
n_rows = 1400
df = pd.DataFrame(rng.normal(size=(n_rows, 7)).cumsum(axis=0),
                  columns=["p (mbar)", "T (degC)", "VPmax (mbar)", "VPdef (mbar)", "sh (g/kg)",
                           "rho (g/m**3)", "wv (m/s)"])

split_fraction = 0.715
train_split = int(split_fraction * int(df.shape[0]))
step = 6
past = 120
future = 12
batch_size = 32


def normalize(data, train_split):
    data_mean = data[:train_split].mean(axis=0)
    data_std = data[:train_split].std(axis=0)
    return (data - data_mean) / data_std


features = normalize(df.values, train_split)
features = pd.DataFrame(features)
train_data = features.loc[0 : train_split - 1]
val_data = features.loc[train_split:]
""",
        """
start = past + future
end = start + train_split

x_train = train_data[[i for i in range(7)]].values
y_train = features.iloc[start:end][[1]]

sequence_length = int(past / step)

dataset_train = keras.utils.timeseries_dataset_from_array(
    x_train, y_train, sequence_length=sequence_length, sampling_rate=step, batch_size=batch_size,
)

x_end = len(val_data) - past - future
label_start = train_split + past + future
x_val = val_data.iloc[:x_end][[i for i in range(7)]].values
y_val = features.iloc[label_start:][[1]]

dataset_val = keras.utils.timeseries_dataset_from_array(
    x_val, y_val, sequence_length=sequence_length, sampling_rate=step, batch_size=batch_size,
)

for batch in dataset_train.take(1):
    inputs, targets = batch

print("Input shape:", inputs.numpy().shape)
print("Target shape:", targets.numpy().shape)
""",
        """
inputs = keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2]))
lstm_out = keras.layers.LSTM(32)(inputs)
outputs = keras.layers.Dense(1)(lstm_out)

model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
history = model.fit(dataset_train, epochs=1, validation_data=dataset_val, verbose=0)
""",
        """
for x, y in dataset_val.take(1):
    print([x[0][:, 1].numpy().shape, y[0].numpy(), model.predict(x, verbose=0)[0]])
""",
    ],
}
