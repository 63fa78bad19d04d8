"""The model-level notes a learner needs next to any table or drawing, in en and ja."""

from __future__ import annotations

from ..shapes import format_shape, num_values, product_expression
from ..summary import Summary
from ..text import Lang, Msg, register

register("note.input_not_layer",
         "The input {shape} is not a layer: it is the tensor fed to the first layer. Its "
         "shape is the one shape you state; every other shape follows from the layers.",
         "入力 {shape} はレイヤーではありません。最初のレイヤーに渡されるテンソルです。"
         "自分で決める形はこの入力の形だけで、他の形はすべてレイヤーから決まります。")
register("note.batch_none",
         "The first axis is the batch. It is None (any number of samples) because no batch "
         "size is fixed; batch_size=30 or batch_shape=(30, …) would make it 30.",
         "最初の軸はバッチ軸です。バッチサイズを固定していないので None（サンプル数は何個でも"
         "よい）になります。batch_size=30 や batch_shape=(30, …) とすると 30 になります。")
register("note.batch_fixed",
         "The first axis is the batch. It is {batch} because the batch size is fixed; "
         "without batch_size Keras shows None there.",
         "最初の軸はバッチ軸です。バッチサイズを固定しているので {batch} です。"
         "batch_size を指定しなければ Keras はここを None と表示します。")
register("note.input_dim",
         "input_dim={n} is shorthand for input_shape=({n},), a tuple with a comma: "
         "input_shape=({n}) is just the int {n} and fails.",
         "input_dim={n} は input_shape=({n},)（カンマ付きのタプル）の省略形です。"
         "input_shape=({n}) はただの整数 {n} なのでエラーになります。")
register("note.input_shape",
         "input_shape={sample} describes one sample and leaves the batch axis out; Keras "
         "adds it in front: {shape}.",
         "input_shape={sample} は 1 サンプルの形で、バッチ軸は書きません。Keras が先頭に"
         "追加します: {shape}。")
register("note.values",
         "A shape counts values by multiplying its sizes: {shape} holds {expr} = {n} values.",
         "形の値の数はサイズの掛け算です: {shape} には {expr} = {n} 個の値があります。")
register("note.values_example",
         "A shape counts values by multiplying its sizes: a batch of 30 samples has shape "
         "{shape} and holds {expr} = {n} values.",
         "形の値の数はサイズの掛け算です: サンプル 30 個のバッチは形 {shape} で、"
         "{expr} = {n} 個の値があります。")


def model_notes(summary: Summary, lang: Lang = "en") -> list[str]:
    """Plain-language notes about the input, the batch axis and counting values."""
    shape = summary.input_shape
    sample = shape[1:]
    out = [Msg("note.input_not_layer", {"shape": format_shape(shape)}).render(lang)]
    if summary.batch_size is None:
        out.append(Msg("note.batch_none").render(lang))
    else:
        out.append(Msg("note.batch_fixed", {"batch": summary.batch_size}).render(lang))
    if len(sample) == 1 and sample[0] is not None:
        out.append(Msg("note.input_dim", {"n": sample[0]}).render(lang))
    else:
        out.append(Msg("note.input_shape", {"sample": format_shape(sample),
                                            "shape": format_shape(shape)}).render(lang))
    if num_values(sample) is not None:
        fixed = summary.batch_size is not None
        batch = (summary.batch_size if fixed else 30, *sample)
        total = num_values(batch)
        out.append(Msg("note.values" if fixed else "note.values_example", {
            "shape": format_shape(batch), "expr": product_expression(batch),
            "n": f"{total:,}"}).render(lang))
    return out
