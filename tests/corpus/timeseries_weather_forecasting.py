# Model definition after keras-io examples/timeseries/timeseries_weather_forecasting.py
# (the Keras authors, Apache License 2.0, https://github.com/keras-team/keras-io),
# re-typed for shapewidget's test corpus: only the part that builds the model.
# expect: reads
# ruff: noqa  (tutorial code as written)
from tensorflow import keras

sequence_length = 120
num_features = 7
learning_rate = 0.001

inputs = keras.layers.Input(shape=(sequence_length, num_features))
lstm_out = keras.layers.LSTM(32)(inputs)
outputs = keras.layers.Dense(1)(lstm_out)

model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="mse")
model.summary()
