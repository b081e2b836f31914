PROGRAM = {
    "title": "Imbalanced binary classification: features normalised with training statistics, Dense stack to one "
             "sigmoid unit, uint8 targets of shape (N, 1), class_weight, confusion-matrix metrics",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/structured_data/imbalanced_classification.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import keras

# Stand-in for creditcard.csv: 30 float features, a [0/1] target per row (as a one-element list)
rng = np.random.default_rng(0)
all_features = rng.normal(size=(96, 30)).tolist()
all_targets = [[int(v)] for v in (rng.uniform(size=96) < 0.1)]
all_targets[0] = [1]

features = np.array(all_features, dtype="float32")
targets = np.array(all_targets, dtype="uint8")
print("features.shape:", features.shape)
print("targets.shape:", targets.shape)

num_val_samples = int(len(features) * 1 / 3)
train_features = features[:-num_val_samples]
train_targets = targets[:-num_val_samples]
val_features = features[-num_val_samples:]
val_targets = targets[-num_val_samples:]

counts = np.bincount(train_targets[:, 0])
weight_for_0 = 1.0 / counts[0]
weight_for_1 = 1.0 / counts[1]

mean = np.mean(train_features, axis=0)
train_features -= mean
val_features -= mean
std = np.std(train_features, axis=0)
train_features /= std
val_features /= std
""",
        """
model = keras.Sequential(
    [
        keras.Input(shape=train_features.shape[1:]),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
metrics = [
    keras.metrics.FalseNegatives(name="fn"),
    keras.metrics.FalsePositives(name="fp"),
    keras.metrics.TrueNegatives(name="tn"),
    keras.metrics.TruePositives(name="tp"),
    keras.metrics.Precision(name="precision"),
    keras.metrics.Recall(name="recall"),
]
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy", metrics=metrics)
class_weight = {0: weight_for_0, 1: weight_for_1}
model.fit(
    train_features,
    train_targets,
    batch_size=32,
    epochs=1,
    verbose=0,
    class_weight=class_weight,
)
""",
        """
results = model.evaluate(val_features, val_targets, verbose=0, return_dict=True)
sorted(results)
""",
    ],
}
