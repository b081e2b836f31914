PROGRAM = {
    "title": "Timeseries anomaly detection: sequences of shape (N, 288, 1), Conv1D / Conv1DTranspose reconstruction "
             "autoencoder trained with fit(x, x), MAE threshold from predict",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/timeseries/timeseries_anomaly_detection.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import pandas as pd
import keras
from keras import layers

# Stand-in for art_daily_small_noise.csv: one value every 5 minutes
rng = np.random.default_rng(0)
timestamps = pd.date_range("2014-04-01", periods=288 + 63, freq="5min")
df_small_noise = pd.DataFrame({"value": 20 + 5 * np.sin(np.arange(len(timestamps)) * 2 * np.pi / 288)
                               + rng.normal(size=len(timestamps))}, index=timestamps)

training_mean = df_small_noise.mean()
training_std = df_small_noise.std()
df_training_value = (df_small_noise - training_mean) / training_std

TIME_STEPS = 288


# Generated training sequences for use in the model.
def create_sequences(values, time_steps=TIME_STEPS):
    output = []
    for i in range(len(values) - time_steps + 1):
        output.append(values[i : (i + time_steps)])
    return np.stack(output)


x_train = create_sequences(df_training_value.values)
print("Training input shape: ", x_train.shape)
""",
        """
model = keras.Sequential(
    [
        layers.Input(shape=(x_train.shape[1], x_train.shape[2])),
        layers.Conv1D(filters=16, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Dropout(rate=0.2),
        layers.Conv1D(filters=8, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Conv1DTranspose(filters=8, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Dropout(rate=0.2),
        layers.Conv1DTranspose(filters=16, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Conv1DTranspose(filters=1, kernel_size=7, padding="same"),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
history = model.fit(
    x_train,
    x_train,
    epochs=1,
    batch_size=32,
    validation_split=0.1,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, mode="min")],
    verbose=0,
)
""",
        """
# Get train MAE loss.
x_train_pred = model.predict(x_train, verbose=0)
train_mae_loss = np.mean(np.abs(x_train_pred - x_train), axis=1)

# Get reconstruction loss threshold.
threshold = np.max(train_mae_loss)
print("Reconstruction error threshold: ", threshold)
anomalies = train_mae_loss.reshape((-1)) > threshold
print("Number of anomaly samples: ", np.sum(anomalies))
""",
    ],
}
