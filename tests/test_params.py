"""Parameter declarations: validation, messages and literal forms."""

from __future__ import annotations

import pytest

from shapewidget.errors import ShapeError
from shapewidget.params import (
    BoolParam,
    ChoiceParam,
    FloatParam,
    IntParam,
    IntTupleParam,
    JsonParam,
    NoiseShapeParam,
    seed_param,
    to_code,
    to_json,
)


def test_int_param_accepts_positive_int() -> None:
    assert IntParam("units", 1).validate(4) == 4


def test_int_param_rejects_bool() -> None:
    with pytest.raises(ShapeError, match=r"received True \(bool\)"):
        IntParam("units", 1).validate(True)


def test_int_param_rejects_zero_naming_expected_and_received() -> None:
    with pytest.raises(ShapeError) as info:
        IntParam("units", 1).validate(0)
    assert info.value.argument == "units"
    assert "expected an integer >= 1, received 0 (int)" in str(info.value)


def test_int_param_quoted_number_suggests_removing_quotes() -> None:
    with pytest.raises(ShapeError, match="write 4 without quotes"):
        IntParam("units", 1).validate("4")


def test_float_param_rejects_out_of_range() -> None:
    with pytest.raises(ShapeError, match=r"from 0\.0 to 1\.0, received 1\.5"):
        FloatParam("rate", 0.5).validate(1.5)


def test_bool_param_string_true_suggests_bare_true() -> None:
    with pytest.raises(ShapeError, match="write True without quotes"):
        BoolParam("use_bias", True).validate("true")


def test_choice_param_suggests_close_spelling() -> None:
    param = ChoiceParam("padding", "valid", choices=("valid", "same"))
    with pytest.raises(ShapeError, match='did you mean "same"'):
        param.validate("SAME")


def test_choice_param_rejects_int_equal_to_bool_choice() -> None:
    param = ChoiceParam("flag", None, choices=(None, True, False))
    with pytest.raises(ShapeError):
        param.validate(1)


def test_int_tuple_param_keeps_int_as_given() -> None:
    assert IntTupleParam("kernel_size", 3, rank=2).validate(3) == 3


def test_int_tuple_param_normalises_list_to_tuple() -> None:
    assert IntTupleParam("kernel_size", 3, rank=2).validate([3, 5]) == (3, 5)


def test_int_tuple_param_expands_int() -> None:
    assert IntTupleParam("kernel_size", 3, rank=3).expand(2) == (2, 2, 2)


def test_int_tuple_param_rejects_wrong_length() -> None:
    with pytest.raises(ShapeError, match="tuple of 2 such integers, received"):
        IntTupleParam("kernel_size", 3, rank=2).validate((3, 3, 3))


def test_int_tuple_param_tuple_only_suggests_comma_for_int() -> None:
    param = IntTupleParam("dims", (1,), rank=1, allow_int=False)
    with pytest.raises(ShapeError, match=r"write \(3,\) with a comma"):
        param.validate(3)


def test_json_param_rejects_objects() -> None:
    with pytest.raises(ShapeError):
        JsonParam("kernel_initializer", None).validate(object())


def test_to_json_turns_tuples_into_lists() -> None:
    assert to_json({"a": (1, (2, 3))}) == {"a": [1, [2, 3]]}


def test_to_code_writes_one_tuple_with_comma() -> None:
    assert to_code((3,)) == "(3,)"


def test_to_code_uses_double_quotes() -> None:
    assert to_code("relu") == '"relu"'


def test_json_param_initializer_misspelled_suggests_name() -> None:
    with pytest.raises(ShapeError, match='did you mean "glorot_uniform"'):
        JsonParam("kernel_initializer", None).validate("glorot_unifrom")


def test_json_param_regularizer_config_dict_accepted() -> None:
    value = {"class_name": "L2", "config": {"l2": 0.01}}
    assert JsonParam("kernel_regularizer", None).validate(value) == value


def test_noise_shape_param_rejects_zero_size() -> None:
    with pytest.raises(ShapeError, match=r"received \[0, 1\]"):
        NoiseShapeParam("noise_shape", None).validate([0, 1])


def test_seed_param_rejects_float() -> None:
    with pytest.raises(ShapeError):
        seed_param().validate(1.5)
