"""Read pasted Keras code into a :class:`~shapewidget.Model` — without running it.

The source is parsed with :mod:`ast` and *evaluated* over safe values only: ints, floats,
strings, bools, None, tuples, lists, dicts, ranges, layer objects, symbolic tensors whose
shapes the engine computes (``x.shape[-1]``) and models. Nothing is executed: no ``eval``,
``exec``, ``compile``, imports, attribute access on Python objects, file, environment or
network; the only builtins are :data:`BUILTINS`. Budgets end in a :class:`ShapeError`
naming the line: :data:`MAX_STEPS` evaluation steps, :data:`MAX_ITEMS` items per value and
:data:`MAX_TOTAL_ITEMS` in all, :data:`MAX_INT_BITS` bits per integer,
:data:`MAX_CALL_DEPTH` nested calls, :data:`MAX_WRAPPER_DEPTH` wrappers, :data:`MAX_SOURCE`
characters of source. Line offsets are computed once, so reading is linear in the source.

Read: arithmetic, indexing and slicing, f-strings, the builtins above, ``for``/``while``
loops, ``if``/``else`` on known values, comprehensions, ``def``/``lambda`` with positional,
keyword, default, ``*args`` and ``**kwargs`` parameters (helper blocks returning tensors,
layers, lists or models), every import spelling of Keras, the Keras class aliases,
``Sequential`` (list, ``add`` in any statement form, ``pop``, ``build``), ``Input``, the
functional API (merges, shared layers, ``Model(inputs, outputs)``, outputs as a list or a
dict), shape reads (``x.shape``, ``model.output``, ``model.inputs``, ``model.layers[i]``,
``get_layer``), ``layer.trainable = False`` and ``model.trainable = False``. A model used
as a layer is *inlined*: its layers join the outer model's graph (a nested model called
twice shares its layers), since the engine draws one graph. Lines that do not build the
model (data loading, training, plotting) give unknown values, an error only where the
model uses them. Refused with the line and what to write instead: a class defined in the
code (custom layer or model), an operation on tensors that is not a layer (``x + y``,
``tf.*``/``keras.ops.*``), ``adapt()`` and other data-dependent values, a parameter with
no value, ``keras.applications``, a Keras layer type shapewidget does not support yet, a
layer call keyword it cannot represent (``initial_state=``, ``attention_mask=``), a layer
returning several tensors.
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .codegen import variable_name
from .errors import ShapeError
from .graph import auto_input_names
from .layers import LAYER_TYPES, Layer
from .layers.shared import SharedLayer
from .model import DTYPES, Model, parse_dtype, resolve_input
from .naming import auto_name_after, auto_names
from .params import describe, is_int
from .text import Msg, register

register("code.syntax", "this is not valid Python ({detail}), so it cannot be read.",
         "これは正しい Python ではない（{detail}）ため、読み取れません。")
register("code.unreadable",
         "cannot read `{code}`: pasted code is read, never run, so only written-out values "
         "(numbers, strings, tuples, lists, True, False, None) can be used here.",
         "`{code}` を読み取れません。貼り付けたコードは実行せずに読むだけなので、ここには"
         "書き出した値（数・文字列・タプル・リスト・True・False・None）だけが使えます。")
register("code.fix.write_value", "write the value itself, e.g. units=4.",
         "値そのものを書きます（例: units=4）。")
register("code.unknown_variable",
         "cannot read the variable `{name}`: its value is not known without running the "
         "code.",
         "変数 `{name}` を読み取れません。その値はコードを実行しないとわかりません。")
register("code.unknown_layer", "unknown layer type `{name}`.", "不明なレイヤーの型 `{name}` です。")
register("code.fix.layer_types", "did you mean `{suggestion}`?", "`{suggestion}` のことですか？")
register("code.fix.known_layers", "shapewidget knows these layer types: {names}.",
         "shapewidget が知っているレイヤーの型: {names}。")
register("code.not_layer",
         "expected a layer such as Dense(4) here, received `{code}`.",
         "ここには Dense(4) のようなレイヤーが必要ですが、`{code}` を受け取りました。")
register("code.not_tensor",
         "a layer is called on a tensor (the output of Input(...) or of another layer), "
         "received `{code}`.",
         "レイヤーはテンソル（Input(...) または別のレイヤーの出力）に対して呼び出しますが、"
         "`{code}` を受け取りました。")
register("code.sequential_shared",
         "the layer `{code}` is added to this Sequential model twice; a Sequential model is "
         "one chain of layers, each used once.",
         "レイヤー `{code}` がこの Sequential モデルに 2 回追加されています。Sequential モデルは"
         "レイヤーが一列に並んだもので、各レイヤーは 1 回だけ使われます。")
register("code.fix.functional_shared",
         "to call one layer on two tensors (a shared layer), use the functional API: "
         "shared = Dense(4), then a = shared(x) and b = shared(y).",
         "1 つのレイヤーを 2 つのテンソルに対して呼び出す（共有レイヤー）には関数型 API を"
         "使います: shared = Dense(4) とし、a = shared(x)、b = shared(y) と書きます。")
register("code.merge_one_tensor",
         "`{code}` calls the merge layer {type} on one tensor; a merge layer is called on a "
         "list of tensors.",
         "`{code}` は結合レイヤー {type} を 1 つのテンソルに対して呼び出しています。結合"
         "レイヤーはテンソルのリストに対して呼び出します。")
register("code.fix.merge_list", "write the tensors as a list, e.g. {type}()([a, b]).",
         "テンソルをリストで書きます（例: {type}()([a, b])）。")
register("code.tensor_call",
         "`{code}` is called on tensors, but it is not a Keras layer shapewidget knows; "
         "only layers (and merge functions such as layers.concatenate) can be read here.",
         "`{code}` はテンソルに対して呼び出されていますが、shapewidget が知っている Keras の"
         "レイヤーではありません。ここで読み取れるのはレイヤー（と layers.concatenate の"
         "ような結合関数）だけです。")
register("code.model_input",
         "`{code}` is listed in the model's inputs, but it is the output of a layer; the "
         "inputs of keras.Model are the tensors made by Input(...).",
         "`{code}` がモデルの inputs に書かれていますが、これはレイヤーの出力です。keras.Model "
         "の inputs は Input(...) で作ったテンソルです。")
register("code.input_not_listed",
         "the outputs are computed from the input `{code}` (line {line}), which the "
         "model's inputs do not list.",
         "出力は入力 `{code}`（{line} 行目）から計算されていますが、モデルの inputs にその入力が"
         "ありません。")
register("code.fix.input_not_listed", "add it to inputs=[...].",
         "inputs=[...] に加えます。")
register("code.input_listed_twice", "the input `{code}` is listed twice in the model's inputs.",
         "入力 `{code}` がモデルの inputs に 2 回書かれています。")
register("code.nested_model",
         "a model used as a layer (`{code}`) cannot be read yet; write its layers out.",
         "レイヤーとして使われたモデル（`{code}`）はまだ読み取れません。そのレイヤーを"
         "書き出してください。")
register("code.no_model",
         "no model found: expected `Sequential(...)`, `model.add(...)` or "
         "`Model(inputs, outputs)`.",
         "モデルが見つかりません。`Sequential(...)`、`model.add(...)`、"
         "`Model(inputs, outputs)` のいずれかが必要です。")
register("code.no_input",
         "the code does not say the input shape, so no shape can be computed.",
         "コードに入力の形がないため、形を計算できません。")
register("code.fix.no_input",
         "start with keras.Input(shape=(3,)), or give the first layer input_shape=(3,) "
         "(with your own sizes, batch axis left out).",
         "keras.Input(shape=(3,)) から始めるか、最初のレイヤーに input_shape=(3,) を指定"
         "します（サイズは自分のデータに合わせ、バッチ軸は書きません）。")
register("code.input_int",
         "`{argument}={typed}` is the int {value}, not a tuple: in Python, parentheses "
         "around a single number do not make a tuple.",
         "`{argument}={typed}` はタプルではなく整数 {value} です。Python では、数 1 つを"
         "括弧で囲んでもタプルになりません。")
register("code.input_int_plain",
         "`{argument}={typed}` is the int {value}, not a tuple: a shape is a tuple of sizes.",
         "`{argument}={typed}` はタプルではなく整数 {value} です。形はサイズのタプルです。")
register("code.fix.input_int", "write `{argument}=({value},)` with a comma.",
         "カンマを付けて `{argument}=({value},)` と書きます。")
register("code.fix.input_int_dim",
         "write `{argument}=({value},)` with a comma, or `input_dim={value}`.",
         "カンマを付けて `{argument}=({value},)` と書くか、`input_dim={value}` と書きます。")
register("code.fix.batch_int",
         "write `{argument}=(None, {value})`: the batch size first, then one sample's shape.",
         "`{argument}=(None, {value})` と書きます。先頭がバッチサイズ、その後が 1 サンプルの形"
         "です。")
register("code.input_not_first",
         "an Input must come before the layers; here it comes after {count} layer(s).",
         "Input はレイヤーより前に置きます。ここでは {count} 個のレイヤーの後にあります。")
register("code.input_twice",
         "the model already has an input (line {first}); a Sequential model has one.",
         "モデルにはすでに入力があります（{first} 行目）。Sequential モデルの入力は 1 つです。")
register("code.build_conflict",
         "model.build({received}) differs from the input already given, {given}.",
         "model.build({received}) はすでに指定された入力 {given} と異なります。")
register("code.statement",
         "cannot read this `{kind}` statement: the code is read, never run, so write the "
         "layers out one by one.",
         "この `{kind}` 文は読み取れません。コードは実行せずに読むだけなので、レイヤーを 1 つずつ"
         "書き出してください。")
register("code.unsupported_argument",
         "`{argument}={code}` is not supported by shapewidget.",
         "`{argument}={code}` は shapewidget では扱えません。")
register("code.star_args", "cannot read `{code}`: write the arguments out one by one.",
         "`{code}` を読み取れません。引数を 1 つずつ書き出してください。")
register("code.object_keywords",
         "cannot read the positional arguments of `{code}`: write them as keywords, e.g. "
         "RandomNormal(stddev=0.05).",
         "`{code}` の位置引数は読み取れません。RandomNormal(stddev=0.05) のようにキーワードで"
         "書きます。")
register("code.not_layer_argument",
         "`{code}` is a tensor; a layer argument is a value such as 4 or (3, 3).",
         "`{code}` はテンソルです。レイヤーの引数は 4 や (3, 3) のような値です。")
register("code.pop_empty", "model.pop() on a model without layers.",
         "レイヤーのないモデルで model.pop() が呼ばれています。")

# Argument names that describe the input rather than the layer (legacy first-layer style).
INPUT_KWARGS = ("input_shape", "input_dim", "batch_size", "batch_shape", "batch_input_shape",
                "input_length")
# Layer-base keyword arguments that never change a shape (dropped when a class does not
# declare them).
DROPPED_KWARGS = ("dtype",)
# Module path parts that may precede a Keras class name (tf.keras.layers.Dense, …).
KERAS_PARTS = {"keras", "tf", "tensorflow", "layers", "models", "python", "src", "core",
               "engine", "input_layer", "sequential", "functional", "training", "api",
               "_v2", "v2", "compat", "v1", "convolutional", "pooling", "recurrent",
               "normalization", "embeddings", "wrappers", "reshaping", "rnn", "merging",
               "merge", "tf_keras", "_tf_keras"}
INPUT_ARGS = ("shape", "batch_size", "dtype", "sparse", "batch_shape", "name", "tensor",
              "optional")
INPUT_LAYER_ARGS = ("shape", "batch_size", "dtype", "sparse", "ragged", "batch_shape",
                    "input_tensor", "optional", "name")
MODEL_CALL_KWARGS = ("training", "mask")
# Modules whose objects are passed to layers by config (kernel_regularizer=l2(0.01), …).
OBJECT_MODULES = ("initializers", "regularizers", "constraints")
# Positional arguments of the few such classes tutorials call positionally.
POSITIONAL_CONFIG: dict[str, tuple[str, ...]] = {"L1": ("l1",), "L2": ("l2",),
                                                 "L1L2": ("l1", "l2")}
# Keras's functional forms of the merge layers: layers.concatenate([a, b], axis=1).
MERGE_FUNCTIONS: dict[str, type[Layer]] = {
    name.lower(): cls for name, cls in LAYER_TYPES.items() if cls.takes_list}


# --- the evaluator's messages ------------------------------------------------------------

register("code.too_large",
         "the pasted code is {size:,} characters long; shapewidget reads at most {limit:,}.",
         "貼り付けたコードは {size:,} 文字あります。shapewidget が読めるのは {limit:,} 文字"
         "までです。")
register("code.fix.too_large", "paste only the part that builds the model.",
         "モデルを作る部分だけを貼り付けます。")
register("code.budget_steps",
         "reading the code takes more than {limit:,} steps (a loop that does not end, or "
         "one that is too long to follow).",
         "コードの読み取りに {limit:,} ステップ以上かかります（終わらないループ、または"
         "たどるには長すぎるループです）。")
register("code.fix.budget", "write the loop with a fixed, small number of repetitions.",
         "繰り返し回数が決まった小さなループにします。")
register("code.budget_size",
         "`{code}` makes a value that is too large ({what}); shapewidget reads values up "
         "to {limit:,} {unit}.",
         "`{code}` は大きすぎる値を作ります（{what}）。shapewidget が読めるのは {limit:,} "
         "{unit}までの値です。")
register("code.budget_memory",
         "the code builds more than {limit:,} list items in total.",
         "コード全体で {limit:,} 個を超えるリスト要素を作っています。")
register("code.budget_depth",
         "functions call each other more than {limit} deep here.",
         "ここで関数が {limit} 段より深く呼び出されています。")
register("code.too_deep",
         "the code is nested too deeply to read.",
         "コードの入れ子が深すぎて読み取れません。")
register("code.wrapper_depth",
         "layers are wrapped more than {limit} deep here (a wrapper of a wrapper of …).",
         "ここでレイヤーが {limit} 段より深くラップされています（ラッパーのラッパーの…）。")
register("code.python_error",
         "`{code}` fails in Python: {detail}.",
         "`{code}` は Python でエラーになります: {detail}。")
register("code.unknown_size",
         "`{code}` uses a size that is not known before the data is given (None in the "
         "shape).",
         "`{code}` はデータが与えられるまでわからないサイズ（形の None）を使っています。")
register("code.fix.unknown_size", "give that size in the input shape, e.g. shape=(28, 28, 1).",
         "入力の形でそのサイズを指定します（例: shape=(28, 28, 1)）。")
register("code.not_supported_layer",
         "`{name}` is a Keras layer type that shapewidget does not support yet.",
         "`{name}` は shapewidget がまだ扱えない Keras のレイヤーの型です。")
register("code.fix.not_supported_layer",
         "leave it out to see the other shapes, or build the model in Keras and open it "
         "with Model.from_keras(model).",
         "それを除いて他の形を見るか、Keras でモデルを作って Model.from_keras(model) で"
         "開きます。")
register("code.fix.check_spelling",
         "check the spelling; docs/layers.md lists the layer types shapewidget reads.",
         "綴りを確かめます。shapewidget が読めるレイヤーの型は docs/layers.md にあります。")
register("code.custom_class",
         "`{name}` is a class defined in the pasted code (line {line}); shapewidget reads "
         "Keras's own layers and models, not custom subclasses.",
         "`{name}` は貼り付けたコードで定義されたクラス（{line} 行目）です。shapewidget が"
         "読めるのは Keras 自身のレイヤーとモデルで、独自のサブクラスは読めません。")
register("code.fix.custom_class",
         "write its computation with Keras layers (a helper function returning tensors), "
         "or build the model in Keras and open it with Model.from_keras(model).",
         "その計算を Keras のレイヤーで書く（テンソルを返す補助関数にする）か、Keras で"
         "モデルを作って Model.from_keras(model) で開きます。")
register("code.tensor_op",
         "`{code}` computes on tensors with {what}, which shapewidget cannot read (only "
         "Keras layers are read).",
         "`{code}` は {what} でテンソルを計算していますが、shapewidget はこれを読めません"
         "（読めるのは Keras のレイヤーだけです）。")
register("code.fix.tensor_op",
         "write it with layers: layers.Add()([a, b]) for a + b, layers.Reshape, "
         "layers.Activation, …",
         "レイヤーで書きます: a + b なら layers.Add()([a, b])、ほかに layers.Reshape、"
         "layers.Activation など。")
register("code.applications",
         "`{code}` builds a ready-made architecture (keras.applications), which pasted code "
         "cannot read.",
         "`{code}` は既製のアーキテクチャ（keras.applications）を作りますが、貼り付けた"
         "コードからは読めません。")
register("code.fix.applications",
         "build it in Python and open it with Model.from_keras(model).",
         "Python で作り、Model.from_keras(model) で開きます。")
register("code.unknown_parameter",
         "the parameter `{name}` of `{function}` has no value: the function is not called "
         "with it in the pasted code and has no default.",
         "`{function}` の引数 `{name}` に値がありません。貼り付けたコードではその値で関数が"
         "呼ばれておらず、既定値もありません。")
register("code.fix.unknown_parameter",
         "call the function with a value (e.g. {function}({name}=10)) or give the parameter "
         "a default.",
         "値を渡して関数を呼ぶ（例: {function}({name}=10)）か、引数に既定値を付けます。")
register("code.unknown_condition",
         "which branch of this `if` runs depends on a value that is not known "
         "(`{code}`), and a branch changes the model.",
         "この `if` のどちらが実行されるかはわからない値（`{code}`）で決まり、その分岐が"
         "モデルを変えます。")
register("code.unknown_loop",
         "this `for` loop runs over `{code}`, whose value is not known, and it changes the "
         "model.",
         "この `for` ループはわからない値 `{code}` を回り、モデルを変えます。")
register("code.call_keyword",
         "`{argument}={code}` in a layer call is not supported by shapewidget yet.",
         "レイヤー呼び出しの `{argument}={code}` は shapewidget ではまだ扱えません。")
register("code.fix.call_keyword",
         "leave the argument out to see the shapes without it.",
         "その引数を外すと、それなしの形を見られます。")
register("code.several_outputs",
         "`{code}` is unpacked into several tensors here; a layer that returns several "
         "tensors (e.g. return_state=True) is not supported yet.",
         "`{code}` がここで複数のテンソルに展開されています。複数のテンソルを返すレイヤー"
         "（例: return_state=True）はまだ扱えません。")
register("code.adapt",
         "`{code}` fits the {type} layer to data: what it learns (a vocabulary, a mean) is "
         "not known without the data, so pasted code cannot show it.",
         "`{code}` は {type} レイヤーをデータに合わせます。学習する内容（語彙、平均など）は"
         "データなしではわからないため、貼り付けたコードでは表示できません。")
register("code.fix.adapt",
         "give what adapt() would learn as arguments (e.g. vocabulary=[...] or mean=..., "
         "variance=...), or build the model in Keras and open it with Model.from_keras(model).",
         "adapt() が学習する内容を引数で渡す（例: vocabulary=[...]、mean=...、variance=...）"
         "か、Keras でモデルを作って Model.from_keras(model) で開きます。")
register("code.no_layer_named", "the model has no layer named {name!r}.",
         "モデルに {name!r} という名前のレイヤーはありません。")
register("code.nested_sequential_graph",
         "the model `{code}` used inside a Sequential model has several inputs or outputs.",
         "Sequential モデルの中で使われたモデル `{code}` には複数の入力または出力があります。")


# --- values the reader tracks ----------------------------------------------------------

@dataclass
class Unreadable:
    """A value that could not be read: using it raises ``error``."""

    error: ShapeError


@dataclass(frozen=True)
class KerasRef:
    """Something named in Keras or TensorFlow (a module, class or function), by path."""

    parts: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.parts[-1]


@dataclass(frozen=True)
class Foreign:
    """A name imported from outside Keras (numpy, a user's module): not readable."""

    path: str


@dataclass
class InputSpec:
    """The Keras spellings of an input, as typed, with their nodes for error lines."""

    line: int
    values: dict[str, Any] = field(default_factory=dict)
    nodes: dict[str, ast.AST] = field(default_factory=dict)
    shape_name: str | None = None  # "shape" for Input(shape=...), as typed
    implied: bool = False  # only from a Keras 2 input_length: model.build() overrides it
    name: Any = None  # Input(name=...): the input tensor's name (functional models)
    name_node: ast.AST | None = None


@dataclass(eq=False)
class LayerCall:
    """A layer constructor call, read but not yet validated (its index comes later)."""

    cls: type[Layer]
    node: ast.Call
    args: list[tuple[Any, ast.AST]]
    kwargs: dict[str, tuple[Any, ast.AST]]
    name: tuple[Any, ast.AST] | None
    input: InputSpec | None
    uses: int = 0
    depth: int = 0  # wrappers inside this one
    built: Layer | None = None  # for shape reads (x.shape) while reading
    outputs: list[Tensor] = field(default_factory=list)


@dataclass(eq=False)
class Tensor:
    """An ``Input`` tensor or a layer's output (``parents``: the tensors the layer was
    called on, ``as_list`` when they were given as a list)."""

    node: ast.AST
    order: int
    input: InputSpec | None = None
    layer: LayerCall | None = None
    parents: list[Tensor] = field(default_factory=list)
    as_list: bool = False
    var: str | None = None  # the first variable the tensor was assigned to
    shape: tuple[Any, ...] | None = None  # once read


@dataclass(eq=False)
class SequentialModel:
    node: ast.AST
    name: Any = None
    input: InputSpec | None = None
    items: list[Any] = field(default_factory=list)  # LayerCall or nested models
    build: InputSpec | None = None
    used_as_layer: bool = False
    symbolic: tuple[Tensor, Tensor] | None = None  # (input, output) once asked for


@dataclass(eq=False)
class FunctionalModel:
    node: ast.AST
    inputs: list[Tensor]
    outputs: list[Tensor]
    name: Any = None
    as_list: bool = False  # outputs given as a list
    inputs_as_list: bool = False
    used_as_layer: bool = False


@dataclass(eq=False)
class Function:
    """A ``def`` (or ``lambda``) of the pasted code, with the scope it was defined in."""

    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    scope: Scope
    defaults: list[Any]
    kw_defaults: list[Any]

    @property
    def name(self) -> str:
        return "lambda" if isinstance(self.node, ast.Lambda) else self.node.name


@dataclass(eq=False)
class CustomClass:
    """A ``class`` of the pasted code (a custom layer or model): refused when called."""

    node: ast.ClassDef


@dataclass(eq=False)
class InputLayerObject:
    """An entry of a functional ``model.layers`` for an input (Keras lists them first)."""

    tensor: Tensor


@dataclass(frozen=True)
class Builtin:
    name: str


@dataclass(frozen=True)
class Method:
    """``owner.name`` looked up for a call (``model.add``, ``items.append``, …)."""

    owner: Any
    name: str
    node: ast.AST


class Scope:
    """Variables of the module or of one function call (reads fall back to the parent)."""

    __slots__ = ("parent", "vars")

    def __init__(self, parent: Scope | None = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent

    def find(self, name: str) -> tuple[bool, Any]:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return True, scope.vars[name]
            scope = scope.parent
        return False, None


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


Value = Any
MODEL_TYPES = (SequentialModel, FunctionalModel)
PLAIN_SCALARS = (int, float, str, bool, type(None))
SAFE_TYPES = (int, float, str, bool, type(None), tuple, list, dict, range, slice)

# Budgets: what pasted code may cost before it is refused.
MAX_SOURCE = 200_000  # characters
MAX_STEPS = 2_000_000  # expressions and statements evaluated
MAX_ITEMS = 100_000  # elements of one list, tuple, dict or string
MAX_TOTAL_ITEMS = 2_000_000  # elements made in total
MAX_INT_BITS = 4_096  # about 1,233 digits
MAX_CALL_DEPTH = 40  # nested calls of the pasted code's functions
MAX_WRAPPER_DEPTH = 32

# The builtins pasted code may call (nothing else: no open, getattr, __import__, …).
BUILTINS = ("len", "range", "min", "max", "int", "float", "abs", "round", "sum", "tuple",
            "list", "zip", "enumerate", "str", "bool", "dict", "print", "isinstance",
            "reversed", "sorted", "any", "all", "divmod", "pow", "map", "filter", "set")
# Model methods that do not change the architecture (their results are unknown values).
IGNORED_METHODS = ("compile", "fit", "evaluate", "predict", "summary", "save",
                   "save_weights", "load_weights", "fit_generator", "train_on_batch",
                   "test_on_batch", "predict_on_batch", "count_params", "get_weights",
                   "set_weights", "to_json", "get_config", "export", "plot_model")
KERAS_ROOTS = ("keras", "tensorflow", "tf", "tf_keras")
KERAS_MODULES = ("initializers", "regularizers", "constraints", "activations",
                 "applications", "ops", "optimizers", "losses", "metrics", "utils",
                 "backend", "callbacks", "preprocessing", "saving", "random")
# Keras 3's layer classes (keras.layers), to tell "not supported yet" from a misspelling.
KERAS_LAYER_NAMES = frozenset(["Activation", "ActivityRegularization", "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "Add", "AdditiveAttention", "AlphaDropout", "Attention", "AugMix", "AutoContrast", "Average", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "BatchNormalization", "Bidirectional", "CategoryEncoding", "CenterCrop", "Concatenate", "ContrastLimitedAdaptiveHistogramEqualization", "Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "Convolution1D", "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose", "Convolution3D", "Convolution3DTranspose", "Cropping1D", "Cropping2D", "Cropping3D", "CutMix", "Dense", "DepthwiseConv1D", "DepthwiseConv2D", "Discretization", "Dot", "Dropout", "ELU", "EinsumDense", "Embedding", "Equalization", "Flatten", "FlaxLayer", "GRU", "GRUCell", "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GroupNormalization", "GroupQueryAttention", "HashedCrossing", "Hashing", "Identity", "InputSpec", "IntegerLookup", "JaxLayer", "LSTM", "LSTMCell", "Lambda", "Layer", "LayerNormalization", "LeakyReLU", "Masking", "MaxNumBoundingBoxes", "MaxPool1D", "MaxPool2D", "MaxPool3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "Maximum", "MelSpectrogram", "Minimum", "MixUp", "MultiHeadAttention", "Multiply", "Normalization", "PReLU", "Permute", "Pipeline", "RMSNormalization", "RNN", "RandAugment", "RandomBrightness", "RandomColorDegeneration", "RandomColorJitter", "RandomContrast", "RandomCrop", "RandomElasticTransform", "RandomErasing", "RandomFlip", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert", "RandomPerspective", "RandomPosterization", "RandomRotation", "RandomSaturation", "RandomSharpness", "RandomShear", "RandomTranslation", "RandomZoom", "ReLU", "RepeatVector", "Rescaling", "Reshape", "Resizing", "ReversibleEmbedding", "STFTSpectrogram", "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D", "SimpleRNN", "SimpleRNNCell", "Softmax", "Solarization", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "SpectralNormalization", "StackedRNNCells", "StringLookup", "Subtract", "TFSMLayer", "TextVectorization", "TimeDistributed", "TorchModuleWrapper", "UnitNormalization", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Wrapper", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"])
# Keras's other spellings of the same classes.
KERAS_ALIASES = {
    "AvgPool1D": "AveragePooling1D", "AvgPool2D": "AveragePooling2D",
    "AvgPool3D": "AveragePooling3D", "Convolution1D": "Conv1D", "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D", "Convolution1DTranspose": "Conv1DTranspose",
    "Convolution2DTranspose": "Conv2DTranspose", "Convolution3DTranspose": "Conv3DTranspose",
    "GlobalAvgPool1D": "GlobalAveragePooling1D", "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "GlobalAvgPool3D": "GlobalAveragePooling3D", "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D", "GlobalMaxPool3D": "GlobalMaxPooling3D",
    "MaxPool1D": "MaxPooling1D", "MaxPool2D": "MaxPooling2D", "MaxPool3D": "MaxPooling3D",
    "SeparableConvolution1D": "SeparableConv1D",
    "SeparableConvolution2D": "SeparableConv2D"}
# Layer-call keywords that never change a shape, and those naming the call's tensors.
CALL_FLAGS = ("training", "mask", "use_causal_mask", "return_attention_scores",
              "attention_mask", "initial_state")  # accepted when not given a tensor
CALL_TENSOR_KEYWORDS = ("inputs", "query", "value", "key")
_FORMAT_WIDTH = re.compile(r"\d{4,}")
_FORMAT_FIELD = re.compile(r"\{[^{}]*[.\[]")  # "{0.__class__}": attribute reads refused
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _calls_and_stores(stmt: ast.AST) -> list[ast.AST]:
    """The calls and attribute stores of a statement (what may build or change a model)."""
    return [n for n in ast.walk(stmt) if isinstance(n, ast.Call)
            or (isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store))]


def layer_class(name: str) -> type[Layer] | None:
    """The declared layer class for a Keras class name or one of its aliases."""
    found = LAYER_TYPES.get(name)
    if found is None and name in KERAS_ALIASES:
        found = LAYER_TYPES.get(KERAS_ALIASES[name])
    return found


def _is_plain(value: Any, depth: int = 0) -> bool:
    """Numbers, strings, None and tuples/lists/dicts of them (the values layer arguments
    take)."""
    if isinstance(value, PLAIN_SCALARS):
        return True
    if depth > 20:
        return False
    if isinstance(value, tuple | list):
        return all(_is_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(_is_plain(k, depth + 1) and _is_plain(v, depth + 1)
                   for k, v in value.items())
    return False


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = _LINE_BREAK.split(source)
        self.globals = Scope()
        self.globals.vars["__name__"] = "__main__"
        self.scope = self.globals
        self.star_modules: list[str] = []
        self.models: list[SequentialModel | FunctionalModel] = []
        self.last_tensor: Tensor | None = None
        self.functions: list[Function] = []
        self.tensors = 0  # tensors made so far: their order in the code
        self.steps = 0
        self.items = 0
        self.call_depth = 0
        self.loops: list[int] = []  # lines of the loops being run
        self.fatal: set[int] = set()  # ids of errors that must not be deferred
        self.deferred: list[ShapeError] = []  # errors of lines that build layers or models
        self.line = 0

    def tensor(self, node: ast.AST, **kwargs: Any) -> Tensor:
        self.tensors += 1
        return Tensor(node, self.tensors, **kwargs)

    # --- helpers ---------------------------------------------------------------------
    def code(self, node: ast.AST) -> str:
        """The source of ``node`` (one line's worth, shortened), from line offsets computed
        once (:func:`ast.get_source_segment` splits the whole source on every call)."""
        lineno, end = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
        text = None
        if lineno is not None and end is not None and col is not None and \
                end_col is not None and 0 < lineno <= end <= len(self.lines):
            if end - lineno > 3:
                end, end_col = lineno, None
            if lineno == end:
                text = self.lines[lineno - 1].encode()[col:end_col].decode(errors="replace")
            else:
                parts = [self.lines[lineno - 1].encode()[col:].decode(errors="replace"),
                         *self.lines[lineno:end - 1],
                         self.lines[end - 1].encode()[:end_col].decode(errors="replace")]
                text = " ".join(parts)
        if text is None:
            try:
                text = ast.unparse(node)
            except (ValueError, RecursionError):
                text = "…"
        text = " ".join(text.split())
        return text if len(text) <= 80 else text[:77] + "..."

    def error(self, node: ast.AST, key: str, fix: Msg | None = None,
              argument: str | None = None, **values: Any) -> ShapeError:
        if argument is not None:
            values.setdefault("argument", argument)
        return ShapeError(Msg(key, values), fix=fix, argument=argument,
                          line=getattr(node, "lineno", None) or self.line or None)

    def unreadable(self, node: ast.AST) -> ShapeError:
        return self.error(node, "code.unreadable", code=self.code(node),
                          fix=Msg("code.fix.write_value"))

    def step(self, node: ast.AST) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            line = self.loops[0] if self.loops else getattr(node, "lineno", None)
            raise self.fail(ShapeError(Msg("code.budget_steps", {"limit": MAX_STEPS}),
                                       fix=Msg("code.fix.budget"), line=line))

    def made(self, n: int, node: ast.AST) -> None:
        """Count ``n`` new list items against the budget."""
        if n > MAX_ITEMS:
            raise self.too_big(node, f"{n:,} items", MAX_ITEMS, "items")
        self.items += n
        if self.items > MAX_TOTAL_ITEMS:
            raise self.fail(self.error(node, "code.budget_memory", limit=MAX_TOTAL_ITEMS))

    def fail(self, err: ShapeError) -> ShapeError:
        """Mark ``err`` as one that must reach the person (it is about the model)."""
        self.fatal.add(id(err))
        return err

    def use(self, value: Value) -> Value:
        """A value about to be used: an unreadable one raises its error."""
        if isinstance(value, Unreadable):
            raise value.error
        return value

    # --- statements ------------------------------------------------------------------
    def run(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        self.step(stmt)
        self.line = stmt.lineno
        try:
            self.statement_inner(stmt)
        except ShapeError as err:
            err.__traceback__ = None  # kept as a value: not its frames
            nodes = _calls_and_stores(stmt)
            if id(err) in self.fatal or self.mutates_model(stmt, nodes):
                self.fatal.add(id(err))
                raise
            if self.changes_model(stmt, nodes):
                self.deferred.append(err)  # said if no model is found
            # A line that fails (data loading, plotting, a layer the model may not use):
            # whatever it assigns is unknown, an error only if the model uses it.
            if isinstance(stmt, ast.Return):
                raise _Return(Unreadable(err)) from None
            for target in self.targets(stmt):
                self.bind(target, Unreadable(err))

    def targets(self, stmt: ast.stmt) -> list[ast.expr]:
        if isinstance(stmt, ast.Assign):
            return list(stmt.targets)
        if isinstance(stmt, ast.AnnAssign | ast.AugAssign):
            return [stmt.target]
        if isinstance(stmt, ast.For | ast.AsyncFor):
            return [stmt.target]
        if isinstance(stmt, ast.With | ast.AsyncWith):
            return [i.optional_vars for i in stmt.items if i.optional_vars is not None]
        return []

    def statement_inner(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self.bind_name(alias.asname, self.module_value(alias.name.split(".")))
                else:
                    root = alias.name.split(".")[0]
                    self.bind_name(root, self.module_value([root]))
        elif isinstance(stmt, ast.ImportFrom):
            module = (stmt.module or "").split(".")
            for alias in stmt.names:
                if alias.name == "*":
                    self.star_modules.append(".".join(module))
                else:
                    self.bind_name(alias.asname or alias.name,
                                   self.module_value([*module, alias.name]))
        elif isinstance(stmt, ast.Assign):
            value = self.eval(stmt.value)
            for target in stmt.targets:
                self.assign(target, value, stmt.value)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.assign(stmt.target, self.eval(stmt.value), stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            current = self.eval(self.load_target(stmt.target))
            value = self.binop(stmt.op, current, self.eval(stmt.value), stmt)
            self.assign(stmt.target, value, stmt)
        elif isinstance(stmt, ast.Expr):
            self.expression_statement(stmt.value)
        elif isinstance(stmt, ast.Return):
            raise _Return(None if stmt.value is None else self.eval(stmt.value))
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            for item in stmt.items:  # with strategy.scope(): … — the context is not needed
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, Unreadable(self.unreadable(item.context_expr)))
            self.run(stmt.body)
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            self.bind_name(stmt.name, self.function(stmt))
        elif isinstance(stmt, ast.ClassDef):
            self.bind_name(stmt.name, CustomClass(stmt))
        elif isinstance(stmt, ast.If):
            self.if_statement(stmt)
        elif isinstance(stmt, ast.For | ast.AsyncFor):
            self.for_statement(stmt)
        elif isinstance(stmt, ast.While):
            self.while_statement(stmt)
        elif isinstance(stmt, ast.Try):
            self.run(stmt.body)
            self.run(stmt.orelse)
            self.run(stmt.finalbody)
        elif isinstance(stmt, ast.Break):
            raise _Break()
        elif isinstance(stmt, ast.Continue):
            raise _Continue()
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    self.scope.vars.pop(target.id, None)
        # pass, assert, raise, global, nonlocal: nothing that builds a model.

    def module_value(self, parts: list[str]) -> Value:
        if parts and parts[0] in KERAS_ROOTS:
            return KerasRef(tuple(parts))
        return Foreign(".".join(parts))

    def if_statement(self, stmt: ast.If) -> None:
        try:
            test = self.truth(self.eval(stmt.test), stmt.test)
        except ShapeError as err:
            if id(err) in self.fatal or self.changes_model(stmt):
                raise self.fail(self.error(stmt, "code.unknown_condition",
                                           code=self.code(stmt.test))) from None
            return
        self.run(stmt.body if test else stmt.orelse)

    def truth(self, value: Value, node: ast.AST) -> bool:
        value = self.use(value)
        if isinstance(value, SAFE_TYPES):
            return bool(value)
        if isinstance(value, Tensor):
            raise self.error(node, "code.tensor_op", code=self.code(node),
                             what="a condition", fix=Msg("code.fix.tensor_op"))
        return True  # a layer or a model is an object: true

    def for_statement(self, stmt: ast.For | ast.AsyncFor) -> None:
        try:
            iterable = self.iterate(self.eval(stmt.iter), stmt.iter)
        except ShapeError as err:
            if id(err) in self.fatal or self.changes_model(stmt):
                raise self.fail(self.error(stmt, "code.unknown_loop",
                                           code=self.code(stmt.iter))) from None
            return
        self.loops.append(stmt.lineno)
        try:
            for item in iterable:
                self.step(stmt)
                self.assign(stmt.target, item, stmt.iter)
                try:
                    self.run(stmt.body)
                except _Break:
                    break
                except _Continue:
                    continue
            else:
                self.run(stmt.orelse)
        finally:
            self.loops.pop()

    def while_statement(self, stmt: ast.While) -> None:
        self.loops.append(stmt.lineno)
        try:
            while self.truth(self.eval(stmt.test), stmt.test):
                self.step(stmt)
                try:
                    self.run(stmt.body)
                except _Break:
                    break
                except _Continue:
                    continue
            else:
                self.run(stmt.orelse)
        finally:
            self.loops.pop()

    def iterate(self, value: Value, node: ast.AST) -> list[Any] | range:
        value = self.use(value)
        if isinstance(value, range):
            return value
        if isinstance(value, tuple | list):
            return list(value)
        if isinstance(value, dict):
            return list(value)
        if isinstance(value, str):
            return list(value)
        if isinstance(value, SequentialModel):
            return list(self.model_layers(value, node))
        if isinstance(value, Tensor):
            raise self.error(node, "code.tensor_op", code=self.code(node),
                             what="a loop over a tensor", fix=Msg("code.fix.tensor_op"))
        raise self.unreadable(node)

    def changes_model(self, stmt: ast.AST, nodes: list[ast.AST] | None = None) -> bool:
        """Whether a statement builds or changes a model (a layer constructor, a call on
        a model or layer, the pasted code's own functions), as opposed to one that only
        reads data or trains (``history = model.fit(...)``)."""
        for node in _calls_and_stores(stmt) if nodes is None else nodes:
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in IGNORED_METHODS:
                    continue
                if isinstance(func, ast.Attribute) and func.attr in ("add", "pop", "build"):
                    owner = self.peek(func.value)
                    if isinstance(owner, SequentialModel | FunctionalModel) or (
                            func.attr == "add" and isinstance(func.value, ast.Name)
                            and owner is None):
                        return True
                callee = self.peek(func)
                if isinstance(callee, CustomClass):
                    return True
                if isinstance(callee, KerasRef) and self.is_model_name(callee.name):
                    return True
            elif isinstance(node, ast.Attribute) and node.attr == "trainable" and isinstance(
                    node.ctx, ast.Store):
                return True
        return False

    def mutates_model(self, stmt: ast.AST, nodes: list[ast.AST] | None = None) -> bool:
        """Whether a statement changes a model already made (``model.add``, ``pop``,
        ``build``, ``.trainable = ...``): such a line is read or refused, never skipped."""
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return False
        for node in _calls_and_stores(stmt) if nodes is None else nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("add", "pop", "build"):
                owner = self.peek(node.func.value)
                if isinstance(owner, SequentialModel | FunctionalModel):
                    return True
            elif isinstance(node, ast.Attribute) and node.attr == "trainable" and isinstance(
                    node.ctx, ast.Store):
                return True
        return False

    def peek(self, node: ast.AST) -> Value:
        """What a name or dotted name refers to, without evaluating anything (``None``
        when unknown)."""
        if isinstance(node, ast.Name):
            found, value = self.scope.find(node.id)
            if found:
                return value
            return self.free_name(node.id)
        if isinstance(node, ast.Attribute):
            owner = self.peek(node.value)
            if isinstance(owner, KerasRef):
                return KerasRef((*owner.parts, node.attr))
        return None

    def is_model_name(self, name: str) -> bool:
        return (layer_class(name) is not None or name in KERAS_LAYER_NAMES
                or name in ("Sequential", "Model", "Functional", "Input", "InputLayer")
                or name in MERGE_FUNCTIONS)

    def free_name(self, name: str) -> Value:
        """A name the code uses without defining: Keras names work without their import
        (snippets often leave them out)."""
        if name in KERAS_PARTS or name in KERAS_ROOTS or name in KERAS_MODULES:
            return KerasRef(("keras", name) if name not in KERAS_ROOTS else (name,))
        if self.is_model_name(name) or name[:1].isupper():
            return KerasRef(("keras", name))
        return None

    # --- binding ---------------------------------------------------------------------
    def bind_name(self, name: str, value: Value) -> None:
        self.scope.vars[name] = value
        if isinstance(value, Tensor):
            self.last_tensor = value
            if value.var is None:
                value.var = name

    def bind(self, target: ast.AST, value: Value) -> None:
        """Bind without checks (an unknown value to every name of a target)."""
        if isinstance(target, ast.Name):
            self.bind_name(target.id, value)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind(element.value if isinstance(element, ast.Starred) else element,
                          value)

    def assign(self, target: ast.AST, value: Value, node: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self.bind_name(target.id, value)
        elif isinstance(target, ast.Tuple | ast.List):
            if isinstance(value, Unreadable):
                self.bind(target, value)
                return
            if isinstance(value, Tensor):
                raise self.fail(self.error(node, "code.several_outputs", code=self.code(node)))
            items = list(self.iterate(value, node))
            starred = [k for k, e in enumerate(target.elts) if isinstance(e, ast.Starred)]
            if starred:
                k = starred[0]
                after = len(target.elts) - k - 1
                if len(items) < len(target.elts) - 1:
                    raise self.error(node, "code.python_error", code=self.code(node),
                                     detail="not enough values to unpack")
                middle = items[k:len(items) - after]
                items = [*items[:k], middle, *items[len(items) - after:]]
            if len(items) != len(target.elts):
                raise self.error(node, "code.python_error", code=self.code(node),
                                 detail=f"{len(items)} values to unpack into "
                                        f"{len(target.elts)} names")
            for element, item in zip(target.elts, items, strict=True):
                self.assign(element.value if isinstance(element, ast.Starred) else element,
                            item, node)
        elif isinstance(target, ast.Attribute):
            owner = self.use(self.eval(target.value))
            self.set_attribute(owner, target.attr, value, target)
        elif isinstance(target, ast.Subscript):
            owner = self.use(self.eval(target.value))
            key = self.use(self.eval(target.slice))
            if isinstance(owner, list) and isinstance(key, int) and not isinstance(key, bool):
                try:
                    owner[key] = value
                except IndexError as err:
                    raise self.error(target, "code.python_error", code=self.code(target),
                                     detail=str(err)) from None
            elif isinstance(owner, dict) and isinstance(key, PLAIN_SCALARS | tuple):
                self.made(1, target)
                owner[key] = value
            else:
                raise self.unreadable(target)
        else:
            raise self.unreadable(target)

    def load_target(self, target: ast.expr) -> ast.expr:
        """The expression reading an augmented assignment's target (``x`` of ``x += 1``)."""
        if isinstance(target, ast.Name):
            return ast.Name(id=target.id, ctx=ast.Load(), lineno=target.lineno,
                            col_offset=target.col_offset, end_lineno=target.end_lineno,
                            end_col_offset=target.end_col_offset)
        if isinstance(target, ast.Attribute | ast.Subscript):
            copy = ast.Attribute(value=target.value, attr=target.attr, ctx=ast.Load()) \
                if isinstance(target, ast.Attribute) else ast.Subscript(
                    value=target.value, slice=target.slice, ctx=ast.Load())
            return ast.copy_location(copy, target)
        raise self.unreadable(target)

    def set_attribute(self, owner: Value, attr: str, value: Value, node: ast.AST) -> None:
        if attr == "trainable" and isinstance(owner, LayerCall | SequentialModel
                                              | FunctionalModel):
            flag = self.use(value)
            if not isinstance(flag, bool):
                raise self.fail(self.error(node, "param.received", argument="trainable",
                                           expected="True or False",
                                           received=describe(flag)))
            pending: list[Any] = [owner]
            while pending:  # a model's layers, and those of the models inside it
                item = pending.pop()
                if isinstance(item, LayerCall):
                    item.kwargs["trainable"] = (flag, node)
                elif isinstance(item, SequentialModel | FunctionalModel):
                    pending += self.model_layers(item, node)
            return
        if isinstance(owner, LayerCall | SequentialModel | FunctionalModel | Tensor) and \
                attr != "trainable":
            raise self.fail(self.unreadable(node))
        # Attributes of other objects (optimizers, configs) do not build the model.

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> Function:
        args = node.args
        defaults = [self.soft_eval(d) for d in args.defaults]
        kw_defaults = [None if d is None else self.soft_eval(d) for d in args.kw_defaults]
        func = Function(node, self.scope, defaults, kw_defaults)
        if not isinstance(node, ast.Lambda):
            self.functions.append(func)
        return func

    def soft_eval(self, node: ast.expr) -> Value:
        try:
            return self.eval(node)
        except ShapeError as err:
            if id(err) in self.fatal:
                raise
            return Unreadable(err)

    def expression_statement(self, node: ast.expr) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "add" and node.args and isinstance(node.func.value, ast.Name):
            owner = self.peek(node.func.value)
            if owner is None or isinstance(owner, Unreadable):
                # model.add(...) with no Sequential(...) in the pasted code: start one.
                model = SequentialModel(node)
                self.bind_name(node.func.value.id, model)
                self.models.append(model)
        if isinstance(node, ast.Constant):
            return  # a docstring
        value = self.eval(node)
        if isinstance(value, Tensor):
            self.last_tensor = value  # Dense(1)(x) at the end of a snippet

    # --- expressions -----------------------------------------------------------------
    def eval(self, node: ast.AST) -> Value:
        self.step(node)
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            raise self.unreadable(node)
        return method(node)

    def value(self, node: ast.AST) -> Value:
        """An expression's value, unreadable values raising their error."""
        return self.use(self.eval(node))

    def eval_Constant(self, node: ast.Constant) -> Value:
        value = node.value
        if isinstance(value, bytes | complex) or value is Ellipsis:
            raise self.unreadable(node)
        if isinstance(value, int) and not isinstance(value, bool) and \
                value.bit_length() > MAX_INT_BITS:
            raise self.too_big(node, "an integer", MAX_INT_BITS, "bits")
        if isinstance(value, str) and len(value) > MAX_ITEMS:
            raise self.too_big(node, "a string", MAX_ITEMS, "characters")
        return value

    def too_big(self, node: ast.AST, what: str, limit: int, unit: str) -> ShapeError:
        return self.fail(self.error(node, "code.budget_size", code=self.code(node),
                                    what=what, limit=limit, unit=unit))

    def eval_Name(self, node: ast.Name) -> Value:
        found, value = self.scope.find(node.id)
        if found:
            return value
        if node.id in BUILTINS:
            return Builtin(node.id)
        if node.id in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.id]
        free = self.free_name(node.id)
        if free is not None:
            return free
        raise self.error(node, "code.unknown_variable", name=node.id,
                         fix=Msg("code.fix.write_value"))

    def eval_Tuple(self, node: ast.Tuple) -> Value:
        return tuple(self.elements(node.elts, node))

    def eval_List(self, node: ast.List) -> Value:
        return self.elements(node.elts, node)

    def eval_Set(self, node: ast.Set) -> Value:
        raise self.unreadable(node)

    def elements(self, nodes: list[ast.expr], node: ast.AST) -> list[Any]:
        out: list[Any] = []
        for element in nodes:
            if isinstance(element, ast.Starred):
                out += list(self.iterate(self.eval(element.value), element.value))
            else:
                out.append(self.eval(element))
        self.made(len(out), node)
        return out

    def eval_Dict(self, node: ast.Dict) -> Value:
        out: dict[Any, Any] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            if key_node is None:
                extra = self.value(value_node)
                if not isinstance(extra, dict):
                    raise self.unreadable(value_node)
                out.update(extra)
                continue
            key = self.value(key_node)
            self.check_key(key, key_node)
            out[key] = self.eval(value_node)
        self.made(len(out), node)
        return out

    def check_key(self, key: Value, node: ast.AST) -> None:
        if not isinstance(key, PLAIN_SCALARS) and not (
                isinstance(key, tuple) and _is_plain(key)):
            raise self.unreadable(node)

    def eval_JoinedStr(self, node: ast.JoinedStr) -> Value:
        parts: list[str] = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            elif isinstance(part, ast.FormattedValue):
                value = self.value(part.value)
                spec = "" if part.format_spec is None else self.value(part.format_spec)
                parts.append(self.format(value, str(spec), part, part.conversion))
        text = "".join(parts)
        if len(text) > MAX_ITEMS:
            raise self.too_big(node, "a string", MAX_ITEMS, "characters")
        return text

    def format(self, value: Value, spec: str, node: ast.AST, conversion: int = -1) -> str:
        if not isinstance(value, PLAIN_SCALARS) or _FORMAT_WIDTH.search(spec):
            if isinstance(value, tuple | list) and _is_plain(value) and not spec:
                text = str(value)
                if len(text) <= MAX_ITEMS:
                    return text
            raise self.unreadable(node)
        try:
            if conversion == ord("r"):
                value = repr(value)
            elif conversion in (ord("s"), ord("a")):
                value = str(value)
            return format(value, spec)
        except ShapeError:
            raise
        except (ValueError, TypeError) as err:
            raise self.error(node, "code.python_error", code=self.code(node),
                             detail=str(err)) from None

    def eval_Attribute(self, node: ast.Attribute) -> Value:
        base = node.value
        if isinstance(base, ast.Name) and not self.scope.find(base.id)[0] and \
                self.free_name(base.id) is None and base.id not in BUILTINS:
            owner: Value = Foreign(base.id)  # np.int64 without its import: not Keras
        else:
            owner = self.value(base)
        return self.attribute(owner, node.attr, node)

    def attribute(self, owner: Value, attr: str, node: ast.AST) -> Value:
        if isinstance(owner, KerasRef):
            parts = (*owner.parts, attr)
            if attr in DTYPES:
                return attr  # tf.float32 → "float32"
            return KerasRef(parts)
        if isinstance(owner, Foreign):
            if attr in DTYPES:
                return attr  # np.float32 → "float32"
            if owner.path in ("math", "numpy") and attr in ("prod", "ceil", "floor", "sqrt"):
                return Builtin("math." + attr)
            if owner.path in ("math", "numpy") and attr in ("pi", "e"):
                return {"pi": math.pi, "e": math.e}[attr]
            return Foreign(f"{owner.path}.{attr}")
        if isinstance(owner, Tensor):
            if attr == "shape":
                return self.shape_of(owner, node)
            if attr == "ndim":
                return len(self.shape_of(owner, node))
            if attr == "dtype":
                return self.dtype_of(owner)
            raise self.error(node, "code.tensor_op", code=self.code(node),
                             what=f"`.{attr}`", fix=Msg("code.fix.tensor_op"))
        if isinstance(owner, SequentialModel | FunctionalModel):
            return self.model_attribute(owner, attr, node)
        if isinstance(owner, LayerCall):
            if attr == "name":
                if owner.name is not None:
                    return owner.name[0]
                raise self.unreadable(node)
            if attr == "trainable":
                return owner.kwargs.get("trainable", (True, node))[0]
            if attr in ("output", "input"):
                if not owner.outputs:
                    raise self.unreadable(node)
                first = owner.outputs[0]
                if attr == "output":
                    return first
                return first.parents[0] if len(first.parents) == 1 else list(first.parents)
            if attr in ("units", "filters", "rate", "kernel_size", "strides", "padding",
                        "activation", "pool_size", "axis"):
                params = [p.name for p in owner.cls.params]
                for k, (v, _) in enumerate(owner.args):
                    if k < len(params) and params[k] == attr:
                        return v
                if attr in owner.kwargs:
                    return owner.kwargs[attr][0]
                for p in owner.cls.all_params():
                    if p.name == attr:
                        return p.default
            return Method(owner, attr, node)
        if isinstance(owner, SAFE_TYPES):
            return Method(owner, attr, node)
        raise self.unreadable(node)

    def model_attribute(self, model: SequentialModel | FunctionalModel, attr: str,
                        node: ast.AST) -> Value:
        if attr == "layers":
            return list(self.model_layers(model, node))
        if attr in ("inputs", "input", "outputs", "output"):
            if isinstance(model, SequentialModel):
                tin, tout = self.sequential_tensors(model, node)
                inputs, outputs, as_list = [tin], [tout], False
                inputs_as_list = False
            else:
                inputs, outputs = model.inputs, model.outputs
                as_list, inputs_as_list = model.as_list, model.inputs_as_list
            if attr == "inputs":
                return list(inputs)
            if attr == "outputs":
                return list(outputs)
            if attr == "input":
                return list(inputs) if inputs_as_list or len(inputs) > 1 else inputs[0]
            return list(outputs) if as_list or len(outputs) > 1 else outputs[0]
        if attr == "name":
            if model.name is None:
                raise self.unreadable(node)
            return model.name
        if attr in ("output_shape", "input_shape"):
            tensors = self.model_attribute(model, attr.split("_")[0], node)
            if isinstance(tensors, list):
                return [self.shape_of(t, node) for t in tensors]
            return self.shape_of(tensors, node)
        return Method(model, attr, node)

    def model_layers(self, model: SequentialModel | FunctionalModel,
                     node: ast.AST) -> list[Any]:
        """``model.layers``: the layer objects (a nested model counts as one)."""
        if isinstance(model, SequentialModel):
            return list(model.items)
        out: list[Any] = [InputLayerObject(t) for t in model.inputs]
        seen: set[int] = set()
        for tensor in _entries(self, model):
            call = tensor.layer
            if call is not None and id(call) not in seen:
                seen.add(id(call))
                out.append(call)
        return out

    def eval_Subscript(self, node: ast.Subscript) -> Value:
        owner = self.value(node.value)
        key = self.value(node.slice)
        if isinstance(owner, Tensor):
            raise self.error(node, "code.tensor_op", code=self.code(node),
                             what="indexing", fix=Msg("code.fix.tensor_op"))
        if not isinstance(owner, tuple | list | str | dict | range) or not isinstance(
                key, int | slice | str | tuple | float | type(None)):
            raise self.unreadable(node)
        try:
            result = owner[key]  # type: ignore[index]
        except (IndexError, KeyError, TypeError) as err:
            raise self.error(node, "code.python_error", code=self.code(node),
                             detail=f"{type(err).__name__}: {err}") from None
        if isinstance(result, list | tuple | str):
            self.made(len(result), node)
        return result

    def eval_Slice(self, node: ast.Slice) -> Value:
        parts = [None if n is None else self.value(n) for n in (node.lower, node.upper,
                                                                 node.step)]
        for part in parts:
            if part is not None and not isinstance(part, int):
                raise self.unreadable(node)
        return slice(*parts)

    def eval_IfExp(self, node: ast.IfExp) -> Value:
        return self.eval(node.body if self.truth(self.eval(node.test), node.test)
                         else node.orelse)

    def eval_BoolOp(self, node: ast.BoolOp) -> Value:
        value: Value = None
        for operand in node.values:
            value = self.eval(operand)
            truth = self.truth(value, operand)
            if isinstance(node.op, ast.And) and not truth:
                return value
            if isinstance(node.op, ast.Or) and truth:
                return value
        return value

    def eval_UnaryOp(self, node: ast.UnaryOp) -> Value:
        operand = self.value(node.operand)
        if isinstance(node.op, ast.Not):
            return not self.truth(operand, node.operand)
        if isinstance(operand, Tensor):
            raise self.error(node, "code.tensor_op", code=self.code(node),
                             what="an operator", fix=Msg("code.fix.tensor_op"))
        if not isinstance(operand, int | float) or (
                isinstance(node.op, ast.Invert) and not isinstance(operand, int)):
            raise self.python_error(node, TypeError("bad operand type for unary operator"))
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return +operand
        return ~operand  # type: ignore[operator]

    def python_error(self, node: ast.AST, err: Exception) -> ShapeError:
        if "NoneType" in str(err):
            return self.error(node, "code.unknown_size", code=self.code(node),
                              fix=Msg("code.fix.unknown_size"))
        return self.error(node, "code.python_error", code=self.code(node),
                          detail=f"{type(err).__name__}: {err}")

    def eval_BinOp(self, node: ast.BinOp) -> Value:
        return self.binop(node.op, self.value(node.left), self.value(node.right), node)

    def binop(self, op: ast.operator, left: Value, right: Value, node: ast.AST) -> Value:
        left, right = self.use(left), self.use(right)
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            raise self.error(node, "code.tensor_op", code=self.code(node),
                             what="an operator", fix=Msg("code.fix.tensor_op"))
        if not isinstance(left, SAFE_TYPES) or not isinstance(right, SAFE_TYPES):
            raise self.unreadable(node)
        self.check_size(op, left, right, node)
        try:
            function = _OPERATORS.get(type(op))
            if function is None:
                raise self.unreadable(node)
            result = function(left, right)
        except ShapeError:
            raise
        except (TypeError, ValueError, ZeroDivisionError, OverflowError) as err:
            raise self.python_error(node, err) from None
        if isinstance(result, list | tuple | str):
            self.made(len(result), node)
        return result

    def check_size(self, op: ast.operator, left: Value, right: Value, node: ast.AST) -> None:
        """Refuse an operation whose result would be too large, before making it."""
        def is_int(v: Value) -> bool:
            return isinstance(v, int)

        def length(v: Value) -> int:
            return len(v) if isinstance(v, list | tuple | str) else 0

        if isinstance(op, ast.Mult):
            if is_int(left) and is_int(right):
                if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise self.too_big(node, "an integer", MAX_INT_BITS, "bits")
            elif is_int(right) or is_int(left):
                count = right if is_int(right) else left
                if length(left) * max(count, 0) > MAX_ITEMS or \
                        length(right) * max(count, 0) > MAX_ITEMS:
                    raise self.too_big(node, "a sequence", MAX_ITEMS, "items")
        elif isinstance(op, ast.Pow) and is_int(left) and is_int(right):
            if abs(left) > 1 and right > 0 and right * left.bit_length() > MAX_INT_BITS:
                raise self.too_big(node, "an integer", MAX_INT_BITS, "bits")
        elif isinstance(op, ast.Pow) and isinstance(right, int | float) and abs(right) > 10_000:
            raise self.too_big(node, "a power", 10_000, "as exponent")
        elif isinstance(op, ast.LShift) and is_int(left) and is_int(right):
            if right > MAX_INT_BITS:
                raise self.too_big(node, "an integer", MAX_INT_BITS, "bits")
        elif isinstance(op, ast.Add) and length(left) + length(right) > MAX_ITEMS:
            raise self.too_big(node, "a sequence", MAX_ITEMS, "items")
        elif isinstance(op, ast.Mod) and isinstance(left, str) and (
                _FORMAT_WIDTH.search(left) or "*" in left):
            raise self.unreadable(node)

    def eval_Compare(self, node: ast.Compare) -> Value:
        left = self.value(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.value(right_node)
            if isinstance(op, ast.Is | ast.IsNot):
                result = (left is right) if not isinstance(left, PLAIN_SCALARS) else (
                    left == right and type(left) is type(right))
                result = result if isinstance(op, ast.Is) else not result
            elif not isinstance(left, SAFE_TYPES) or not isinstance(right, SAFE_TYPES):
                if isinstance(op, ast.Eq | ast.NotEq):
                    result = (left is right) == isinstance(op, ast.Eq)
                elif isinstance(op, ast.In | ast.NotIn) and isinstance(right, list | tuple):
                    result = any(left is r for r in right) == isinstance(op, ast.In)
                else:
                    raise self.error(node, "code.tensor_op", code=self.code(node),
                                     what="a comparison", fix=Msg("code.fix.tensor_op"))
            else:
                try:
                    result = _COMPARE[type(op)](left, right)
                except TypeError as err:
                    raise self.python_error(node, err) from None
            if not result:
                return False
            left = right
        return True

    def eval_ListComp(self, node: ast.ListComp) -> Value:
        out: list[Any] = []
        self.comprehension(node.generators, lambda: out.append(self.eval(node.elt)), node)
        return out

    def eval_GeneratorExp(self, node: ast.GeneratorExp) -> Value:
        out: list[Any] = []
        self.comprehension(node.generators, lambda: out.append(self.eval(node.elt)), node)
        return out

    def eval_DictComp(self, node: ast.DictComp) -> Value:
        out: dict[Any, Any] = {}

        def add() -> None:
            key = self.value(node.key)
            self.check_key(key, node.key)
            out[key] = self.eval(node.value)

        self.comprehension(node.generators, add, node)
        return out

    def comprehension(self, generators: list[ast.comprehension], emit: Any,
                      node: ast.AST) -> None:
        outer = self.scope
        self.scope = Scope(outer)
        count = 0

        def level(k: int) -> None:
            nonlocal count
            if k == len(generators):
                count += 1
                self.made(1, node)
                emit()
                return
            gen = generators[k]
            for item in self.iterate(self.eval(gen.iter), gen.iter):
                self.step(gen)
                self.assign(gen.target, item, gen.iter)
                if all(self.truth(self.eval(cond), cond) for cond in gen.ifs):
                    level(k + 1)

        try:
            level(0)
        finally:
            self.scope = outer
        if count > MAX_ITEMS:
            raise self.too_big(node, "a sequence", MAX_ITEMS, "items")

    def eval_Lambda(self, node: ast.Lambda) -> Value:
        return self.function(node)

    def eval_NamedExpr(self, node: ast.NamedExpr) -> Value:
        value = self.eval(node.value)
        self.assign(node.target, value, node)
        return value

    def eval_Starred(self, node: ast.Starred) -> Value:
        raise self.unreadable(node)

    # --- calls -----------------------------------------------------------------------
    def eval_Call(self, node: ast.Call) -> Value:
        callee = self.eval(node.func)
        if isinstance(callee, Unreadable):
            raise callee.error if not self.changes_model(node) else self.fail(callee.error)
        if isinstance(callee, Method) and isinstance(callee.owner, SequentialModel
                                                     | FunctionalModel) \
                and callee.name in IGNORED_METHODS:
            return Unreadable(self.unreadable(node))  # fit/compile/summary: no shapes change
        if isinstance(callee, LayerCall | SequentialModel | FunctionalModel) or (
                isinstance(callee, Method) and isinstance(
                    callee.owner, SequentialModel | FunctionalModel | LayerCall)):
            try:
                return self.call(callee, node)
            except ShapeError as err:
                if isinstance(callee, LayerCall | SequentialModel | FunctionalModel) and (
                        id(err) not in self.fatal or err.problem.key == "code.not_tensor"):
                    # A layer or model called on data (model(x_test), a training loop):
                    # an unknown value, an error only where the model uses it.
                    return Unreadable(err)
                raise self.fail(err) from None
        return self.call(callee, node)

    def arguments(self, node: ast.Call) -> tuple[list[tuple[Any, ast.AST]],
                                                 dict[str, tuple[Any, ast.AST]]]:
        """The call's arguments, evaluated, each with its node (``*a``, ``**kw`` spread)."""
        args: list[tuple[Any, ast.AST]] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                for item in self.iterate(self.eval(arg.value), arg.value):
                    args.append((item, arg))
            else:
                args.append((self.eval(arg), arg))
        kwargs: dict[str, tuple[Any, ast.AST]] = {}
        for kw in node.keywords:
            if kw.arg is None:
                extra = self.value(kw.value)
                if not isinstance(extra, dict) or not all(isinstance(k, str) for k in extra):
                    raise self.error(kw.value, "code.star_args",
                                     code="**" + self.code(kw.value))
                for key, value in extra.items():
                    kwargs[key] = (value, kw.value)
            else:
                kwargs[kw.arg] = (self.eval(kw.value), kw.value)
        return args, kwargs

    def call(self, callee: Value, node: ast.Call) -> Value:
        if isinstance(callee, Builtin):
            args, kwargs = self.arguments(node)
            return self.builtin(callee.name, [self.use(a) for a, _ in args],
                                {k: self.use(v) for k, (v, _) in kwargs.items()}, node)
        if isinstance(callee, Function):
            args, kwargs = self.arguments(node)
            return self.call_function(callee, [a for a, _ in args],
                                      {k: v for k, (v, _) in kwargs.items()}, node)
        if isinstance(callee, KerasRef):
            return self.keras_call(callee, node)
        if isinstance(callee, LayerCall):
            return self.apply(callee, node)
        if isinstance(callee, SequentialModel | FunctionalModel):
            return self.apply_model(callee, node)
        if isinstance(callee, Method):
            return self.method(callee, node)
        if isinstance(callee, CustomClass):
            raise self.error(node, "code.custom_class", name=callee.node.name,
                             line=callee.node.lineno, fix=Msg("code.fix.custom_class"))
        raise self.unreadable(node)

    def call_function(self, func: Function, args: list[Any], kwargs: dict[str, Any],
                      node: ast.AST) -> Value:
        if self.call_depth >= MAX_CALL_DEPTH:
            raise self.fail(self.error(node, "code.budget_depth", limit=MAX_CALL_DEPTH))
        spec = func.node.args
        positional = [*spec.posonlyargs, *spec.args]
        scope = Scope(func.scope)
        first_default = len(positional) - len(func.defaults)
        for k, param in enumerate(positional):
            if k < len(args):
                scope.vars[param.arg] = args[k]
            elif param.arg in kwargs:
                scope.vars[param.arg] = kwargs.pop(param.arg)
            elif k >= first_default:
                scope.vars[param.arg] = func.defaults[k - first_default]
            else:
                scope.vars[param.arg] = self.missing(func, param)
        extra = args[len(positional):]
        if spec.vararg is not None:
            scope.vars[spec.vararg.arg] = tuple(extra)
        elif extra:
            raise self.error(node, "code.python_error", code=self.code(node),
                             detail=f"{func.name}() takes {len(positional)} positional "
                                    f"arguments but {len(args)} were given")
        for param, default in zip(spec.kwonlyargs, func.kw_defaults, strict=True):
            if param.arg in kwargs:
                scope.vars[param.arg] = kwargs.pop(param.arg)
            elif default is not None or any(
                    d is None for d in spec.kw_defaults if d is not None):
                scope.vars[param.arg] = default
            else:
                scope.vars[param.arg] = self.missing(func, param)
        if spec.kwarg is not None:
            scope.vars[spec.kwarg.arg] = dict(kwargs)
        elif kwargs:
            raise self.error(node, "code.python_error", code=self.code(node),
                             detail=f"{func.name}() got an unexpected keyword argument "
                                    f"{next(iter(kwargs))!r}")
        outer, outer_line = self.scope, self.line
        self.scope = scope
        self.call_depth += 1
        try:
            if isinstance(func.node, ast.Lambda):
                return self.eval(func.node.body)
            self.run(func.node.body)
        except _Return as ret:
            return ret.value
        finally:
            self.scope = outer
            self.line = outer_line
            self.call_depth -= 1
        return None

    def missing(self, func: Function, param: ast.arg) -> Unreadable:
        return Unreadable(self.error(param, "code.unknown_parameter", name=param.arg,
                                     function=func.name,
                                     fix=Msg("code.fix.unknown_parameter",
                                             {"function": func.name, "name": param.arg})))

    def builtin(self, name: str, args: list[Any], kwargs: dict[str, Any],
                node: ast.Call) -> Value:
        for value in [*args, *kwargs.values()]:
            if isinstance(value, Tensor) and name not in ("print", "isinstance", "len"):
                raise self.error(node, "code.tensor_op", code=self.code(node),
                                 what=f"{name}()", fix=Msg("code.fix.tensor_op"))
        if name == "print":
            return None
        if name == "isinstance":
            raise self.unreadable(node)
        if name == "len" and len(args) == 1 and isinstance(args[0], Tensor):
            shape = self.shape_of(args[0], node)
            if shape[0] is None:
                raise self.error(node, "code.unknown_size", code=self.code(node),
                                 fix=Msg("code.fix.unknown_size"))
            return shape[0]
        if name == "set" and len(args) <= 1 and not kwargs:
            items = list(self.iterate(args[0], node)) if args else []
            if not all(isinstance(i, PLAIN_SCALARS) for i in items):
                raise self.unreadable(node)
            self.made(len(items), node)
            return list(dict.fromkeys(items))  # a set as a list: its first-seen order
        if name in ("list", "tuple", "sorted", "reversed", "enumerate", "zip", "sum", "min",
                    "max", "any", "all", "dict", "map", "filter"):
            return self.collection_builtin(name, args, kwargs, node)
        if name == "len" and len(args) == 1 and isinstance(args[0], tuple | list | str | dict
                                                              | range):
            return len(args[0])
        if name == "range":
            if not all(isinstance(a, int) for a in args) or kwargs:
                raise self.python_error(node, TypeError("range() takes integers"))
        elif not all(isinstance(a, PLAIN_SCALARS) for a in [*args, *kwargs.values()]):
            raise self.unreadable(node)
        if name == "pow" and len(args) >= 2:
            self.check_size(ast.Pow(), args[0], args[1], node)
        if name == "str" and args and isinstance(args[0], int) and not isinstance(
                args[0], bool) and args[0].bit_length() > MAX_INT_BITS:
            raise self.too_big(node, "an integer", MAX_INT_BITS, "bits")
        if name == "round" and len(args) > 1 and isinstance(args[1], int) and abs(args[1]) > 400:
            raise self.unreadable(node)
        functions: dict[str, Any] = {
            "len": len, "range": range, "int": int, "float": float, "abs": abs,
            "round": round, "str": str, "bool": bool, "divmod": divmod, "pow": pow,
            "math.prod": math.prod, "math.ceil": math.ceil, "math.floor": math.floor,
            "math.sqrt": math.sqrt}
        try:
            if name == "int" and args and isinstance(args[0], str) and len(args[0]) > 400:
                raise ValueError("too many digits")
            if name == "math.prod":
                values = args[0] if len(args) == 1 else None
                if not isinstance(values, list | tuple) or not all(
                        isinstance(v, int | float) for v in values):
                    raise TypeError("prod() takes a list of numbers")
                total = 1
                for v in values:
                    self.check_size(ast.Mult(), total, v, node)
                    total *= v
                return total
            result = functions[name](*args, **kwargs)
        except ShapeError:
            raise
        except (TypeError, ValueError, OverflowError, ZeroDivisionError) as err:
            raise self.python_error(node, err) from None
        return result

    def collection_builtin(self, name: str, args: list[Any], kwargs: dict[str, Any],
                           node: ast.Call) -> Value:
        if name in ("map", "filter"):
            if len(args) < 2 or kwargs:
                raise self.unreadable(node)
            func, *iterables = args
            lists = [list(self.iterate(i, node)) for i in iterables]
            out: list[Any] = []
            if name == "filter":
                for item in lists[0]:
                    keep = item if func is None else self.invoke(func, [item], node)
                    if self.truth(keep, node):
                        out.append(item)
            else:
                for items in zip(*lists, strict=False):
                    out.append(self.invoke(func, list(items), node))
            self.made(len(out), node)
            return out
        if name == "dict":
            if args and not isinstance(args[0], dict):
                pairs = list(self.iterate(args[0], node))
                result = {}
                for pair in pairs:
                    if not isinstance(pair, list | tuple) or len(pair) != 2:
                        raise self.unreadable(node)
                    self.check_key(pair[0], node)
                    result[pair[0]] = pair[1]
            else:
                result = dict(args[0]) if args else {}
            result.update(kwargs)
            self.made(len(result), node)
            return result
        sources: list[list[Any] | range] = [self.iterate(a, node) for a in args] \
            if name not in ("min", "max") or len(args) == 1 else [args]
        for source in sources:
            self.made(len(source), node)
        lists = [list(v) for v in sources]
        try:
            if name == "list":
                return list(lists[0]) if lists else []
            if name == "tuple":
                return tuple(lists[0]) if lists else ()
            if name == "reversed":
                return list(reversed(lists[0]))
            if name == "enumerate":
                start = kwargs.get("start", args[1] if len(args) > 1 else 0)
                return [(k + start, v) for k, v in enumerate(lists[0])]
            if name == "zip":
                return list(zip(*lists, strict=bool(kwargs.get("strict"))))
            if name in ("any", "all"):
                truths = [self.truth(v, node) for v in lists[0]]
                return any(truths) if name == "any" else all(truths)
            values = list(lists[0])
            if not all(isinstance(v, int | float | str | tuple) for v in values):
                raise self.unreadable(node)
            if name == "sum":
                if not all(isinstance(v, int | float) for v in values):
                    raise self.unreadable(node)
                start = args[1] if len(args) > 1 else kwargs.get("start", 0)
                if not isinstance(start, int | float):
                    raise self.unreadable(node)
                return sum(values, start)
            if name == "sorted":
                return sorted(values, reverse=bool(kwargs.get("reverse")))
            if "default" in kwargs and not values:
                return kwargs["default"]
            return min(values) if name == "min" else max(values)
        except ShapeError:
            raise
        except (TypeError, ValueError) as err:
            raise self.python_error(node, err) from None

    def invoke(self, func: Value, args: list[Any], node: ast.AST) -> Value:
        """Call a value of the pasted code (map/filter) with already-evaluated arguments."""
        if isinstance(func, Function):
            return self.call_function(func, args, {}, node)
        if isinstance(func, Builtin):
            assert isinstance(node, ast.Call)
            return self.builtin(func.name, args, {}, node)
        if isinstance(func, LayerCall) and len(args) == 1:
            assert isinstance(node, ast.Call)
            return self.apply_values(func, node, args[0], node)
        raise self.unreadable(node)

    def method(self, callee: Method, node: ast.Call) -> Value:
        owner, name = callee.owner, callee.name
        if isinstance(owner, SequentialModel | FunctionalModel):
            return self.model_method(owner, name, node)
        if isinstance(owner, LayerCall):
            if name == "adapt":
                raise self.error(node, "code.adapt", code=self.code(node),
                                 type=owner.cls.type_name(), fix=Msg("code.fix.adapt"))
            if name in ("get_config", "count_params", "get_weights", "set_weights",
                        "compute_output_shape", "summary", "build", "load_weights"):
                return Unreadable(self.unreadable(node))
            raise self.unreadable(node)
        args, kwargs = self.arguments(node)
        values = [self.use(a) for a, _ in args]
        kw = {k: self.use(v) for k, (v, _) in kwargs.items()}
        if isinstance(owner, list):
            return self.list_method(owner, name, values, kw, node)
        if isinstance(owner, dict):
            return self.dict_method(owner, name, values, kw, node)
        if isinstance(owner, str):
            return self.str_method(owner, name, values, kw, node)
        if isinstance(owner, tuple) and name in ("index", "count"):
            try:
                return getattr(owner, name)(*values)
            except ValueError as err:
                raise self.python_error(node, err) from None
        raise self.unreadable(node)

    def list_method(self, owner: list[Any], name: str, args: list[Any],
                    kwargs: dict[str, Any], node: ast.Call) -> Value:
        if kwargs:
            raise self.unreadable(node)
        try:
            if name == "append" and len(args) == 1:
                self.made(len(owner) + 1, node)
                owner.append(args[0])
                return None
            if name == "extend" and len(args) == 1:
                items = list(self.iterate(args[0], node))
                self.made(len(owner) + len(items), node)
                owner.extend(items)
                return None
            if name == "insert" and len(args) == 2 and isinstance(args[0], int):
                self.made(len(owner) + 1, node)
                owner.insert(args[0], args[1])
                return None
            if name == "pop" and len(args) <= 1:
                return owner.pop(*args)
            if name == "copy" and not args:
                self.made(len(owner), node)
                return list(owner)
            if name == "reverse" and not args:
                owner.reverse()
                return None
            if name in ("index", "count") and len(args) == 1 and _is_plain(args[0]):
                return getattr(owner, name)(args[0])
        except ShapeError:
            raise
        except (IndexError, ValueError) as err:
            raise self.python_error(node, err) from None
        raise self.unreadable(node)

    def dict_method(self, owner: dict[Any, Any], name: str, args: list[Any],
                    kwargs: dict[str, Any], node: ast.Call) -> Value:
        if name == "get" and 1 <= len(args) <= 2 and not kwargs:
            self.check_key(args[0], node)
            return owner.get(args[0], args[1] if len(args) > 1 else None)
        if name in ("items", "keys", "values") and not args and not kwargs:
            self.made(len(owner), node)
            return list(getattr(owner, name)())
        if name == "copy" and not args:
            self.made(len(owner), node)
            return dict(owner)
        if name == "update" and len(args) <= 1:
            extra = dict(args[0]) if args and isinstance(args[0], dict) else {}
            if args and not isinstance(args[0], dict):
                raise self.unreadable(node)
            extra.update(kwargs)
            self.made(len(owner) + len(extra), node)
            owner.update(extra)
            return None
        if name in ("pop", "setdefault") and 1 <= len(args) <= 2 and not kwargs:
            self.check_key(args[0], node)
            try:
                return getattr(owner, name)(*args)
            except KeyError as err:
                raise self.python_error(node, err) from None
        raise self.unreadable(node)

    def str_method(self, owner: str, name: str, args: list[Any], kwargs: dict[str, Any],
                   node: ast.Call) -> Value:
        if not all(isinstance(a, PLAIN_SCALARS) for a in [*args, *kwargs.values()]) and \
                name != "join":
            raise self.unreadable(node)
        try:
            if name == "format":
                if _FORMAT_WIDTH.search(owner) or "*" in owner or _FORMAT_FIELD.search(owner):
                    raise self.unreadable(node)
                result: Any = owner.format(*args, **kwargs)
            elif name == "join" and len(args) == 1:
                items = list(self.iterate(args[0], node))
                if not all(isinstance(i, str) for i in items):
                    raise self.unreadable(node)
                if sum(len(i) for i in items) + len(owner) * len(items) > MAX_ITEMS:
                    raise self.too_big(node, "a string", MAX_ITEMS, "characters")
                result = owner.join(items)
            elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and \
                    isinstance(args[1], str):
                grow = max(0, len(args[1]) - len(args[0])) * (owner.count(args[0]) + 1)
                if len(owner) + grow > MAX_ITEMS:
                    raise self.too_big(node, "a string", MAX_ITEMS, "characters")
                result = owner.replace(*args)
            elif name in ("upper", "lower", "strip", "lstrip", "rstrip", "title",
                          "capitalize", "startswith", "endswith", "split", "isdigit",
                          "count", "find", "rsplit"):
                result = getattr(owner, name)(*args, **kwargs)
            else:
                raise self.unreadable(node)
        except ShapeError:
            raise
        except (ValueError, TypeError, IndexError, KeyError) as err:
            raise self.python_error(node, err) from None
        if isinstance(result, str | list) and len(result) > MAX_ITEMS:
            raise self.too_big(node, "a string", MAX_ITEMS, "characters")
        return result

    # --- Keras -----------------------------------------------------------------------
    def keras_call(self, ref: KerasRef, node: ast.Call) -> Value:
        name = ref.name
        path = ref.parts[:-1]
        if len(path) >= 1 and path[-1] in OBJECT_MODULES:
            return self.keras_object(ref, node)
        if "applications" in path:
            raise self.error(node, "code.applications", code=self.code(node.func),
                             fix=Msg("code.fix.applications"))
        if name == "Sequential":
            return self.sequential(node)
        if name in ("Model", "Functional"):
            return self.functional(node)
        if name == "Input":
            return self.tensor(node, input=self.input_spec(node, INPUT_ARGS))
        if name == "InputLayer":
            return self.tensor(node, input=self.input_spec(node, INPUT_LAYER_ARGS))
        cls = layer_class(name)
        if cls is not None:
            return self.layer_call(cls, node)
        if name in MERGE_FUNCTIONS and node.args:
            # layers.concatenate([a, b], axis=1): Concatenate(axis=1)([a, b])
            args, kwargs = self.arguments(node)
            call = self.make_layer_call(MERGE_FUNCTIONS[name], node, args[1:], kwargs)
            return self.apply_values(call, node, args[0][0], node.args[0])
        if name in KERAS_LAYER_NAMES:
            raise self.error(node.func, "code.not_supported_layer", name=name,
                             fix=Msg("code.fix.not_supported_layer"))
        args, kwargs = self.arguments(node)
        for v, _ in [*args, *kwargs.values()]:
            self.use(v)  # an unknown argument: its own error says why
        if any(self.holds_tensor(v) for v, _ in [*args, *kwargs.values()]):
            raise self.error(node, "code.tensor_op", code=self.code(node.func),
                             what="an operation that is not a layer",
                             fix=Msg("code.fix.tensor_op"))
        if (name[:1].isupper() and not path[1:]) or (path and path[-1] == "layers"):
            return self.unknown_layer_error(node.func, name)
        raise self.unreadable(node)

    def holds_tensor(self, value: Value) -> bool:
        if isinstance(value, Tensor):
            return True
        if isinstance(value, list | tuple):
            return any(isinstance(v, Tensor) for v in value)
        return False

    def unknown_layer_error(self, node: ast.AST, name: str) -> ShapeError:
        names = sorted({*LAYER_TYPES, *KERAS_ALIASES, "Sequential", "Model", "Input"})
        close = difflib.get_close_matches(name, names, n=1)
        fix = (Msg("code.fix.layer_types", {"suggestion": close[0]}) if close else
               Msg("code.fix.check_spelling"))
        raise self.error(node, "code.unknown_layer", fix=fix, name=name)

    def plain(self, value: Value, node: ast.AST) -> Any:
        """A value used as an argument: plain data only."""
        value = self.use(value)
        if _is_plain(value):
            return value
        if isinstance(value, range):
            return list(value)
        if isinstance(value, Tensor):
            raise self.error(node, "code.not_layer_argument", code=self.code(node))
        raise self.unreadable(node)

    def layer_call(self, cls: type[Layer], node: ast.Call) -> LayerCall:
        sources = {p.name for p in cls.params if type(p).__name__ == "SourceParam"}
        if not sources:
            return self.make_layer_call(cls, node, *self.arguments(node))
        # Lambda(function): the function is kept as its source text, never evaluated.
        positional = [p.name for p in cls.params if p.name not in cls.keyword_only]
        args: list[tuple[Any, ast.AST]] = []
        for k, arg in enumerate(node.args):
            if isinstance(arg, ast.Starred):
                raise self.error(arg, "code.star_args", code=self.code(arg))
            is_source = k < len(positional) and positional[k] in sources
            args.append((self.segment(arg) if is_source else self.eval(arg), arg))
        kwargs: dict[str, tuple[Any, ast.AST]] = {}
        for kw in node.keywords:
            if kw.arg is None:
                raise self.error(kw.value, "code.star_args", code="**" + self.code(kw.value))
            kwargs[kw.arg] = (self.segment(kw.value) if kw.arg in sources
                              else self.eval(kw.value), kw.value)
        return self.make_layer_call(cls, node, args, kwargs)

    def segment(self, node: ast.AST) -> str:
        """The exact source text of ``node`` (from the line offsets computed once)."""
        lineno, end = getattr(node, "lineno", 0), getattr(node, "end_lineno", 0)
        col, end_col = getattr(node, "col_offset", 0), getattr(node, "end_col_offset", 0)
        if not 0 < lineno <= end <= len(self.lines):
            return ast.unparse(node)
        if lineno == end:
            return self.lines[lineno - 1].encode()[col:end_col].decode(errors="replace")
        return "\n".join([self.lines[lineno - 1].encode()[col:].decode(errors="replace"),
                          *self.lines[lineno:end - 1],
                          self.lines[end - 1].encode()[:end_col].decode(errors="replace")])

    def make_layer_call(self, cls: type[Layer], node: ast.Call,
                        positional: list[tuple[Any, ast.AST]],
                        keywords: dict[str, tuple[Any, ast.AST]]) -> LayerCall:
        own = {p.name for p in cls.all_params()}
        args = [(self.argument(v, n), n) for v, n in positional]
        kwargs: dict[str, tuple[Any, ast.AST]] = {}
        name: tuple[Any, ast.AST] | None = None
        spec: InputSpec | None = None
        for key, (raw, value_node) in keywords.items():
            if key == "name":
                name = (self.plain(raw, value_node), value_node)
            elif key in INPUT_KWARGS and key not in own:
                spec = spec or InputSpec(node.lineno)
                spec.values[key] = self.plain(raw, value_node)
                spec.nodes[key] = value_node
            elif key in DROPPED_KWARGS and key not in own:
                self.plain(raw, value_node)  # must still be readable
            else:
                kwargs[key] = (self.argument(raw, value_node), value_node)
        inner = [v for v, _ in [*args, *kwargs.values()]]
        inner += [i for v in inner if isinstance(v, list) for i in v]
        depth = max([0, *(v.depth + 1 for v in inner if isinstance(v, LayerCall))])
        if depth > MAX_WRAPPER_DEPTH:
            raise self.error(node, "code.wrapper_depth", limit=MAX_WRAPPER_DEPTH)
        return LayerCall(cls, node, args, kwargs, name, spec, depth=depth)

    def keras_object(self, ref: KerasRef, node: ast.Call) -> dict[str, Any]:
        """``regularizers.l2(0.01)``, ``keras.initializers.HeNormal(seed=1)``, … as the
        ``{"class_name": ..., "config": {...}}`` form Keras accepts for such arguments."""
        name = ref.name
        class_name = name if name[:1].isupper() else "".join(
            p.capitalize() for p in name.split("_"))
        args, kwargs = self.arguments(node)
        positional = POSITIONAL_CONFIG.get(class_name, ())
        if len(args) > len(positional):
            raise self.error(node, "code.object_keywords", code=self.code(node))
        config = {key: self.plain(v, n) for key, (v, n) in zip(positional, args,
                                                                strict=False)}
        for key, (v, n) in kwargs.items():
            config[key] = self.plain(v, n)
        return {"class_name": class_name, "config": config}

    def argument(self, value: Value, node: ast.AST) -> Any:
        """A layer argument: plain data, a layer (for wrappers), or an
        initializer/regularizer/constraint (as its config)."""
        value = self.use(value)
        if isinstance(value, LayerCall):
            return value
        if isinstance(value, list | tuple) and value and all(
                isinstance(v, LayerCall) for v in value):
            return list(value)  # Pipeline([layer, ...])
        if isinstance(value, KerasRef) and len(value.parts) > 1 and (
                value.parts[-2] in OBJECT_MODULES or value.parts[-2] == "nn"
                or "activations" in value.parts[:-1]):
            # kernel_initializer=keras.initializers.HeNormal (a class),
            # activation=tf.nn.relu or keras.activations.relu: the name Keras reads.
            return value.name
        if isinstance(value, SequentialModel | FunctionalModel):
            raise self.error(node, "code.nested_model", code=self.code(node))
        return self.plain(value, node)

    def input_spec(self, node: ast.Call, order: tuple[str, ...]) -> InputSpec:
        spec = InputSpec(node.lineno)
        args, kwargs = self.arguments(node)
        if len(args) > len(order):
            raise self.unreadable(node)
        given = [(key, v, n) for key, (v, n) in zip(order, args, strict=False)]
        given += [(key, v, n) for key, (v, n) in kwargs.items()]
        for key, raw, value_node in given:
            value = self.plain(raw, value_node)
            if key == "shape":
                key, spec.shape_name = "input_shape", "shape"
            if key in ("name", "sparse", "ragged", "optional") and not value:
                continue
            if key == "name":
                spec.name, spec.name_node = value, value_node
                continue
            if key not in ("input_shape", "batch_size", "batch_shape", "batch_input_shape",
                           "dtype"):
                raise self.error(value_node, "code.unsupported_argument", argument=key,
                                 code=self.code(value_node))
            spec.values[key] = value
            spec.nodes[key] = value_node
        return spec

    def apply(self, layer: LayerCall, node: ast.Call) -> Tensor:
        """``layer(x)``, ``layer([a, b])`` or ``layer(q, v)``: a layer called on tensors."""
        args, kwargs = self.arguments(node)
        tensors: list[tuple[Any, ast.AST]] = list(args)
        for key, (value, value_node) in kwargs.items():
            if key in CALL_TENSOR_KEYWORDS:
                tensors.append((value, value_node))
                continue
            value = self.use(value)
            if key in CALL_FLAGS and not self.holds_tensor(value) and (
                    key != "return_attention_scores" or not value):
                continue
            raise self.error(value_node, "code.call_keyword", argument=key,
                             code=self.code(value_node), fix=Msg("code.fix.call_keyword"))
        if not tensors:
            raise self.error(node, "code.not_tensor", code=self.code(node))
        if len(tensors) == 1:
            return self.apply_values(layer, node, tensors[0][0], tensors[0][1])
        parents = []
        for value, value_node in tensors:
            value = self.use(value)
            if not isinstance(value, Tensor):
                raise self.error(value_node, "code.not_tensor", code=self.code(value_node))
            parents.append(value)
        return self.connect(layer, node, parents, as_list=False)

    def apply_values(self, layer: LayerCall, node: ast.AST, arg: Value,
                     arg_node: ast.AST) -> Tensor:
        arg = self.use(arg)
        if isinstance(arg, list | tuple):
            elements: list[ast.AST] = (
                list(arg_node.elts) if isinstance(arg_node, ast.List | ast.Tuple)
                and len(arg_node.elts) == len(arg) else [arg_node] * len(arg))
            for item, item_node in zip(arg, elements, strict=True):
                if not isinstance(self.use(item), Tensor):
                    raise self.error(item_node, "code.not_tensor", code=self.code(item_node))
            if len(arg) == 1 and not layer.cls.takes_list:
                return self.connect(layer, node, [arg[0]], as_list=False)
            return self.connect(layer, node, list(arg), as_list=True)
        if not isinstance(arg, Tensor):
            raise self.error(arg_node, "code.not_tensor", code=self.code(arg_node))
        return self.connect(layer, node, [arg], as_list=False)

    def connect(self, layer: LayerCall, node: ast.AST, parents: list[Tensor],
                as_list: bool) -> Tensor:
        layer.uses += 1
        tensor = self.tensor(node, layer=layer, parents=parents, as_list=as_list)
        if not layer.outputs:
            layer.outputs.append(tensor)
        return tensor

    def apply_model(self, model: SequentialModel | FunctionalModel, node: ast.Call) -> Value:
        """A model called on tensors: its layers are called on them (inlined: shapewidget
        draws one graph, so a nested model's layers join the outer model's)."""
        args, kwargs = self.arguments(node)
        tensors = [(v, n) for v, n in args]
        for key, (value, value_node) in kwargs.items():
            if key == "inputs":
                tensors.append((value, value_node))
            elif key not in CALL_FLAGS or self.holds_tensor(self.use(value)):
                raise self.error(value_node, "code.call_keyword", argument=key,
                                 code=self.code(value_node), fix=Msg("code.fix.call_keyword"))
        if len(tensors) != 1:
            raise self.error(node, "code.not_tensor", code=self.code(node))
        given, given_node = self.use(tensors[0][0]), tensors[0][1]
        model.used_as_layer = True
        return self.replay(model, given, given_node, node)

    def replay(self, model: SequentialModel | FunctionalModel, given: Value,
               given_node: ast.AST, node: ast.AST) -> Value:
        if isinstance(model, SequentialModel):
            if isinstance(given, list | tuple) and len(given) == 1:
                given = given[0]
            if not isinstance(given, Tensor):
                raise self.error(given_node, "code.not_tensor", code=self.code(given_node))
            x = given
            for item in model.items:
                if isinstance(item, LayerCall):
                    x = self.connect(item, node, [x], as_list=False)
                else:
                    x = self.replay(item, x, given_node, node)
            return x
        inputs = model.inputs
        values = list(given) if isinstance(given, list | tuple) else [given]
        if len(values) != len(inputs) or not all(isinstance(v, Tensor) for v in values):
            raise self.error(given_node, "code.not_tensor", code=self.code(given_node))
        mapping = {id(t): v for t, v in zip(inputs, values, strict=True)}
        for tensor in _entries(self, model):
            assert tensor.layer is not None
            parents = [mapping[id(p)] for p in tensor.parents]
            mapping[id(tensor)] = self.connect(tensor.layer, node, parents, tensor.as_list)
        outputs = [mapping[id(t)] for t in model.outputs]
        return outputs if model.as_list or len(outputs) > 1 else outputs[0]

    def model_method(self, model: SequentialModel | FunctionalModel, name: str,
                     node: ast.Call) -> Value:
        if isinstance(model, SequentialModel) and name == "add":
            args, kwargs = self.arguments(node)
            if len(args) != 1 or kwargs:
                raise self.unreadable(node)
            self.sequential_add(model, args[0][1], args[0][0])
            return None
        if isinstance(model, SequentialModel) and name == "pop":
            if not model.items:
                raise self.error(node, "code.pop_empty")
            model.items.pop()
            model.symbolic = None
            return None
        if isinstance(model, SequentialModel) and name == "build":
            args, kwargs = self.arguments(node)
            shape = args[0] if args else kwargs.get("input_shape")
            if shape is None:
                return None
            spec = InputSpec(node.lineno)
            spec.values["batch_shape"] = self.plain(shape[0], shape[1])
            spec.nodes["batch_shape"] = shape[1]
            model.build = spec
            model.symbolic = None
            return None
        if name == "get_layer":
            args, kwargs = self.arguments(node)
            wanted = self.plain(args[0][0] if args else kwargs.get("name", (None,))[0], node)
            for call in self.model_layers(model, node):
                if isinstance(call, LayerCall) and call.name is not None and \
                        call.name[0] == wanted:
                    return call
            raise self.error(node, "code.no_layer_named", name=wanted)
        if name in IGNORED_METHODS:
            return Unreadable(self.unreadable(node))
        raise self.unreadable(node)

    def sequential(self, node: ast.Call) -> SequentialModel:
        model = SequentialModel(node)
        args, kwargs = self.arguments(node)
        items: tuple[Any, ast.AST] | None = args[0] if args else None
        for key, (value, value_node) in kwargs.items():
            if key == "layers":
                items = (value, value_node)
            elif key == "name":
                model.name = self.plain(value, value_node)
            elif key == "trainable":
                self.plain(value, value_node)
            else:
                raise self.error(value_node, "code.unsupported_argument", argument=key,
                                 code=self.code(value_node))
        if len(args) > 2:  # Sequential(layers, trainable, name)
            model.name = self.plain(args[2][0], args[2][1])
        if items is not None:
            value, items_node = self.use(items[0]), items[1]
            if value is None:
                value = []
            if not isinstance(value, list | tuple):
                raise self.unreadable(items_node)
            elements: list[ast.AST] = (
                list(items_node.elts) if isinstance(items_node, ast.List | ast.Tuple)
                and len(items_node.elts) == len(value)
                and not any(isinstance(e, ast.Starred) for e in items_node.elts)
                else [items_node] * len(value))
            for item, item_node in zip(value, elements, strict=True):
                self.sequential_add(model, item_node, item)
        self.models.append(model)
        return model

    def sequential_add(self, model: SequentialModel, node: ast.AST, value: Value) -> None:
        value = self.use(value)
        model.symbolic = None
        if isinstance(value, Tensor) and value.input is not None:
            if model.input is not None:
                raise self.error(node, "code.input_twice", first=model.input.line)
            if model.items:
                raise self.error(node, "code.input_not_first", count=len(model.items))
            model.input = value.input
            return
        if isinstance(value, SequentialModel | FunctionalModel):
            if isinstance(value, FunctionalModel) and (len(value.inputs) != 1
                                                       or len(value.outputs) != 1):
                raise self.error(node, "code.nested_sequential_graph", code=self.code(node))
            value.used_as_layer = True
            if not model.items and model.input is None:
                model.input = value.input if isinstance(value, SequentialModel) else \
                    value.inputs[0].input
            model.items.append(value)
            return
        if not isinstance(value, LayerCall):
            raise self.error(node, "code.not_layer", code=self.code(node))
        if any(value is item for item in model.items):
            raise self.error(node, "code.sequential_shared", code=self.code(node),
                             fix=Msg("code.fix.functional_shared"))
        if not model.items and model.input is None:
            model.input = value.input
            length = value.kwargs.get("input_length")
            if model.input is None and length is not None and is_int(length[0]):
                # Keras 2: Embedding(..., input_length=80) first gave the input (80,).
                model.input = InputSpec(value.node.lineno, {"input_length": length[0]},
                                        {"input_length": length[1]}, implied=True)
        model.items.append(value)

    def functional(self, node: ast.Call) -> FunctionalModel:
        args, kwargs = self.arguments(node)
        inputs = args[0] if args else None
        outputs = args[1] if len(args) > 1 else None
        name = None
        for key, (value, value_node) in kwargs.items():
            if key == "inputs":
                inputs = (value, value_node)
            elif key == "outputs":
                outputs = (value, value_node)
            elif key == "name":
                name = self.plain(value, value_node)
            elif key == "trainable":
                self.plain(value, value_node)
            else:
                raise self.error(value_node, "code.unsupported_argument", argument=key,
                                 code=self.code(value_node))
        if inputs is None or outputs is None:
            raise self.unreadable(node)
        input_list = self.tensor_list(*inputs)
        for tensor, tensor_node in input_list:
            if tensor.input is None:
                raise self.error(tensor_node, "code.model_input", code=self.code(tensor_node))
        for k, (tensor, tensor_node) in enumerate(input_list):
            if any(tensor is other for other, _ in input_list[:k]):
                raise self.error(tensor_node, "code.input_listed_twice",
                                 code=self.code(tensor_node))
        output_list = self.tensor_list(*outputs)
        model = FunctionalModel(node, [t for t, _ in input_list], [t for t, _ in output_list],
                                name, as_list=isinstance(self.use(outputs[0]), list | tuple),
                                inputs_as_list=isinstance(self.use(inputs[0]), list | tuple))
        self.models.append(model)
        return model

    def tensor_list(self, value: Value, node: ast.AST) -> list[tuple[Tensor, ast.AST]]:
        """``x`` or ``[a, b]`` (a list or tuple of tensors), with each one's node."""
        value = self.use(value)
        if isinstance(value, dict):  # outputs={"a": ..., "b": ...}: Keras flattens by key
            if not all(isinstance(k, str) for k in value):
                raise self.unreadable(node)
            value = [value[k] for k in sorted(value)]
        if isinstance(value, list | tuple):
            elements: list[ast.AST] = (
                list(node.elts) if isinstance(node, ast.List | ast.Tuple)
                and len(node.elts) == len(value) else [node] * len(value))
            pairs = list(zip(value, elements, strict=True))
        else:
            pairs = [(value, node)]
        if not pairs:
            raise self.error(node, "code.not_tensor", code=self.code(node))
        out: list[tuple[Tensor, ast.AST]] = []
        for item, item_node in pairs:
            item = self.use(item)
            if not isinstance(item, Tensor):
                raise self.error(item_node, "code.not_tensor", code=self.code(item_node))
            out.append((item, item_node))
        return out

    # --- shapes while reading ----------------------------------------------------------
    def sequential_tensors(self, model: SequentialModel, node: ast.AST) -> tuple[Tensor,
                                                                               Tensor]:
        """The input and output tensors of a Sequential model (``model.output``)."""
        if model.symbolic is None:
            spec = model.build if model.build is not None and (
                model.input is None or model.input.implied) else model.input
            if spec is None:
                raise self.error(node, "code.no_input", fix=Msg("code.fix.no_input"))
            start = self.tensor(model.node, input=spec)
            end = self.replay(model, start, node, model.node)
            model.symbolic = (start, end)
        return model.symbolic

    def dtype_of(self, tensor: Tensor) -> str:
        while tensor.input is None and tensor.parents:
            tensor = tensor.parents[0]
        if tensor.input is not None:
            return str(tensor.input.values.get("dtype") or "float32")
        return "float32"

    def shape_of(self, tensor: Tensor, node: ast.AST) -> tuple[Any, ...]:
        """The tensor's shape as the engine computes it (``x.shape``), batch axis first."""
        if tensor.shape is not None:
            return tensor.shape
        pending = [tensor]
        while pending:  # iterative: a long chain does not recurse
            t = pending[-1]
            if t.shape is not None:
                pending.pop()
                continue
            missing = [p for p in t.parents if p.shape is None]
            if missing:
                pending += missing
                continue
            pending.pop()
            try:
                if t.input is not None:
                    shape, batch, _ = _resolve(t.input, self.source)
                    t.shape = (batch, *shape)
                    continue
                call = t.layer
                assert call is not None
                if call.built is None:
                    call.built = _build_layer(call, 0, [])
                shapes = tuple(p.shape for p in t.parents)
                assert all(s is not None for s in shapes)
                if call.cls.takes_list and not t.as_list:
                    raise self.error(t.node, "code.merge_one_tensor", code=self.code(t.node),
                                     type=call.cls.type_name(),
                                     fix=Msg("code.fix.merge_list",
                                             {"type": call.cls.type_name()}))
                out = call.built.evaluate_inputs(shapes)  # type: ignore[arg-type]
                t.shape = tuple(out.output_shape)
            except ShapeError as err:
                raise self.fail(err.located(line=getattr(t.node, "lineno", None))) from None
        return tensor.shape  # type: ignore[return-value]  # set by the loop


_OPERATORS: dict[type, Any] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.LShift: operator.lshift, ast.RShift: operator.rshift,
    ast.BitOr: operator.or_, ast.BitAnd: operator.and_, ast.BitXor: operator.xor}
_COMPARE: dict[type, Any] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b}


# --- building the model ------------------------------------------------------------------

def _auto_name(cls: type[Layer], before: list[Layer]) -> str:
    """The automatic name Keras would give a layer of ``cls`` after ``before``."""
    return auto_name_after(cls.auto_name_prefix(), before)


def _build_layer(call: LayerCall, index: int, before: list[Layer]) -> Layer:
    """Validate a read layer; errors keep the layer index, name, argument and line."""
    cls = call.cls
    nodes: dict[str, ast.AST] = {}
    positional = [p.name for p in cls.params]
    for k, (_, node) in enumerate(call.args):
        if k < len(positional):
            nodes[positional[k]] = node
    for key, (_, node) in call.kwargs.items():
        nodes[key] = node
    name_value = None if call.name is None else call.name[0]

    def located(err: ShapeError, argument: str | None = None) -> ShapeError:
        display = name_value if isinstance(name_value, str) and name_value else _auto_name(
            cls, before)
        arg = argument or err.argument
        node = nodes.get(arg.split(".")[0]) if arg else None
        if arg == "name" and call.name is not None:
            node = call.name[1]
        line = getattr(node if node is not None else call.node, "lineno", None)
        if argument is not None:  # an error inside a nested layer keeps its own line
            line = err.line if err.line is not None else line
            if err.argument is not None:
                arg = f"{argument}.{err.argument}"
        return ShapeError(err.problem, fix=err.fix, layer_index=index,
                          layer_name=display, layer_type=cls.type_name(), argument=arg,
                          line=line)

    def value(key: str | None, raw: Any) -> Any:
        if isinstance(raw, list) and raw and all(isinstance(r, LayerCall) for r in raw):
            return [value(key, r) for r in raw]
        if isinstance(raw, LayerCall):
            try:
                return _build_layer(raw, index, before)
            except ShapeError as err:
                raise located(err, key) from None
        return raw

    args = [value(positional[k] if k < len(positional) else None, v)
            for k, (v, _) in enumerate(call.args)]
    kwargs = {k: value(k, v) for k, (v, _) in call.kwargs.items()}
    try:
        return cls(*args, name=name_value, **kwargs)
    except ShapeError as err:
        raise located(err) from None


def typed_text(source: str, node: ast.AST) -> str | None:
    """The source of ``node`` as typed, with the parentheses around it that the AST
    drops: ``(3)`` for the constant 3 in ``input_shape=(3)`` or ``Input((3))``."""
    lines = source.splitlines(keepends=True)
    lineno, end_lineno = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if lineno is None or end_lineno is None or col is None or end_col is None:
        return None
    offsets = [0]
    for text in lines:
        offsets.append(offsets[-1] + len(text.encode("utf-8")))
    data = source.encode("utf-8")
    start = offsets[lineno - 1] + col
    end = offsets[end_lineno - 1] + end_col

    def before(i: int) -> int:  # index of the last non-space byte before i, or -1
        i -= 1
        while i >= 0 and data[i:i + 1].isspace():
            i -= 1
        return i

    def after(i: int) -> int:  # index of the first non-space byte from i
        while i < len(data) and data[i:i + 1].isspace():
            i += 1
        return i

    while True:
        b, a = before(start), after(end)
        if b < 0 or a >= len(data) or data[b:b + 1] != b"(" or data[a:a + 1] != b")":
            break
        p = before(b)
        if p >= 0 and (data[p:p + 1].isalnum() or data[p:p + 1] in (b"_", b")", b"]")):
            break  # the parentheses of a call, not around the value
        start, end = b, a + 1
    return " ".join(data[start:end].decode("utf-8").split())


def _input_error(spec: InputSpec, source: str, err: ShapeError) -> ShapeError:
    """An input error at its line; an int where a shape belongs shows what was typed."""
    typed_names = {key: key for key in spec.values}
    if "batch_input_shape" in spec.values:
        typed_names["batch_shape"] = "batch_input_shape"
    if spec.shape_name is not None:
        typed_names["input_shape"] = spec.shape_name
    if "input_length" in spec.values and "input_shape" not in spec.values:
        typed_names["input_shape"] = "input_length"
    key = err.argument or "input_shape"
    shown = typed_names.get(key, key)
    stored = key if key in spec.nodes else shown
    node = spec.nodes.get(stored)
    value = spec.values.get(stored)
    line = getattr(node, "lineno", spec.line)
    if node is not None and is_int(value) and key in ("input_shape", "batch_shape") \
            and shown != "input_length":
        typed = typed_text(source, node) or repr(value)
        if key == "batch_shape":
            fix = Msg("code.fix.batch_int", {"argument": shown, "value": value})
        elif shown == "input_shape":
            fix = Msg("code.fix.input_int_dim", {"argument": shown, "value": value})
        else:
            fix = Msg("code.fix.input_int", {"argument": shown, "value": value})
        key = "code.input_int" if typed.startswith("(") else "code.input_int_plain"
        return ShapeError(Msg(key, {"typed": typed, "argument": shown, "value": value}),
                          fix=fix, argument=shown, line=line)
    return ShapeError(err.problem, fix=err.fix, argument=shown, line=line)


def _resolve(spec: InputSpec, source: str) -> tuple[Any, Any, str]:
    """(shape without the batch axis, batch size, dtype) from the spellings given."""
    values = dict(spec.values)
    if "batch_input_shape" in values:
        values["batch_shape"] = values.pop("batch_input_shape")
    if "input_length" in values:
        length = values.pop("input_length")
        if "input_shape" not in values and "input_dim" not in values:
            values["input_shape"] = (length,)
    dtype = values.get("dtype") or "float32"
    try:
        shape, batch = resolve_input(values.get("input_shape"), values.get("input_dim"),
                                     values.get("batch_size"), values.get("batch_shape"))
    except ShapeError as err:
        raise _input_error(spec, source, err) from None
    try:
        dtype = parse_dtype(dtype)
    except ShapeError as err:
        node = spec.nodes.get("dtype")
        raise ShapeError(err.problem, fix=err.fix, argument="dtype",
                         line=getattr(node, "lineno", spec.line)) from None
    return shape, batch, dtype


def _check_name(value: Any, node: ast.AST) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ShapeError(Msg("param.received", {"expected": "a non-empty string",
                                                "received": describe(value)}),
                         argument="name", line=getattr(node, "lineno", None))
    return value


def _assemble(reader: _Reader, found: SequentialModel | FunctionalModel) -> Model:
    source = reader.source
    if isinstance(found, SequentialModel) and not all(
            isinstance(item, LayerCall) for item in found.items):
        # A model used as a layer: its layers are read into this one (one graph).
        start, end = reader.sequential_tensors(found, found.node)
        found = FunctionalModel(found.node, [start], [end], found.name)
    if isinstance(found, SequentialModel):
        calls = list(found.items)
        spec = found.input
        if found.build is not None:
            if spec is None or spec.implied:
                spec = found.build
            else:
                given = _resolve(spec, source)
                built = _resolve(found.build, source)
                if given[:2] != built[:2]:
                    raise reader.error(found.build.nodes["batch_shape"], "code.build_conflict",
                                       received=reader.code(found.build.nodes["batch_shape"]),
                                       given=(given[1], *given[0]))
        name = found.name
        model_node = found.node
    else:
        entries = _entries(reader, found)
        chain = _chain(found, entries)
        if chain is None:
            return _graph_model(reader, found, entries)
        calls = chain
        spec = found.inputs[0].input
        name = found.name
        model_node = found.node
    if spec is None:
        raise ShapeError(Msg("code.no_input"), fix=Msg("code.fix.no_input"),
                         line=getattr(model_node, "lineno", None))
    shape, batch, dtype = _resolve(spec, source)
    built_layers: list[Layer] = []
    for i, call in enumerate(calls):
        built_layers.append(_build_layer(call, i, built_layers))
    model_name = _check_name(name, model_node) or "sequential"
    return _located_model([c.node for c in calls], lambda: Model(
        built_layers, input_shape=shape, batch_size=batch, input_dtype=dtype,
        name=model_name))


def _entries(reader: _Reader, found: FunctionalModel) -> list[Tensor]:
    """The layer calls the outputs are computed with, in the order of the code (calls
    that lead to no output are not part of the model, as in Keras)."""
    seen: dict[int, Tensor] = {}
    stack = list(found.outputs)
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen or any(tensor is t for t in found.inputs):
            continue
        if tensor.layer is None:  # an Input the model does not list
            assert tensor.input is not None
            raise ShapeError(Msg("code.input_not_listed", {
                "code": reader.code(tensor.node), "line": tensor.input.line}),
                fix=Msg("code.fix.input_not_listed"), line=getattr(found.node, "lineno", None))
        seen[id(tensor)] = tensor
        stack += tensor.parents
    return sorted(seen.values(), key=lambda t: t.order)


def _chain(found: FunctionalModel, entries: list[Tensor]) -> list[LayerCall] | None:
    """The layer calls of a model that is one chain from one unnamed input to one output,
    each layer called once on the tensor before (read as a Sequential model); else
    ``None``."""
    if len(found.inputs) != 1 or len(found.outputs) != 1:
        return None
    source = found.inputs[0]
    if source.input is None or source.input.name is not None:
        return None
    previous = source
    calls: list[LayerCall] = []
    seen: set[int] = set()
    for tensor in entries:
        if (tensor.as_list or len(tensor.parents) != 1 or tensor.parents[0] is not previous
                or tensor.layer is None or id(tensor.layer) in seen):
            return None
        seen.add(id(tensor.layer))
        calls.append(tensor.layer)
        previous = tensor
    return calls if found.outputs[0] is previous else None


def _graph_model(reader: _Reader, found: FunctionalModel, entries: list[Tensor]) -> Model:
    """A functional model: named inputs, each layer call an entry with its inbound
    tensors, a layer's later calls as shared entries, and the outputs."""
    source = reader.source
    inputs: list[dict[str, Any]] = []
    for tensor in found.inputs:
        spec = tensor.input
        assert spec is not None
        shape, batch, dtype = _resolve(spec, source)
        name = _check_name(spec.name, spec.name_node or tensor.node)
        inputs.append({"name": name, "shape": shape, "batch_size": batch, "dtype": dtype})
    input_names = auto_input_names([i["name"] for i in inputs])
    # Layers first (each called layer once, in the order of their first call), then
    # their names, then the shared calls and every entry's inbound tensors.
    first: dict[int, int] = {}
    regular: list[Layer] = []
    built: list[Layer | None] = []
    for k, tensor in enumerate(entries):
        call = tensor.layer
        assert call is not None
        if call.cls.takes_list and not tensor.as_list:
            raise reader.error(tensor.node, "code.merge_one_tensor", code=reader.code(
                tensor.node), type=call.cls.type_name(),
                fix=Msg("code.fix.merge_list", {"type": call.cls.type_name()}))
        if id(call) in first:
            built.append(None)
            continue
        first[id(call)] = k
        layer = _build_layer(call, k, regular)
        regular.append(layer)
        built.append(layer)
    regular_names = iter(auto_names(regular))
    names: list[str | None] = [next(regular_names) if b is not None else None for b in built]
    taken = {*input_names, *(n for n in names if n is not None)}
    reuses: dict[str, int] = {}
    for k, tensor in enumerate(entries):
        if built[k] is not None:
            continue
        assert tensor.layer is not None
        target = names[first[id(tensor.layer)]]
        assert target is not None
        auto = SharedLayer(target).auto_name(reuses.get(target, 0) + 1)
        given = tensor.var
        if given in (None, auto, variable_name(auto, set())) or given in taken \
                or "/" in str(given):
            given = None  # no variable of its own: the automatic name
            reuses[target] = reuses.get(target, 0) + 1
        built[k] = SharedLayer(target, name=given)
        names[k] = given or auto
        taken.add(given or auto)
    tensor_names = {id(t): n for t, n in zip(found.inputs, input_names, strict=True)}
    tensor_names.update({id(t): str(n) for t, n in zip(entries, names, strict=True)})
    layers = [layer.connected(tuple(tensor_names[id(p)] for p in tensor.parents))
              for layer, tensor in zip(built, entries, strict=True) if layer is not None]
    outputs = [tensor_names[id(t)] for t in found.outputs]
    model_name = _check_name(found.name, found.node) or "sequential"
    return _located_model([t.node for t in entries], lambda: Model(
        layers, inputs=inputs, outputs=outputs, name=model_name))


def _located_model(nodes: list[ast.AST], make: Callable[[], Model]) -> Model:
    """``make()``, its layer errors given the line of the layer's call."""
    try:
        return make()
    except ShapeError as err:
        index = err.layer_index
        if err.line is None and index is not None and 0 <= index < len(nodes):
            raise err.located(line=getattr(nodes[index], "lineno", None)) from None
        raise


def _chain_model(reader: _Reader, tensor: Tensor) -> FunctionalModel:
    """The model ending at ``tensor`` (code without a Model(...) call): its inputs are
    the Input tensors it is computed from, in the order of the code."""
    sources: dict[int, Tensor] = {}
    seen: set[int] = set()
    stack = [tensor]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        if t.layer is None:
            sources[id(t)] = t
        stack += t.parents
    inputs = sorted(sources.values(), key=lambda t: t.order)
    return FunctionalModel(tensor.node, inputs, [tensor])


def _pick(reader: _Reader) -> SequentialModel | FunctionalModel | None:
    """The model the code builds: the one in the variable ``model``, else the last one
    made that is not used inside another."""
    found, named = reader.globals.find("model")
    if found and isinstance(named, SequentialModel | FunctionalModel):
        return named
    outer = [m for m in reader.models if not m.used_as_layer]
    if outer:
        return outer[-1]
    return reader.models[-1] if reader.models else None


def _read(reader: _Reader, tree: ast.Module) -> Model:
    reader.run(tree.body)
    if not reader.models and reader.last_tensor is None:
        # def build_model(): ... return model — call the last function that builds one
        # (parameters without a default are unknown values).
        for func in reversed(reader.functions):
            if func.scope is not reader.globals or not reader.changes_model(func.node):
                continue
            result = reader.call_function(func, [], {}, func.node)
            if isinstance(result, SequentialModel | FunctionalModel):
                return _assemble(reader, result)
            if isinstance(result, Unreadable) and not reader.models:
                raise result.error
            if reader.models or reader.last_tensor is not None:
                break
    picked = _pick(reader)
    if picked is not None:
        return _assemble(reader, picked)
    found, named = reader.globals.find("model")
    if found and isinstance(named, Unreadable):
        raise named.error
    if reader.deferred:  # the model could not be made: the first line that failed
        raise reader.deferred[0]
    if reader.last_tensor is not None and reader.last_tensor.layer is not None:
        return _assemble(reader, _chain_model(reader, reader.last_tensor))
    raise ShapeError(Msg("code.no_model"), line=None)


def from_keras_code(source: str) -> Model:
    """A :class:`Model` from pasted Keras code, read by evaluating its syntax tree over
    safe values (never executed: no ``eval``, ``exec``, imports or file access).

    The model in the variable ``model`` is returned, else the last model the code builds:
    a ``Sequential`` (list or ``add`` calls) or a functional ``Model(inputs, outputs)``
    graph (or, without a ``Model(...)`` call, the graph ending at the last tensor, from
    the inputs it uses). Raises :class:`ShapeError` with ``.line`` for anything it cannot
    read; errors in layer arguments also name the layer index, its name and the argument.
    """
    if not isinstance(source, str):
        raise ShapeError(Msg("param.received", {"expected": "Python source code (a string)",
                                                "received": describe(source)}))
    if len(source) > MAX_SOURCE:
        raise ShapeError(Msg("code.too_large", {"size": len(source), "limit": MAX_SOURCE}),
                         fix=Msg("code.fix.too_large"))
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        detail = err.msg
        raise ShapeError(Msg("code.syntax", {"detail": detail}), line=err.lineno) from None
    except (ValueError, RecursionError, MemoryError) as err:  # null bytes, deep nesting
        raise ShapeError(Msg("code.syntax", {"detail": type(err).__name__})) from None
    reader = _Reader(source)
    try:
        return _read(reader, tree)
    except RecursionError:
        raise ShapeError(Msg("code.too_deep"), line=reader.line or None) from None
    except (_Return, _Break, _Continue):
        raise ShapeError(Msg("code.statement", {"kind": "return"}),
                         line=reader.line or None) from None
