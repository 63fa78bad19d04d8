"""Merge layers: hand-checked shapes, explanations and error messages."""

from __future__ import annotations

import pytest

from shapewidget import ShapeError
from shapewidget.layers import FAMILIES, LAYER_TYPES, Computed
from shapewidget.layers.merging import (
    LAYERS,
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
)
from shapewidget.params import AxisPairParam
from shapewidget.text import TEMPLATES

Shape = tuple[int | None, ...]
ELEMENTWISE = (Add, Subtract, Multiply, Average, Maximum, Minimum)


def error(layer: object, *shapes: Shape) -> ShapeError:
    assert hasattr(layer, "evaluate_inputs")
    with pytest.raises(ShapeError) as info:
        layer.evaluate_inputs(shapes)
    return info.value


def text(out: Computed, lang: str = "en") -> str:
    return " ".join(n.render(lang) for n in out.notes)  # type: ignore[arg-type]


# --- the catalogue --------------------------------------------------------------------

def test_catalogue_merging_family_registered() -> None:
    assert "merging" in FAMILIES
    for cls in LAYERS:
        assert LAYER_TYPES[cls.type_name()] is cls
        assert cls.family == "merging" and cls.takes_list


def test_catalogue_merging_params_in_keras_order() -> None:
    assert [p.name for p in Concatenate.params] == ["axis"]
    assert [p.name for p in Dot.params] == ["axes", "normalize"]
    assert all(cls.params == () for cls in ELEMENTWISE)
    assert Dot(1, True).normalize is True
    assert Concatenate(2).axis == 2


def test_catalogue_merging_messages_have_japanese() -> None:
    for key, templates in TEMPLATES.items():
        if key.split(".")[0] in ("merge", "concatenate", "dot"):
            assert templates["ja"] != templates["en"], key


# --- one tensor instead of a list -----------------------------------------------------

@pytest.mark.parametrize("cls", LAYERS)
def test_merge_single_tensor_rejected_with_functional_fix(cls: type) -> None:
    layer = cls(axes=1) if cls is Dot else cls()
    with pytest.raises(ShapeError) as info:
        layer.evaluate((None, 3))
    err = info.value
    assert "merge layer" in str(err) and "(None, 3)" in str(err)
    assert err.fix is not None and "functional API" in err.fix.render()
    assert "関数" in err.message("ja") or "Functional" in err.message("ja")


def test_merge_single_tensor_example_uses_the_layers_arguments() -> None:
    with pytest.raises(ShapeError, match=r"Dot\(axes=\(1, 2\)\)\(\[x1, x2\]\)"):
        Dot(axes=(1, 2)).evaluate((None, 3))


# --- element-wise layers ----------------------------------------------------------------

@pytest.mark.parametrize("cls", [Add, Multiply, Average, Maximum, Minimum])
def test_elementwise_same_shapes_keep_shape(cls: type) -> None:
    out = cls().evaluate_inputs(((None, 3, 4), (None, 3, 4), (None, 3, 4)))
    assert out.output_shape == (None, 3, 4) and out.weights == ()
    assert "value by value" in text(out) and "No weights" in text(out)


def test_elementwise_list_of_one_returns_it() -> None:
    out = Add().evaluate_inputs(((None, 3),))
    assert out.output_shape == (None, 3)
    assert "returns it unchanged" in text(out)


def test_elementwise_size_one_broadcasts() -> None:
    out = Add().evaluate_inputs(((None, 1), (None, 4)))
    assert out.output_shape == (None, 4)
    assert "stretches a size of 1" in text(out)


def test_elementwise_shorter_rank_lines_up_with_the_end() -> None:
    assert Multiply().evaluate_inputs(((None, 3), (None, 4, 3))).output_shape == (None, 4, 3)


def test_elementwise_unknown_size_wins_over_known() -> None:
    out = Add().evaluate_inputs(((None, None), (None, 4)))
    assert out.output_shape == (None, None)
    assert "unknown" in text(out)


def test_elementwise_known_batch_size_kept() -> None:
    assert Add().evaluate_inputs(((None, 3), (3, 3))).output_shape == (3, 3)


def test_elementwise_incompatible_names_shapes_and_axis() -> None:
    err = error(Add(), (None, 3), (None, 4))
    assert "(None, 3) and (None, 4) differ on axis 1 (3 vs 4)" in str(err)
    assert err.fix is not None and "Concatenate" in err.fix.render()


def test_elementwise_incompatible_names_the_input_that_set_the_size() -> None:
    err = error(Maximum(), (None, 1, 3), (None, 4, 1), (None, 5, 3))
    assert "(None, 4, 1) and (None, 5, 3) differ on axis 1 (4 vs 5)" in str(err)


def test_elementwise_incompatible_ranks_named_from_the_end() -> None:
    err = error(Add(), (None, 4), (None, 4, 3))
    assert "differ on axis -1 (4 vs 3)" in str(err)


def test_elementwise_batch_mismatch_rejected() -> None:
    err = error(Average(), (2, 3), (3, 3))
    assert "different batch sizes" in str(err) and "(2, 3)" in str(err)


def test_subtract_two_inputs() -> None:
    out = Subtract().evaluate_inputs(((None, 3), (None, 3)))
    assert out.output_shape == (None, 3)
    assert "subtracts the second input from the first" in text(out)


@pytest.mark.parametrize("count", [1, 3])
def test_subtract_other_than_two_inputs_rejected(count: int) -> None:
    err = error(Subtract(), *[(None, 3)] * count)
    assert f"exactly 2 input tensors, received a list of {count}" in str(err)


def test_elementwise_empty_list_rejected() -> None:
    with pytest.raises(ShapeError, match="empty list"):
        Add().evaluate_inputs(())


# --- Concatenate --------------------------------------------------------------------------

def test_concatenate_last_axis_adds_sizes() -> None:
    out = Concatenate().evaluate_inputs(((None, 3), (None, 5), (None, 2)))
    assert out.output_shape == (None, 10)
    assert "3 + 5 + 2 = 10" in text(out)


def test_concatenate_middle_axis() -> None:
    out = Concatenate(axis=1).evaluate_inputs(((None, 3, 4), (None, 5, 4)))
    assert out.output_shape == (None, 8, 4)


def test_concatenate_other_axis_mismatch_names_shapes_and_axis() -> None:
    err = error(Concatenate(), (None, 3, 4), (None, 5, 4))
    assert ("Concatenate joins along axis -1; the other axes must match, but (None, 3, 4) "
            "and (None, 5, 4) differ on axis 1") in str(err)
    assert err.fix is not None and "axis=1" in err.fix.render()


def test_concatenate_size_one_does_not_match() -> None:
    assert "differ on axis 1 (1 vs 3)" in str(error(Concatenate(), (None, 1, 4), (None, 3, 4)))


def test_concatenate_unknown_size_on_axis_makes_result_unknown() -> None:
    out = Concatenate().evaluate_inputs(((None, 2), (None, None), (None, 3)))
    assert out.output_shape == (None, None)
    assert "unknown" in text(out)


def test_concatenate_unknown_other_axis_taken_from_first_input() -> None:
    out = Concatenate().evaluate_inputs(((None, None, 4), (None, 3, 4)))
    assert out.output_shape == (None, None, 8)
    assert "takes the other axes from the first input" in text(out)


def test_concatenate_batch_taken_from_first_input() -> None:
    assert Concatenate().evaluate_inputs(((None, 3), (2, 3))).output_shape == (None, 6)


def test_concatenate_batch_mismatch_rejected_on_axis_zero() -> None:
    assert "differ on axis 0 (2 vs 3)" in str(error(Concatenate(), (2, 3), (3, 3)))


def test_concatenate_batch_axis_stacks_samples() -> None:
    out = Concatenate(axis=0).evaluate_inputs(((2, 3), (3, 3)))
    assert out.output_shape == (5, 3)
    assert "batch axis" in text(out)


def test_concatenate_rank_mismatch_rejected() -> None:
    err = error(Concatenate(), (None, 3), (None, 3, 4))
    assert "same rank" in str(err) and "rank 2" in str(err) and "rank 3" in str(err)


@pytest.mark.parametrize("axis", [2, 5, -5])
def test_concatenate_axis_out_of_range_rejected(axis: int) -> None:
    err = error(Concatenate(axis=axis), (2, 3), (2, 3))
    assert f"joins along axis {axis}" in str(err) and "valid axes: -2 … 1" in str(err)
    assert err.argument == "axis"


def test_concatenate_list_of_one_with_axis_past_the_end_accepted() -> None:
    # Keras only looks up the axis when there is a second input.
    assert Concatenate(axis=5).evaluate_inputs(((None, 3),)).output_shape == (None, 3)
    with pytest.raises(ShapeError):
        Concatenate(axis=-5).evaluate_inputs(((None, 3),))


def test_concatenate_ranks_differ_accepted_through_keras_quirk() -> None:
    out = Concatenate(axis=2).evaluate_inputs(((None, 3, None), (None, 3)))
    assert out.output_shape == (None, 3, None)
    assert "fails when it runs" in text(out)
    with pytest.raises(ShapeError):
        Concatenate(axis=2).evaluate_inputs(((None, 3, 4), (None, 3)))


# --- Dot ----------------------------------------------------------------------------------

def test_dot_vectors_give_one_value_per_sample() -> None:
    out = Dot(axes=1).evaluate_inputs(((None, 3), (None, 3)))
    assert out.output_shape == (None, 1)
    assert "adds an axis of size 1" in text(out)


def test_dot_axes_pair_keeps_the_other_axes() -> None:
    out = Dot(axes=(2, 1)).evaluate_inputs(((None, 3, 4), (None, 4, 5)))
    assert out.output_shape == (None, 3, 5)
    assert "axis 2 of (None, 3, 4) with axis 1 of (None, 4, 5)" in text(out)


def test_dot_negative_axis_counts_from_each_end() -> None:
    assert Dot(axes=-1).evaluate_inputs(((None, 3, 4), (None, 4))).output_shape == (None, 3)


def test_dot_size_mismatch_suggests_matching_axes() -> None:
    err = error(Dot(axes=-1), (None, 3, 4), (None, 4, 5))
    assert "must be equal, but they are 4 and 5" in str(err)
    assert err.fix is not None and "axes=(2, 1)" in err.fix.render()
    assert err.argument == "axes"


def test_dot_unknown_against_known_size_rejected() -> None:
    err = error(Dot(axes=1), (None, 3), (None, None))
    assert "3 vs None" in str(err) and "unknown size" in str(err)


def test_dot_both_unknown_accepted() -> None:
    assert Dot(axes=1).evaluate_inputs(((None, None), (None, None))).output_shape == (None, 1)


def test_dot_axis_out_of_range_rejected() -> None:
    err = error(Dot(axes=3), (None, 3), (None, 3))
    assert "axis 3 of the first input (None, 3), which has 2 axes" in str(err)
    assert "一つ目の入力" in err.message("ja")


@pytest.mark.parametrize("count", [1, 3])
def test_dot_other_than_two_inputs_rejected(count: int) -> None:
    assert "exactly 2" in str(error(Dot(axes=1), *[(None, 3)] * count))


def test_dot_batch_mismatch_accepted_with_warning() -> None:
    out = Dot(axes=1).evaluate_inputs(((2, 3), (3, 3)))
    assert out.output_shape == (2, 1)
    assert "batch sizes differ" in text(out)


def test_dot_batch_axis_accepted_with_warning() -> None:
    out = Dot(axes=0).evaluate_inputs(((2, 3), (2, 3)))
    assert out.output_shape == (3, 1)
    assert "batch axis" in text(out)


def test_dot_normalize_noted() -> None:
    out = Dot(axes=1, normalize=True).evaluate_inputs(((None, 3), (None, 3)))
    assert "cosine similarity" in text(out)


# --- Dot's axes argument ------------------------------------------------------------------

def test_axis_pair_param_accepts_int_and_pair() -> None:
    param = AxisPairParam("axes", None)
    assert param.validate(-1) == -1
    assert param.validate([1, 2]) == (1, 2)


@pytest.mark.parametrize("value", [(1, 2, 3), (1,), "1", 1.5, True, (1, "2")])
def test_axis_pair_param_rejects_other_values(value: object) -> None:
    with pytest.raises(ShapeError, match="an integer axis or a pair of integer axes"):
        AxisPairParam("axes", None).validate(value)


def test_dot_axes_required() -> None:
    with pytest.raises(ShapeError, match="required"):
        Dot()
