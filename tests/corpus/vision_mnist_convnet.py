# Model definition after keras-io examples/vision/mnist_convnet.py
# (the Keras authors, Apache License 2.0, https://github.com/keras-team/keras-io),
# re-typed for shapewidget's test corpus: only the part that builds the model.
# expect: reads
# ruff: noqa  (tutorial code as written)
import keras
from keras import layers

num_classes = 10
input_shape = (28, 28, 1)

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
model.summary()
