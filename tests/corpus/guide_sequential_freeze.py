# Model definition after keras-io guides/sequential_model.py
# (the Keras authors, Apache License 2.0, https://github.com/keras-team/keras-io),
# re-typed for shapewidget's test corpus: only the part that builds the model.
# expect: reads
# ruff: noqa  (tutorial code as written)
import keras
from keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(32, activation="relu"),
        layers.Dense(32, activation="relu"),
        layers.Dense(10),
    ]
)

# Freeze all layers except the last one.
for layer in model.layers[:-1]:
    layer.trainable = False

model.compile(optimizer="adam", loss="mse")
