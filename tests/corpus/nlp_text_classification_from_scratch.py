# Model definition after keras-io examples/nlp/text_classification_from_scratch.py
# (the Keras authors, Apache License 2.0, https://github.com/keras-team/keras-io),
# re-typed for shapewidget's test corpus: only the part that builds the model.
# expect: reads
# ruff: noqa  (tutorial code as written)
import keras
from keras import layers

max_features = 20000
embedding_dim = 128
sequence_length = 500

inputs = keras.Input(shape=(None,), dtype="int64")
x = layers.Embedding(max_features, embedding_dim)(inputs)
x = layers.Dropout(0.5)(x)
x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.Conv1D(128, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.GlobalMaxPooling1D()(x)
x = layers.Dense(128, activation="relu")(x)
x = layers.Dropout(0.5)(x)
predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
model = keras.Model(inputs, predictions)
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
