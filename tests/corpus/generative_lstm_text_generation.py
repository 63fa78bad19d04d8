# Model definition after keras-io examples/generative/lstm_character_level_text_generation.py
# (the Keras authors, Apache License 2.0, https://github.com/keras-team/keras-io),
# re-typed for shapewidget's test corpus: only the part that builds the model.
# expect: refuses: cannot read
# ruff: noqa  (tutorial code as written)
import keras
from keras import layers

path = keras.utils.get_file("nietzsche.txt", origin="https://example.com/nietzsche.txt")
with open(path, encoding="utf-8") as f:
    text = f.read().lower()
chars = sorted(list(set(text)))
maxlen = 40

model = keras.Sequential(
    [
        keras.Input(shape=(maxlen, len(chars))),
        layers.LSTM(128),
        layers.Dense(len(chars), activation="softmax"),
    ]
)
