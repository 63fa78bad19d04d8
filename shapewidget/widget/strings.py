"""Every label, message and explanation of the widget, in English and Japanese."""

from __future__ import annotations

from ..text import Lang, Msg, register

_STRINGS: tuple[tuple[str, str, str], ...] = (
    # sections
    ("widget.section.input", "Input tensor (not a layer)", "入力テンソル（レイヤーではありません）"),
    ("widget.section.layers", "Layers", "レイヤー"),
    ("widget.section.add", "Add a layer", "レイヤーを追加"),
    ("widget.section.paste", "Paste Keras code", "Keras のコードを貼り付け"),
    ("widget.section.preset", "Start from", "ひな形"),
    # input controls
    ("widget.input.shape", "input_shape", "input_shape"),
    ("widget.input.shape_help",
     "The shape of one sample, batch axis left out: 50, 50, 3 or (50, 50, 3) or [50, 50, 3]; "
     "3 for a vector of 3 numbers.",
     "1 サンプルの形（バッチ軸は書きません）: 50, 50, 3、(50, 50, 3)、[50, 50, 3]。"
     "3 個の数のベクトルなら 3。"),
    ("widget.input.batch", "batch size", "バッチサイズ"),
    ("widget.input.batch_help",
     "None: any batch size (Keras prints None); a number fixes it (batch_size=30).",
     "None: 任意のバッチサイズ（Keras は None と表示）。数を書くと固定します（batch_size=30）。"),
    ("widget.input.dtype", "dtype", "dtype"),
    ("widget.input.keras_prints", "Keras prints the input as {shape}.",
     "Keras は入力を {shape} と表示します。"),
    ("widget.input.batch_none",
     "The batch axis is None: any number of samples can be fed at once.",
     "バッチ軸は None です。一度に何個のサンプルでも入力できます。"),
    ("widget.input.batch_fixed", "The batch is fixed at {batch} samples (batch_size={batch}).",
     "バッチは {batch} サンプルに固定されています（batch_size={batch}）。"),
    ("widget.input.input_dim",
     "One-dimensional input: input_dim={n} is the shorthand for input_shape=({n},).",
     "1 次元の入力です。input_dim={n} は input_shape=({n},) の省略形です。"),
    ("widget.input.values_sample", "Values in one sample: {expr} = {n}.",
     "1 サンプルの値の数: {expr} = {n}。"),
    ("widget.input.values_sample_1", "Values in one sample: {n}.",
     "1 サンプルの値の数: {n}。"),
    ("widget.input.values_batch", "Values in one batch: {expr} = {n}.",
     "1 バッチの値の数: {expr} = {n}。"),
    ("widget.input.values_batch_open",
     "Values in one batch: (batch size) × {n}; fix the batch size to get a number.",
     "1 バッチの値の数: (バッチサイズ) × {n}。バッチサイズを固定すると数が決まります。"),
    ("widget.input.values_unknown", "Values in one sample: unknown ({expr}: a size is None).",
     "1 サンプルの値の数: 不明（{expr}: サイズに None があります）。"),
    ("widget.input.leading_none",
     "Note: the first size is None. If you meant the batch axis, leave it out: input_shape "
     "describes one sample.",
     "注意: 最初のサイズが None です。バッチ軸のつもりなら省いてください。input_shape は "
     "1 サンプルの形です。"),
    ("widget.input.name", "name", "名前"),
    ("widget.input.name_help",
     "The input's name (keras.Input(name=...)); layers are connected to it by this name.",
     "入力の名前（keras.Input(name=...)）。レイヤーはこの名前で入力につながります。"),
    ("widget.input.add", "Add an input", "入力を追加"),
    ("widget.input.add_help",
     "A second input tensor (a functional model): call a layer on it by its name.",
     "2 つ目の入力テンソル（Functional モデル）。その名前でレイヤーを呼び出します。"),
    ("widget.input.remove", "Remove this input", "この入力を削除"),
    ("widget.input.tensor", "Input '{name}': Keras prints {shape}.",
     "入力 '{name}': Keras は {shape} と表示します。"),
    ("widget.input.where", "Input '{name}'", "入力 '{name}'"),
    # shape text errors
    ("widget.err.empty_shape", "the input shape is empty.", "入力の形が空です。"),
    ("widget.err.paren_int",
     "({value}) is not a tuple: in Python the parentheses are just grouping, so it is the "
     "int {value}.",
     "({value}) はタプルではありません。Python ではこの括弧はただのグループ化なので、整数 {value} "
     "です。"),
    ("widget.fix.shape_example", "write sizes separated by commas, e.g. 50, 50, 3.",
     "サイズをカンマで区切って書きます（例: 50, 50, 3）。"),
    ("widget.err.unreadable", "could not read {received} as a Python value.",
     "{received} を Python の値として読めません。"),
    ("widget.fix.layer_spec",
     'write the layer as a spec, e.g. {{"type": "LSTM", "units": 8}}.',
     'レイヤーを spec で書きます（例: {{"type": "LSTM", "units": 8}}）。'),
    ("widget.err.too_long", "the text is too long ({n} characters).",
     "テキストが長すぎます（{n} 文字）。"),
    # layers
    ("widget.layer.type", "type", "型"),
    ("widget.layer.position", "position", "位置"),
    ("widget.layer.at_end", "at the end", "最後に"),
    ("widget.layer.before", "before {index}: {name}", "{index}: {name} の前に"),
    ("widget.layer.add", "Add", "追加"),
    ("widget.layer.add_help", "Insert a layer of the chosen type at the chosen position.",
     "選んだ型のレイヤーを選んだ位置に挿入します。"),
    ("widget.layer.remove", "Remove this layer", "このレイヤーを削除"),
    ("widget.layer.up", "Move up", "上へ移動"),
    ("widget.layer.down", "Move down", "下へ移動"),
    ("widget.layer.duplicate", "Duplicate", "複製"),
    ("widget.layer.select", "Select: highlight it and explain its shapes",
     "選択: 強調表示し、形の理由を説明します"),
    ("widget.layer.advanced", "more", "詳細"),
    ("widget.layer.advanced_help", "Show the arguments that do not change any shape.",
     "形を変えない引数も表示します。"),
    ("widget.layer.name", "name", "name"),
    ("widget.layer.out", "→ {shape}", "→ {shape}"),
    ("widget.layer.not_reached", "→ not computed (an earlier layer breaks)",
     "→ 計算されません（前のレイヤーでエラー）"),
    ("widget.layer.breaks", "Keras would reject this layer: {message}",
     "Keras はこのレイヤーを受け付けません: {message}"),
    ("widget.layer.empty", "No layers yet: the output is the input tensor. Add a layer below.",
     "まだレイヤーがありません。出力は入力テンソルそのものです。下でレイヤーを追加してください。"),
    ("widget.layer.inbound", "takes", "入力"),
    ("widget.layer.inbound_help",
     "The tensors this layer is called on (model inputs or layer outputs); a merge layer "
     "takes several. Empty: the previous tensor, as in a Sequential model.",
     "このレイヤーを呼び出すテンソル（モデルの入力かレイヤーの出力）。マージレイヤーは複数を"
     "取ります。空のときは Sequential モデルと同じく直前のテンソルです。"),
    ("widget.layer.inbound_auto", "← {name} (previous)", "← {name}（直前）"),
    ("widget.layer.new_inbound", "on", "入力"),
    ("widget.layer.new_inbound_help",
     "The tensors the new layer takes (model inputs or layer outputs; several for a merge "
     "layer such as Concatenate or Add). Empty: the previous tensor, as in a Sequential "
     "model.",
     "新しいレイヤーが取るテンソル（モデルの入力かレイヤーの出力。Concatenate や Add など"
     "マージレイヤーには複数）。空のときは Sequential モデルと同じく直前のテンソルです。"),
    ("widget.layer.share", "call again on…", "別の入力で再利用…"),
    ("widget.layer.share_help",
     "Call this same layer again (shared weights) on other tensors: adds a shared-layer "
     "entry at the end, on the tensors chosen under \"Add a layer\" or else on this "
     "layer's own input; choose its tensors in its row.",
     "このレイヤーを同じ重みのまま別のテンソルでもう一度呼び出します。末尾に共有レイヤーを"
     "追加し、「レイヤーを追加」で選んだテンソル（なければこのレイヤーと同じ入力）で呼び"
     "出します。テンソルはその行で選べます。"),
    ("widget.layer.shares", "shares '{target}'", "'{target}' を共有"),
    ("widget.family", "{family}: {type}", "{family}: {type}"),
    ("widget.family.core", "core", "基本"),
    ("widget.family.conv", "conv", "畳み込み"),
    ("widget.family.pooling", "pooling", "プーリング"),
    ("widget.family.reshaping", "reshaping", "形の変更"),
    ("widget.family.normalization", "normalization", "正規化"),
    ("widget.family.embedding", "embedding", "埋め込み"),
    ("widget.family.recurrent", "recurrent", "再帰"),
    ("widget.family.wrapper", "wrapper", "ラッパー"),
    # outputs
    ("widget.section.outputs", "Model outputs", "モデルの出力"),
    ("widget.outputs", "outputs", "出力"),
    ("widget.outputs.help",
     "The tensors the model returns (keras.Model(outputs=[...])); empty: every tensor "
     "no layer uses.",
     "モデルが返すテンソル（keras.Model(outputs=[...])）。空のときは、どのレイヤーにも"
     "使われないテンソルすべてです。"),
    ("widget.outputs.auto", "automatic: {names}", "自動: {names}"),
    # views
    ("widget.tab.drawing", "Drawing", "図"),
    ("widget.tab.table", "Shape table", "形の表"),
    ("widget.tab.code", "Keras code", "Keras のコード"),
    ("widget.tab.explain", "Explanation", "説明"),
    ("widget.code.sequential", "Sequential", "Sequential"),
    ("widget.code.functional", "Functional", "Functional"),
    ("widget.code.legacy", "Legacy (input_shape=)", "旧式（input_shape=）"),
    ("widget.code.unavailable", "# Keras code export is not available in this version.",
     "# このバージョンでは Keras のコード出力は使えません。"),
    ("widget.code.failed", "# The code cannot be written: {message}",
     "# コードを書けません: {message}"),
    ("widget.drawing.unavailable",
     "The drawing is not available in this version; here is the summary instead.",
     "このバージョンでは図を表示できません。代わりに要約を示します。"),
    ("widget.drawing.failed", "The drawing failed: {message}", "図を描けませんでした: {message}"),
    ("widget.stale",
     "Showing the last valid model: fix the highlighted value to update the views.",
     "最後の有効なモデルを表示しています。強調された値を直すと表示が更新されます。"),
    ("widget.explain.none",
     "Select a layer (its number button) to see how its shapes and weights follow.",
     "レイヤーを選ぶ（番号のボタン）と、形と重みがどう決まるかを表示します。"),
    ("widget.explain.input",
     "The input is a tensor, not a layer: {shape}. Its shape is the one shape you state; "
     "every other shape follows from the layers.",
     "入力はレイヤーではなくテンソルです: {shape}。自分で指定する形はこれだけで、"
     "他の形はすべてレイヤーから決まります。"),
    ("widget.explain.inputs",
     "The inputs are tensors, not layers: {shapes}. Their shapes are the ones you state; "
     "every other shape follows from the layers.",
     "入力はレイヤーではなくテンソルです: {shapes}。自分で指定する形はこれらだけで、"
     "他の形はすべてレイヤーから決まります。"),
    ("widget.explain.layer", "Layer {index}: {name} ({type})", "レイヤー {index}: {name} ({type})"),
    ("widget.explain.shapes", "Input {inp} → output {out}.", "入力 {inp} → 出力 {out}。"),
    ("widget.explain.inbound", "Called on {tensors} → output {out}.",
     "入力 {tensors} → 出力 {out}。"),
    ("widget.explain.shares",
     "A second call of '{target}': the same layer with the same weights, so this call adds "
     "no parameters.",
     "'{target}' の 2 回目の呼び出しです。同じレイヤー・同じ重みなので、パラメータは増えません。"),
    ("widget.explain.weights", "Weights:", "重み:"),
    ("widget.explain.no_weights", "No weights.", "重みはありません。"),
    ("widget.explain.params", "Parameters: {n} (trainable {t}, non-trainable {f}).",
     "パラメータ: {n}（学習する {t}、学習しない {f}）。"),
    ("widget.explain.weight", "{name} {shape} = {n} values{frozen}",
     "{name} {shape} = {n} 個{frozen}"),
    ("widget.explain.frozen", " (frozen)", "（固定）"),
    ("widget.explain.not_reached",
     "This layer is not reached: an earlier layer is rejected.",
     "前のレイヤーでエラーがあるため、このレイヤーまで計算されません。"),
    ("widget.table.unavailable", "The shape table", "形の表"),
    ("widget.table.input", "input (a tensor, not a layer)", "入力（レイヤーではなくテンソル）"),
    # paste
    ("widget.paste.placeholder",
     "model = keras.Sequential([\n    keras.Input(shape=(3,)),\n    layers.Dense(4),\n])",
     "model = keras.Sequential([\n    keras.Input(shape=(3,)),\n    layers.Dense(4),\n])"),
    ("widget.paste.apply", "Replace the model", "モデルを置き換える"),
    ("widget.paste.help", "The code is read, never run.", "コードは読み取るだけで、実行しません。"),
    ("widget.paste.ok", "Read {n} layers from the code.", "コードから {n} 個のレイヤーを読みました。"),
    ("widget.paste.empty", "there is no code to read.", "読み取るコードがありません。"),
    ("widget.paste.unavailable", "reading Keras code is not available in this version.",
     "このバージョンではコードの読み取りは使えません。"),
    # presets
    ("widget.preset.load", "Load", "読み込む"),
    ("widget.preset.neurons", "3 → 4 → 4 → 1: units and neurons",
     "3 → 4 → 4 → 1: ユニットとニューロン"),
    ("widget.preset.cnn", "30 RGB images of 50×50 through a small CNN",
     "50×50 の RGB 画像 30 枚と小さな CNN"),
    ("widget.preset.lstm", "A sequence model with LSTM", "LSTM の系列モデル"),
    ("widget.preset.text", "A text model with Embedding", "Embedding のテキストモデル"),
    ("widget.preset.two_branch",
     "Two inputs, two branches: image and numbers joined, two outputs",
     "2 入力・2 分岐: 画像と数値を結合し、2 つの出力"),
    ("widget.preset.unknown", "unknown preset {received}; expected one of {expected}.",
     "不明なひな形 {received} です。{expected} のいずれかが必要です。"),
    ("widget.err.model_and_preset", "give either a model or a preset, not both.",
     "model と preset はどちらか一方だけを指定してください。"),
    ("widget.err.choice", "expected one of {expected}, received {received}.",
     "{expected} のいずれかが必要ですが、{received} を受け取りました。"),
    # history
    ("widget.undo", "Undo", "元に戻す"),
    ("widget.redo", "Redo", "やり直す"),
    # status
    ("widget.status.ok", "✓ {n} layers · output {shape} · {params} parameters",
     "✓ レイヤー {n} 個 · 出力 {shape} · パラメータ {params} 個"),
    ("widget.status.ok_outputs", "✓ {n} layers · outputs {outputs} · {params} parameters",
     "✓ レイヤー {n} 個 · 出力 {outputs} · パラメータ {params} 個"),
    ("widget.status.rejected", "✗ Keras would reject this model. {message}",
     "✗ Keras はこのモデルを受け付けません。{message}"),
    ("widget.status.invalid", "⚠ {message}", "⚠ {message}"),
    ("widget.status.internal",
     "Internal error (please report it): {message}", "内部エラー（報告してください）: {message}"),
    ("widget.where.input", "The input", "入力"),
)

for _key, _en, _ja in _STRINGS:
    register(_key, _en, _ja)


def t(key: str, lang: Lang = "en", **values: object) -> str:
    """Render a widget string in ``lang``."""
    return Msg(key, dict(values)).render(lang)


KEYS: tuple[str, ...] = tuple(k for k, _, _ in _STRINGS)
