# Model definition after keras-io examples/structured_data/imbalanced_classification.py
# (the Keras authors, Apache License 2.0, https://github.com/keras-team/keras-io),
# re-typed for shapewidget's test corpus: only the part that builds the model.
# expect: refuses: cannot read
# ruff: noqa  (tutorial code as written)
import numpy as np
import keras

all_features = np.loadtxt("creditcard.csv", delimiter=",", skiprows=1)
train_features = all_features[:-5000, :-1]

model = keras.Sequential(
    [
        keras.Input(shape=train_features.shape[1:]),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.summary()
