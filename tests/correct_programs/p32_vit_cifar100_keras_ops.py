PROGRAM = {
    "title": "Vision Transformer on CIFAR-100 shapes with keras.ops: Normalization adapted on the images inside the "
             "augmentation pipeline, Patches via ops.image.extract_patches, PatchEncoder with position Embedding, "
             "MultiHeadAttention blocks, logits with SparseCategoricalCrossentropy on (N, 1) labels, AdamW",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/vision/image_classification_with_vision_transformer.py",
    "flavours": ["keras3"],
    "cells": [
        """
import numpy as np
import keras
from keras import layers
from keras import ops

num_classes = 100
input_shape = (32, 32, 3)

# Stand-in for keras.datasets.cifar100.load_data(): labels have shape (N, 1)
x_train = np.random.randint(0, 256, size=(64, 32, 32, 3)).astype("uint8")
y_train = np.random.randint(0, num_classes, size=(64, 1))
x_test = np.random.randint(0, 256, size=(32, 32, 32, 3)).astype("uint8")
y_test = np.random.randint(0, num_classes, size=(32, 1))

learning_rate = 0.001
weight_decay = 0.0001
batch_size = 32
image_size = 32  # the example resizes to 72; we keep the original size
patch_size = 8  # Size of the patches to be extract from the input images
num_patches = (image_size // patch_size) ** 2
projection_dim = 32
num_heads = 2
transformer_units = [projection_dim * 2, projection_dim]  # Size of the transformer layers
transformer_layers = 1
mlp_head_units = [64, 32]  # Size of the dense layers of the final classifier
""",
        """
data_augmentation = keras.Sequential(
    [
        layers.Normalization(),
        layers.Resizing(image_size, image_size),
        layers.RandomFlip("horizontal"),
        # (the example also has RandomRotation(factor=0.02) and RandomZoom(0.2, 0.2) here)
    ],
    name="data_augmentation",
)
# Compute the mean and the variance of the training data for normalization.
data_augmentation.layers[0].adapt(x_train)


def mlp(x, hidden_units, dropout_rate):
    for units in hidden_units:
        x = layers.Dense(units, activation=keras.activations.gelu)(x)
        x = layers.Dropout(dropout_rate)(x)
    return x


class Patches(layers.Layer):
    def __init__(self, patch_size):
        super().__init__()
        self.patch_size = patch_size

    def call(self, images):
        input_shape = ops.shape(images)
        batch_size = input_shape[0]
        height = input_shape[1]
        width = input_shape[2]
        channels = input_shape[3]
        num_patches_h = height // self.patch_size
        num_patches_w = width // self.patch_size
        patches = keras.ops.image.extract_patches(images, size=self.patch_size)
        patches = ops.reshape(
            patches,
            (batch_size, num_patches_h * num_patches_w, self.patch_size * self.patch_size * channels),
        )
        return patches


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, projection_dim):
        super().__init__()
        self.num_patches = num_patches
        self.projection = layers.Dense(units=projection_dim)
        self.position_embedding = layers.Embedding(input_dim=num_patches, output_dim=projection_dim)

    def call(self, patch):
        positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)
        projected_patches = self.projection(patch)
        encoded = projected_patches + self.position_embedding(positions)
        return encoded
""",
        """
def create_vit_classifier():
    inputs = keras.Input(shape=input_shape)
    # Augment data.
    augmented = data_augmentation(inputs)
    # Create patches.
    patches = Patches(patch_size)(augmented)
    # Encode patches.
    encoded_patches = PatchEncoder(num_patches, projection_dim)(patches)

    # Create multiple layers of the Transformer block.
    for _ in range(transformer_layers):
        # Layer normalization 1.
        x1 = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
        # Create a multi-head attention layer.
        attention_output = layers.MultiHeadAttention(num_heads=num_heads, key_dim=projection_dim, dropout=0.1)(x1, x1)
        # Skip connection 1.
        x2 = layers.Add()([attention_output, encoded_patches])
        # Layer normalization 2.
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        # MLP.
        x3 = mlp(x3, hidden_units=transformer_units, dropout_rate=0.1)
        # Skip connection 2.
        encoded_patches = layers.Add()([x3, x2])

    # Create a [batch_size, projection_dim] tensor.
    representation = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
    representation = layers.Flatten()(representation)
    representation = layers.Dropout(0.5)(representation)
    # Add MLP.
    features = mlp(representation, hidden_units=mlp_head_units, dropout_rate=0.5)
    # Classify outputs.
    logits = layers.Dense(num_classes)(features)
    # Create the Keras model.
    model = keras.Model(inputs=inputs, outputs=logits)
    return model
""",
        """
vit_classifier = create_vit_classifier()
optimizer = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
vit_classifier.compile(
    optimizer=optimizer,
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[
        keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
        keras.metrics.SparseTopKCategoricalAccuracy(5, name="top-5-accuracy"),
    ],
)
history = vit_classifier.fit(x=x_train, y=y_train, batch_size=batch_size, epochs=1, verbose=0)
_, accuracy, top_5_accuracy = vit_classifier.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {round(accuracy * 100, 2)}%")
print(f"Test top 5 accuracy: {round(top_5_accuracy * 100, 2)}%")
""",
    ],
}
