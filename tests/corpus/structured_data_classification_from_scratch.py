# Model definition after keras-io examples/structured_data/structured_data_classification_from_scratch.py
# (the Keras authors, Apache License 2.0, https://github.com/keras-team/keras-io),
# re-typed for shapewidget's test corpus: only the part that builds the model.
# expect: refuses: fits the IntegerLookup layer to data
# ruff: noqa  (tutorial code as written)
import pandas as pd
import tensorflow as tf
import keras
from keras import layers

dataframe = pd.read_csv("heart.csv")
labels = dataframe.pop("target")
train_ds = tf.data.Dataset.from_tensor_slices((dict(dataframe), labels))


def encode_categorical_feature(feature, name, dataset, is_string):
    lookup_class = layers.StringLookup if is_string else layers.IntegerLookup
    lookup = lookup_class(output_mode="binary")
    feature_ds = dataset.map(lambda x, y: x[name])
    lookup.adapt(feature_ds)
    return lookup(feature)


sex = keras.Input(shape=(1,), name="sex", dtype="int64")
thal = keras.Input(shape=(1,), name="thal", dtype="string")
age = keras.Input(shape=(1,), name="age")
all_inputs = [sex, thal, age]

sex_encoded = encode_categorical_feature(sex, "sex", train_ds, False)
thal_encoded = encode_categorical_feature(thal, "thal", train_ds, True)
all_features = layers.concatenate([sex_encoded, thal_encoded, age])
x = layers.Dense(32, activation="relu")(all_features)
x = layers.Dropout(0.5)(x)
output = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(all_inputs, output)
