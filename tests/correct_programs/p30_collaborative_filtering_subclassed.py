PROGRAM = {
    "title": "Collaborative filtering: subclassed RecommenderNet on (N, 2) user/movie id pairs, Embedding + Dot + "
             "bias embeddings, sigmoid output (N, 1) trained on normalised ratings of shape (N,)",
    "source": "https://github.com/keras-team/keras-io/blob/master/examples/structured_data/collaborative_filtering_movielens.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import pandas as pd
import tensorflow as tf
import keras
from keras import layers

# Stand-in for ratings.csv of MovieLens (userId, movieId, rating)
rng = np.random.default_rng(0)
df = pd.DataFrame({"userId": rng.integers(1, 30, size=200), "movieId": rng.integers(1, 80, size=200),
                   "rating": rng.choice(np.arange(0.5, 5.5, 0.5), size=200)})
user_ids = df["userId"].unique().tolist()
user2user_encoded = {x: i for i, x in enumerate(user_ids)}
movie_ids = df["movieId"].unique().tolist()
movie2movie_encoded = {x: i for i, x in enumerate(movie_ids)}
df["user"] = df["userId"].map(user2user_encoded)
df["movie"] = df["movieId"].map(movie2movie_encoded)

num_users = len(user2user_encoded)
num_movies = len(movie2movie_encoded)
df["rating"] = df["rating"].values.astype(np.float32)
min_rating = min(df["rating"])
max_rating = max(df["rating"])

df = df.sample(frac=1, random_state=42)
x = df[["user", "movie"]].values
# Normalize the targets between 0 and 1. Makes it easy to train.
y = df["rating"].apply(lambda x: (x - min_rating) / (max_rating - min_rating)).values
train_indices = int(0.8 * df.shape[0])
x_train, x_val, y_train, y_val = x[:train_indices], x[train_indices:], y[:train_indices], y[train_indices:]
""",
        """
EMBEDDING_SIZE = 16


class RecommenderNet(keras.Model):
    def __init__(self, num_users, num_movies, embedding_size, **kwargs):
        super().__init__(**kwargs)
        self.num_users = num_users
        self.num_movies = num_movies
        self.embedding_size = embedding_size
        self.user_embedding = layers.Embedding(
            num_users,
            embedding_size,
            embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6),
        )
        self.user_bias = layers.Embedding(num_users, 1)
        self.movie_embedding = layers.Embedding(
            num_movies,
            embedding_size,
            embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6),
        )
        self.movie_bias = layers.Embedding(num_movies, 1)
        self.dot = layers.Dot(axes=1)

    def call(self, inputs):
        user_vector = self.user_embedding(inputs[:, 0])
        user_bias = self.user_bias(inputs[:, 0])
        movie_vector = self.movie_embedding(inputs[:, 1])
        movie_bias = self.movie_bias(inputs[:, 1])
        dot_user_movie = self.dot([user_vector, movie_vector])
        # Add all the components (including bias)
        x = dot_user_movie + user_bias + movie_bias
        # The sigmoid activation forces the rating to between 0 and 1
        return tf.nn.sigmoid(x)


model = RecommenderNet(num_users, num_movies, EMBEDDING_SIZE)
model.compile(loss=keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.Adam(learning_rate=0.001))
history = model.fit(x=x_train, y=y_train, batch_size=32, epochs=1, verbose=0)
""",
        """
# Top recommendations for one user: score every movie for that user
user_encoder = 0
user_movie_array = np.hstack(([[user_encoder]] * num_movies, np.arange(num_movies).reshape(-1, 1)))
ratings = model.predict(user_movie_array, verbose=0).flatten()
top_ratings_indices = ratings.argsort()[-10:][::-1]
top_ratings_indices.shape
""",
    ],
}
