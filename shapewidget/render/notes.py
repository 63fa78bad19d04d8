"""The model-level notes a learner needs next to any table or drawing, in en and ja.

Every model: the input is not a layer, the batch axis, how the input shape is written, how
many values a shape holds. A functional model also gets what its graph shows — branches,
merges and the shapes they need, shared layers, several inputs or outputs; a Sequential
model a pointer to the functional API.
"""

from __future__ import annotations

from ..shapes import Shape, format_shape, num_values, product_expression
from ..summary import Summary, SummaryRow
from ..text import Lang, Msg, register
from .labels import drawing_of

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
register("note.sequential_as_functional",
         "The same chain can be written with the functional API: inputs = "
         "keras.Input(shape={sample}), then each layer called on the tensor before it "
         "(x = layer(x)), then keras.Model(inputs=inputs, outputs=x); "
         "model.to_keras_code(\"functional\") writes it out. Only the functional API can "
         "also branch, merge, share a layer, or take several inputs or outputs.",
         "同じ鎖は Functional API でも書けます: inputs = keras.Input(shape={sample}) とし、"
         "各レイヤーを一つ前のテンソルに対して呼び出し（x = layer(x)）、最後に "
         "keras.Model(inputs=inputs, outputs=x) とします。"
         "model.to_keras_code(\"functional\") がそのコードを書き出します。分岐・結合・"
         "レイヤーの共有・複数の入力や出力ができるのは Functional API だけです。")
register("note.inputs_not_layer",
         "The input {inputs} is not a layer: keras.Input(...) makes a tensor, and layers are "
         "called on tensors. Its shape is the one shape you state; every other shape follows "
         "from the layers.",
         "入力 {inputs} はレイヤーではありません。keras.Input(...) はテンソルを作り、"
         "レイヤーはテンソルに対して呼び出します。自分で決める形はこの入力の形だけで、"
         "他の形はすべてレイヤーから決まります。")
register("note.inputs_not_layers",
         "The inputs {inputs} are not layers: keras.Input(...) makes each of them a tensor, "
         "and layers are called on tensors. Their shapes are the ones you state; every other "
         "shape follows from the layers.",
         "入力 {inputs} はレイヤーではありません。keras.Input(...) がそれぞれテンソルを作り、"
         "レイヤーはテンソルに対して呼び出します。自分で決める形は入力の形だけで、他の形は"
         "すべてレイヤーから決まります。")
register("note.input_call_shape",
         "keras.Input(shape={sample}) describes one sample and leaves the batch axis out; "
         "Keras adds it in front: {shape}.",
         "keras.Input(shape={sample}) は 1 サンプルの形で、バッチ軸は書きません。Keras が"
         "先頭に追加します: {shape}。")
register("note.input_call_comma",
         "shape=({n},) needs its comma: shape=({n}) is just the int {n}, and keras.Input "
         "refuses it.",
         "shape=({n},) のカンマは必要です。shape=({n}) はただの整数 {n} なので、keras.Input は"
         "受け付けません。")
register("note.branch",
         "A branch: one tensor feeds several layers — {branches}. Each of those layers reads "
         "the whole tensor; nothing is split or copied. Only the functional API can branch: "
         "a Sequential model is one chain.",
         "分岐: 一つのテンソルが複数のレイヤーに渡されています — {branches}。どのレイヤーも"
         "テンソル全体を読みます。分割もコピーもされません。分岐できるのは Functional API "
         "だけで、Sequential モデルは一本の鎖です。")
register("note.branch_item", "{tensor} {shape} → {layers}", "{tensor} {shape} → {layers}")
register("note.merge_concatenate",
         "A merge needs compatible shapes. {name} (Concatenate) joins {shapes} along axis "
         "{axis}: the sizes on that axis add up, and every other axis must have the same size "
         "in every input → {out}.",
         "結合には形の互換性が必要です。{name}（Concatenate）は {shapes} を軸 {axis} に沿って"
         "つなげます。その軸のサイズは足し算になり、他のすべての軸はどの入力でも同じサイズで"
         "なければなりません → {out}。")
register("note.merge_elementwise",
         "A merge needs compatible shapes. {name} ({type}) combines {shapes} value by value, "
         "so the shapes must be the same (a size of 1 is stretched to the other size) → "
         "{out}. To join tensors of different sizes, use Concatenate.",
         "結合には形の互換性が必要です。{name}（{type}）は {shapes} を値ごとに組み合わせるので、"
         "形が同じでなければなりません（サイズ 1 は相手のサイズに引き伸ばされます）→ {out}。"
         "サイズの異なるテンソルをつなげるには Concatenate を使います。")
register("note.merge_dot",
         "A merge needs compatible shapes. {name} (Dot, axes={axes}) multiplies {shapes} "
         "along those axes and sums: the sizes on the two axes must be equal, and the summed "
         "axes leave the result → {out}.",
         "結合には形の互換性が必要です。{name}（Dot、axes={axes}）は {shapes} をその軸に沿って"
         "掛けて足し合わせます。二つの軸のサイズは等しくなければならず、足し合わせた軸は結果から"
         "なくなります → {out}。")
register("note.shared",
         "A shared layer: {calls}. One layer called on several tensors has one set of weights "
         "({weights}), counted once in the totals, so the later calls' rows show 0 "
         "parameters. Every call must get an input those weights fit.",
         "共有レイヤー: {calls}。複数のテンソルに対して呼び出された一つのレイヤーの重みは一組"
         "だけで（{weights}）、合計では 1 回だけ数えます。そのため 2 回目以降の呼び出しの行は"
         "パラメータ 0 個です。どの呼び出しの入力も、その重みに合う形でなければなりません。")
register("note.shared_item",
         "{name} is {target} called again ({target}[{node}] in the \"Connected to\" column)",
         "{name} は {target} の再呼び出しです（「接続元」の列では {target}[{node}]）")
register("note.several_inputs",
         "Several inputs: keras.Model(inputs=[{names}], …). fit(), evaluate() and predict() "
         "take one array per input — a list in this order, or a dict by input name — each "
         "with its own shape and the same number of samples.",
         "複数の入力: keras.Model(inputs=[{names}], …)。fit()・evaluate()・predict() には入力"
         "ごとに一つの配列を渡します（この順のリスト、または入力名をキーにした dict）。形は"
         "それぞれ違ってよく、サンプル数は同じです。")
register("note.several_outputs",
         "Several outputs: keras.Model(…, outputs=[{names}]). predict() returns one array "
         "per output, in this order, and fit() takes one target per output (a list in this "
         "order, or a dict by output name).",
         "複数の出力: keras.Model(…, outputs=[{names}])。predict() は出力ごとに一つの配列を"
         "この順で返し、fit() には出力ごとに一つの正解データを渡します（この順のリスト、"
         "または出力名をキーにした dict）。")
register("note.functional_chain",
         "This graph is a plain chain (one input, each layer called on the output of the one "
         "before, one output), so keras.Sequential could write it too.",
         "このグラフはただの鎖（入力が一つ、各レイヤーが一つ前の出力に対して呼び出され、"
         "出力が一つ）なので、keras.Sequential でも書けます。")

def _join(items: list[str], lang: Lang) -> str:
    """``a, b and c`` (English) or ``a、b、c`` (Japanese)."""
    if lang == "ja":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _shapes(shapes: tuple[Shape, ...], lang: Lang) -> str:
    return _join([format_shape(x) for x in shapes], lang)


def model_notes(summary: Summary, lang: Lang = "en") -> list[str]:
    """Plain-language notes about the input, the batch axis and counting values; for a
    functional model also its branches, merges, shared layers, inputs and outputs."""
    shape = summary.input_shape
    sample = shape[1:]
    if summary.functional:
        out = _input_notes(summary, lang)
    else:
        out = [Msg("note.input_not_layer", {"shape": format_shape(shape)}).render(lang)]
    if summary.batch_size is None:
        out.append(Msg("note.batch_none").render(lang))
    else:
        out.append(Msg("note.batch_fixed", {"batch": summary.batch_size}).render(lang))
    if summary.functional:
        out.append(Msg("note.input_call_shape", {"sample": format_shape(sample),
                                                 "shape": format_shape(shape)}).render(lang))
        single = [t.shape[1] for t in summary.inputs if len(t.shape) == 2]
        if single and single[0] is not None:
            out.append(Msg("note.input_call_comma", {"n": single[0]}).render(lang))
    elif len(sample) == 1 and sample[0] is not None:
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
    if summary.functional:
        out += _graph_notes(summary, lang)
    elif summary.rows:
        out.append(Msg("note.sequential_as_functional",
                       {"sample": format_shape(sample)}).render(lang))
    return out


def _input_notes(summary: Summary, lang: Lang) -> list[str]:
    inputs = [f"{t.name} {format_shape(t.shape)}" for t in summary.inputs]
    key = "note.inputs_not_layer" if len(inputs) == 1 else "note.inputs_not_layers"
    return [Msg(key, {"inputs": _join(inputs, lang)}).render(lang)]


def _graph_notes(summary: Summary, lang: Lang) -> list[str]:
    """Branches, merges, shared layers, several inputs and outputs — what a graph adds."""
    rows = summary.rows
    out: list[str] = []
    if _is_chain(summary):
        out.append(Msg("note.functional_chain").render(lang))
    readers: dict[str, list[str]] = {}
    for r in rows:
        for t in dict.fromkeys(r.inbound):
            readers.setdefault(t, []).append(r.name)
    branches = [Msg("note.branch_item", {"tensor": t, "shape": format_shape(
        summary.shape_of(t)), "layers": _join(names, lang)}).render(lang)
                for t, names in readers.items() if len(names) > 1]
    if branches:
        out.append(Msg("note.branch", {"branches": "; ".join(branches)}).render(lang))
    out += _merge_notes(rows, lang)
    shared = [r for r in rows if r.shares is not None]
    if shared:
        calls: dict[str, int] = {}
        items = []
        for r in rows:
            layer = r.shares or r.name
            calls[layer] = calls.get(layer, 0) + 1
            if r.shares is not None:
                items.append(Msg("note.shared_item", {"name": r.name, "node": calls[layer] - 1,
                                                      "target": r.shares}).render(lang))
        target = summary.row_named(shared[0].shares or "")
        weights = ", ".join(f"{w.name} {format_shape(w.shape)}" for w in
                            (target.weights if target is not None else ()))
        out.append(Msg("note.shared", {"calls": "; ".join(items),
                                       "weights": weights or "—"}).render(lang))
    if len(summary.inputs) > 1:
        out.append(Msg("note.several_inputs", {
            "names": ", ".join(t.name for t in summary.inputs)}).render(lang))
    if len(summary.outputs) > 1:
        out.append(Msg("note.several_outputs",
                       {"names": ", ".join(summary.outputs)}).render(lang))
    return out


def _merge_notes(rows: tuple[SummaryRow, ...], lang: Lang) -> list[str]:
    """One note per kind of merge in the model, on its first layer of that kind."""
    out: list[str] = []
    seen: set[str] = set()
    for r in rows:
        merge = drawing_of(r.class_name).get("merge")
        # the note's kind: concatenate, dot, or elementwise (every other merge)
        kind = {"concat": "concatenate", "dot": "dot"}.get(merge or "",
                                                          "elementwise" if merge else "")
        if not kind or kind in seen:
            continue
        seen.add(kind)
        values: dict[str, object] = {
            "name": r.name, "type": r.class_name,
            "shapes": _shapes(r.input_shapes or (r.input_shape,), lang),
            "out": format_shape(r.output_shape)}
        if kind == "concatenate":
            values["axis"] = r.args.get("axis", -1)
        elif kind == "dot":
            axes = r.args.get("axes")
            values["axes"] = (format_shape(tuple(axes)) if isinstance(axes, (list, tuple))
                              else axes)
        out.append(Msg(f"note.merge_{kind}", values).render(lang))
    return out


def _is_chain(summary: Summary) -> bool:
    """One input, every layer called once on the tensor just before it, one output."""
    rows = summary.rows
    if len(summary.inputs) != 1 or not rows or summary.error is not None:
        return False
    before = summary.inputs[0].name
    for r in rows:
        if r.shares is not None or r.inbound != (before,):
            return False
        before = r.name
    return summary.outputs == (before,)
