# Model definition after keras-io guides/transfer_learning.py
# (the Keras authors, Apache License 2.0, https://github.com/keras-team/keras-io),
# re-typed for shapewidget's test corpus: only the part that builds the model.
# expect: reads
# ruff: noqa  (tutorial code as written)
import keras
from keras import layers

inner_model = keras.Sequential(
    [
        keras.Input(shape=(3,)),
        layers.Dense(3, activation="relu"),
        layers.Dense(3, activation="relu"),
    ]
)

model = keras.Sequential(
    [
        keras.Input(shape=(3,)),
        inner_model,
        layers.Dense(3, activation="sigmoid"),
    ]
)

model.trainable = False  # Freeze the outer model
assert inner_model.trainable == False  # All layers in `model` are now frozen
