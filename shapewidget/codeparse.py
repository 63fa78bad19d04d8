"""Read pasted Keras code into a :class:`~shapewidget.Model` — without running it.

The source is parsed with :mod:`ast` and walked statement by statement; argument values
are read with :func:`ast.literal_eval` on literal nodes only. Nothing is executed,
compiled to run or evaluated: a call the reader does not recognise is never made.

Recognised (see :func:`from_keras_code`): ``Sequential()`` + ``model.add(...)``,
``Sequential([...])``, ``Input``/``InputLayer`` first, the legacy ``input_shape=``,
``input_dim=``, ``batch_size=``, ``batch_shape=``, ``batch_input_shape=`` on the first
layer, ``model.build(shape)``, layers stored in variables, wrapped layers, and every
spelling of the module path (``keras.layers.X``, ``layers.X``, ``tf.keras.layers.X``,
``from ... import``). Positional arguments map through each layer class's ``params``
order. Anything else that touches the model raises :class:`ShapeError` naming the line.

The functional style is read as a graph: ``Input(...)`` tensors (several, named or not),
layers called on a tensor or on a list (merges: ``Concatenate()([a, b])``, also the
functions ``layers.concatenate([a, b])``, ``layers.add(...)``, …), nested calls,
reassigned variables (each call is a new entry), a layer object called again (a shared
layer: the later calls become ``{"shares": ...}`` entries named after their variable),
and ``Model(inputs, outputs)`` with one tensor or a list for each. Only the calls the
outputs are computed from belong to the model, as in Keras. A graph that is one chain
from one unnamed input is read as the Sequential model it is (no ``inbound``).
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass, field
from typing import Any

from .codegen import variable_name
from .errors import ShapeError
from .graph import auto_input_names
from .layers import LAYER_TYPES, Layer
from .layers.shared import SharedLayer
from .model import DTYPES, Model, auto_names, resolve_input
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


# --- values the reader tracks ----------------------------------------------------------

@dataclass
class Const:
    """A literal value read from the code."""

    value: Any


@dataclass
class Unreadable:
    """A variable whose value could not be read: using it raises ``error``."""

    error: ShapeError


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


@dataclass(eq=False)
class SequentialModel:
    node: ast.AST
    name: Any = None
    input: InputSpec | None = None
    items: list[LayerCall] = field(default_factory=list)
    build: InputSpec | None = None


@dataclass(eq=False)
class FunctionalModel:
    node: ast.AST
    inputs: list[Tensor]
    outputs: list[Tensor]
    name: Any = None


@dataclass
class ListVal:
    items: list[Any]
    node: ast.AST


Value = Any


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.env: dict[str, Value] = {}
        self.aliases: dict[str, str] = {}  # local name -> dotted module path
        self.star_modules: list[str] = []
        self.models: list[SequentialModel | FunctionalModel] = []
        self.last_tensor: Tensor | None = None
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.tensors = 0  # tensors made so far: their order in the code

    def tensor(self, node: ast.AST, **kwargs: Any) -> Tensor:
        self.tensors += 1
        return Tensor(node, self.tensors, **kwargs)

    # --- helpers ---------------------------------------------------------------------
    def code(self, node: ast.AST) -> str:
        text = ast.get_source_segment(self.source, node) or ast.unparse(node)
        text = " ".join(text.split())
        return text if len(text) <= 80 else text[:77] + "..."

    def error(self, node: ast.AST, key: str, fix: Msg | None = None,
              argument: str | None = None, **values: Any) -> ShapeError:
        return ShapeError(Msg(key, values), fix=fix, argument=argument,
                          line=getattr(node, "lineno", None))

    def unreadable(self, node: ast.AST) -> ShapeError:
        return self.error(node, "code.unreadable", code=self.code(node))

    def dotted(self, node: ast.AST) -> list[str] | None:
        """``tf.keras.layers.Dense`` → ["tensorflow", "keras", "layers", "Dense"] (imports
        resolved), or None if the node is not a dotted name."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        root = node.id
        if root in self.env:
            return None
        parts.append(root)
        parts.reverse()
        if root in self.aliases:
            parts = [*self.aliases[root].split("."), *parts[1:]]
        return parts

    def keras_name(self, node: ast.AST) -> str | None:
        """The class or function name if ``node`` names something in Keras: a bare name,
        or a dotted path through keras/tensorflow modules (imports resolved)."""
        parts = self.dotted(node)
        if parts is None:
            return None
        *path, name = parts
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        imported = isinstance(root, ast.Name) and root.id in self.aliases
        if not path or path[0] in ("keras", "tensorflow", "tf_keras"):
            return None if imported and not path else name
        if not imported and all(p in KERAS_PARTS for p in path):
            return name  # layers.Dense, tf.keras.Sequential, … without their imports
        return None

    def lookup(self, node: ast.Name) -> Value:
        if node.id in self.env:
            value = self.env[node.id]
            if isinstance(value, Unreadable):
                raise value.error.located(line=node.lineno) if value.error.line is None \
                    else value.error
            return value
        raise self.error(node, "code.unknown_variable", name=node.id,
                         fix=Msg("code.fix.write_value"))

    def parameters(self, args: ast.arguments) -> None:
        """A function's parameters: those with a written-out default are known values
        (``def build_model(units=4)``), the others cannot be read."""
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        pairs = [*zip(positional, [*defaults, *args.defaults], strict=True),
                 *zip(args.kwonlyargs, args.kw_defaults, strict=True)]
        for arg, default in pairs:
            try:
                if default is None:
                    raise self.error(arg, "code.unknown_variable", name=arg.arg,
                                     fix=Msg("code.fix.write_value"))
                self.env[arg.arg] = Const(self.literal(default))
            except ShapeError as err:
                self.env[arg.arg] = Unreadable(err)

    # --- statements ------------------------------------------------------------------
    def run(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    self.aliases[root] = root
        elif isinstance(stmt, ast.ImportFrom):
            module = stmt.module or ""
            for alias in stmt.names:
                if alias.name == "*":
                    self.star_modules.append(module)
                else:
                    self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            value_node = stmt.value
            if value_node is None:
                return
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = self.assigned(value_node)
            for target in targets:
                self.bind(target, value, value_node)
        elif isinstance(stmt, ast.AugAssign):
            self.bind(stmt.target, Unreadable(self.unreadable(stmt)), stmt)
        elif isinstance(stmt, ast.Expr):
            self.expression_statement(stmt.value)
        elif isinstance(stmt, ast.Return) and stmt.value is not None:
            value = self.assigned(stmt.value)  # return keras.Sequential([...]) in a function
            if isinstance(value, Tensor):
                self.last_tensor = value
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            self.run(stmt.body)
        elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            self.functions.append(stmt)
        elif (isinstance(stmt, ast.If | ast.For | ast.AsyncFor | ast.While | ast.Try)
              and self.changes_model(stmt)):
            kind = {ast.If: "if", ast.For: "for", ast.AsyncFor: "for", ast.While: "while",
                    ast.Try: "try"}[type(stmt)]
            raise self.error(stmt, "code.statement", kind=kind)
        # Anything else (return, pass, class definitions, …) does not build the model.

    def touches_model(self, stmt: ast.AST) -> bool:
        """Whether a statement we do not read refers to the model being built."""
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(
                    self.env.get(node.id), SequentialModel | Tensor | LayerCall):
                return True
            if isinstance(node, ast.Call):
                name = self.keras_name(node.func)
                if name is not None and (name in LAYER_TYPES or name in (
                        "Sequential", "Model", "Input", "InputLayer")):
                    return True
        return False

    def changes_model(self, stmt: ast.AST) -> bool:
        """Whether a statement we do not read builds or changes a model (a loop adding
        layers), as opposed to one that only uses it (a training loop)."""
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr in ("add", "pop", "build")
                    and isinstance(func.value, ast.Name)
                    and isinstance(self.env.get(func.value.id), SequentialModel)):
                return True
            if self.builds_model(node):
                return True
        return False

    def bind(self, target: ast.AST, value: Value, node: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
            if isinstance(value, Tensor):
                self.last_tensor = value
                if value.var is None:
                    value.var = target.id
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind(element, Unreadable(self.unreadable(node)), node)
        # Attributes and subscripts (self.x = ..., d["k"] = ...) are not tracked.

    def assigned(self, node: ast.expr) -> Value:
        """The value of an assignment's right-hand side; what cannot be read is kept as
        :class:`Unreadable` (an error when used) unless it involves the model."""
        try:
            return self.evaluate(node)
        except ShapeError as err:
            if self.builds_model(node):
                raise
            return Unreadable(err)

    def builds_model(self, node: ast.AST) -> bool:
        """Whether an expression makes a layer, an input, a model or a tensor (as opposed
        to ``history = model.fit(...)`` or ``x = np.zeros(...)``)."""
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if isinstance(func, ast.Call):
            return True
        if isinstance(func, ast.Name) and isinstance(
                self.env.get(func.id), LayerCall | SequentialModel | FunctionalModel):
            return True
        name = self.keras_name(func)
        if name is not None and (name in LAYER_TYPES or name in (
                "Sequential", "Model", "Functional", "Input", "InputLayer")):
            return True
        return any(self.is_tensor_expr(a) for a in [*node.args, *self.list_items(node.args)])

    def expression_statement(self, node: ast.expr) -> None:
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            if isinstance(node, ast.Call):
                self.evaluate_ignoring(node)
            return
        method = node.func.attr
        owner = node.func.value
        target = self.env.get(owner.id) if isinstance(owner, ast.Name) else None
        if isinstance(target, FunctionalModel) and method in ("add", "pop", "build"):
            raise self.unreadable(node)
        if (isinstance(owner, ast.Name) and (target is None or isinstance(target, Unreadable))
                and method == "add" and node.args):
            # model.add(...) with no Sequential(...) in the pasted code: start one.
            target = SequentialModel(node)
            self.env[owner.id] = target
            self.models.append(target)
        if isinstance(target, SequentialModel):
            if method == "add":
                self.no_star(node)
                if len(node.args) != 1:
                    raise self.unreadable(node)
                self.sequential_add(target, node.args[0])
            elif method == "pop":
                if not target.items:
                    raise self.error(node, "code.pop_empty")
                target.items.pop()
            elif method == "build":
                self.no_star(node)
                shape_node = node.args[0] if node.args else next(
                    (k.value for k in node.keywords if k.arg == "input_shape"), None)
                if shape_node is None:
                    return
                spec = InputSpec(node.lineno)
                spec.values["batch_shape"] = self.literal(shape_node)
                spec.nodes["batch_shape"] = shape_node
                target.build = spec
            # compile, fit, summary, save, … do not change the architecture.
        elif isinstance(node, ast.Call):
            self.evaluate_ignoring(node)

    def evaluate_ignoring(self, node: ast.Call) -> None:
        """A call whose result is thrown away: a layer applied to a tensor still counts
        as the latest tensor (``Dense(1)(x)`` at the end of a snippet), anything else is
        ignored (print, model.summary(), …)."""
        if isinstance(node.func, ast.Call | ast.Name) and self.touches_model(node):
            try:
                value = self.evaluate(node)
            except ShapeError:
                return
            if isinstance(value, Tensor):
                self.last_tensor = value

    def no_star(self, node: ast.Call) -> None:
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.error(arg, "code.star_args", code=self.code(arg))
        for kw in node.keywords:
            if kw.arg is None:
                raise self.error(kw.value, "code.star_args", code="**" + self.code(kw.value))

    # --- expressions -----------------------------------------------------------------
    def literal(self, node: ast.AST) -> Any:
        """A written-out value: literals, and lists/tuples/dicts of them."""
        if isinstance(node, ast.Name):
            value = self.lookup(node)
            if isinstance(value, Const):
                return value.value
            raise self.error(node, "code.unknown_variable", name=node.id,
                             fix=Msg("code.fix.write_value"))
        if isinstance(node, ast.Attribute):
            parts = self.dotted(node)
            if parts is not None and parts[-1] in DTYPES:
                return parts[-1]  # tf.float32, np.int32, …
            if parts is not None and len(parts) > 1 and (
                    "activations" in parts or parts[-2] == "nn"):
                return parts[-1]  # tf.nn.relu, keras.activations.relu → "relu"
        if isinstance(node, ast.Tuple | ast.List) and not all(
                isinstance(e, ast.Constant | ast.UnaryOp) for e in node.elts):
            items = [self.literal(e) for e in node.elts]
            return tuple(items) if isinstance(node, ast.Tuple) else items
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            raise self.unreadable(node) from None

    def evaluate(self, node: ast.AST) -> Value:
        if isinstance(node, ast.Name):
            return self.lookup(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.List | ast.Tuple):
            try:
                return Const(self.literal(node))
            except ShapeError:
                return ListVal([self.evaluate(e) for e in node.elts], node)
        return Const(self.literal(node))

    def call(self, node: ast.Call) -> Value:
        func = node.func
        name = self.keras_name(func)
        if name is None:
            if not (isinstance(func, ast.Call)
                    or (isinstance(func, ast.Name) and func.id in self.env)):
                raise self.unreadable(node)
            callee = self.evaluate(func)
            if isinstance(callee, LayerCall):
                return self.apply(callee, node)
            if isinstance(callee, SequentialModel | FunctionalModel):
                raise self.error(node, "code.nested_model", code=self.code(func))
            raise self.unreadable(node)
        self.no_star(node)
        if name == "Sequential":
            return self.sequential(node)
        if name in ("Model", "Functional"):
            return self.functional(node)
        if name == "Input":
            return self.tensor(node, input=self.input_spec(node, INPUT_ARGS))
        if name == "InputLayer":
            return self.tensor(node, input=self.input_spec(node, INPUT_LAYER_ARGS))
        if name in LAYER_TYPES:
            return self.layer_call(LAYER_TYPES[name], node)
        if name in MERGE_FUNCTIONS and node.args:
            # layers.concatenate([a, b], axis=1): Concatenate(axis=1)([a, b])
            call = self.layer_call(MERGE_FUNCTIONS[name], node, node.args[1:])
            return self.apply_to(call, node, node.args[0])
        tensors = [a for a in node.args if self.is_tensor_expr(a)]
        if tensors or any(self.is_tensor_expr(a) for a in self.list_items(node.args)):
            raise self.error(node, "code.tensor_call", code=self.code(func))
        if name[:1].isupper():
            raise self.unknown_layer(func, name)
        raise self.unreadable(node)

    def list_items(self, nodes: list[ast.expr]) -> list[ast.expr]:
        out: list[ast.expr] = []
        for n in nodes:
            if isinstance(n, ast.List | ast.Tuple):
                out += n.elts
        return out

    def is_tensor_expr(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and isinstance(self.env.get(node.id), Tensor)

    def unknown_layer(self, node: ast.AST, name: str) -> ShapeError:
        close = difflib.get_close_matches(name, list(LAYER_TYPES), n=1)
        fix = (Msg("code.fix.layer_types", {"suggestion": close[0]}) if close else
               Msg("code.fix.known_layers", {"names": ", ".join(LAYER_TYPES)}))
        return self.error(node, "code.unknown_layer", fix=fix, name=name)

    def layer_call(self, cls: type[Layer], node: ast.Call,
                   positional: list[ast.expr] | None = None) -> LayerCall:
        own = {p.name for p in cls.all_params()}
        args: list[tuple[Any, ast.AST]] = [
            (self.argument(a), a) for a in (node.args if positional is None else positional)]
        kwargs: dict[str, tuple[Any, ast.AST]] = {}
        name: tuple[Any, ast.AST] | None = None
        spec: InputSpec | None = None
        for kw in node.keywords:
            assert kw.arg is not None  # no_star checked
            if kw.arg == "name":
                name = (self.literal(kw.value), kw.value)
            elif kw.arg in INPUT_KWARGS and kw.arg not in own:
                spec = spec or InputSpec(node.lineno)
                spec.values[kw.arg] = self.literal(kw.value)
                spec.nodes[kw.arg] = kw.value
            elif kw.arg in DROPPED_KWARGS and kw.arg not in own:
                self.literal(kw.value)  # must still be readable
            else:
                kwargs[kw.arg] = (self.argument(kw.value), kw.value)
        return LayerCall(cls, node, args, kwargs, name, spec)

    def keras_object(self, node: ast.Call) -> dict[str, Any] | None:
        """``regularizers.l2(0.01)``, ``keras.initializers.HeNormal(seed=1)``, … as the
        ``{"class_name": ..., "config": {...}}`` form Keras accepts for such arguments
        (``None`` if the call is not one of these)."""
        parts = self.dotted(node.func)
        if parts is None or len(parts) < 2 or parts[-2] not in OBJECT_MODULES:
            return None
        name = parts[-1]
        class_name = name if name[:1].isupper() else "".join(
            p.capitalize() for p in name.split("_"))
        self.no_star(node)
        positional = POSITIONAL_CONFIG.get(class_name, ())
        if len(node.args) > len(positional):
            raise self.error(node, "code.object_keywords", code=self.code(node))
        config = {key: self.literal(arg) for key, arg in zip(positional, node.args,
                                                               strict=False)}
        for kw in node.keywords:
            assert kw.arg is not None
            config[kw.arg] = self.literal(kw.value)
        return {"class_name": class_name, "config": config}

    def argument(self, node: ast.AST) -> Any:
        """A layer argument: a written-out value, a layer (for wrappers), or an
        initializer/regularizer/constraint call (as its config)."""
        if isinstance(node, ast.Call):
            obj = self.keras_object(node)
            if obj is not None:
                return obj
            value = self.evaluate(node)
            if isinstance(value, LayerCall):
                return value
            raise self.unreadable(node)
        if isinstance(node, ast.Name):
            value = self.lookup(node)
            if isinstance(value, LayerCall):
                return value
            if isinstance(value, Const):
                return value.value
            raise self.unreadable(node)
        return self.literal(node)

    def input_spec(self, node: ast.Call, order: tuple[str, ...]) -> InputSpec:
        spec = InputSpec(node.lineno)
        given: list[tuple[str, ast.AST]] = []
        for key, arg in zip(order, node.args, strict=False):
            given.append((key, arg))
        if len(node.args) > len(order):
            raise self.unreadable(node)
        for kw in node.keywords:
            assert kw.arg is not None
            given.append((kw.arg, kw.value))
        for key, value_node in given:
            value = self.literal(value_node)
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
        """``layer(x)`` or ``layer([a, b])``: a layer called on a tensor or a list."""
        args = list(node.args)
        for kw in node.keywords:
            if kw.arg in MODEL_CALL_KWARGS:
                continue
            if kw.arg == "inputs" and not args:
                args.append(kw.value)
                continue
            raise self.error(kw.value, "code.unsupported_argument", argument=kw.arg or "**",
                             code=self.code(kw.value))
        if len(args) != 1:
            raise self.error(node, "code.not_tensor", code=self.code(node))
        return self.apply_to(layer, node, args[0])

    def apply_to(self, layer: LayerCall, node: ast.Call, arg_node: ast.AST) -> Tensor:
        arg = self.evaluate(arg_node)
        if isinstance(arg, ListVal):
            elements = (arg.node.elts if isinstance(arg.node, ast.List | ast.Tuple)
                        else [arg_node] * len(arg.items))
            for item, item_node in zip(arg.items, elements, strict=True):
                if not isinstance(item, Tensor):
                    raise self.error(item_node, "code.not_tensor", code=self.code(item_node))
            if len(arg.items) == 1 and not layer.cls.takes_list:
                arg = arg.items[0]  # Dense(4)([x]) is Dense(4)(x)
            else:
                layer.uses += 1
                return self.tensor(node, layer=layer, parents=list(arg.items), as_list=True)
        if not isinstance(arg, Tensor):
            raise self.error(arg_node, "code.not_tensor", code=self.code(arg_node))
        layer.uses += 1
        return self.tensor(node, layer=layer, parents=[arg])

    def sequential(self, node: ast.Call) -> SequentialModel:
        model = SequentialModel(node)
        items_node: ast.AST | None = node.args[0] if node.args else None
        for kw in node.keywords:
            if kw.arg == "layers":
                items_node = kw.value
            elif kw.arg == "name":
                model.name = self.literal(kw.value)
            elif kw.arg == "trainable":
                self.literal(kw.value)
            else:
                raise self.error(kw.value, "code.unsupported_argument", argument=kw.arg,
                                 code=self.code(kw.value))
        if len(node.args) > 2:  # Sequential(layers, trainable, name)
            model.name = self.literal(node.args[2])
        if items_node is not None:
            items = self.evaluate(items_node)
            if isinstance(items, Const) and items.value is None:
                items = ListVal([], items_node)
            if not isinstance(items, ListVal):
                if isinstance(items, Const) and items.value == []:
                    items = ListVal([], items_node)
                else:
                    raise self.unreadable(items_node)
            elements = (items.node.elts if isinstance(items.node, ast.List | ast.Tuple)
                        else [items_node] * len(items.items))
            for item, item_node in zip(items.items, elements, strict=True):
                self.sequential_add(model, item_node, item)
        self.models.append(model)
        return model

    def sequential_add(self, model: SequentialModel, node: ast.AST,
                       value: Value = None) -> None:
        if value is None:
            value = self.evaluate(node)
        if isinstance(value, Tensor) and value.input is not None:
            if model.input is not None:
                raise self.error(node, "code.input_twice", first=model.input.line)
            if model.items:
                raise self.error(node, "code.input_not_first", count=len(model.items))
            model.input = value.input
            return
        if not isinstance(value, LayerCall):
            if isinstance(value, SequentialModel | FunctionalModel):
                raise self.error(node, "code.nested_model", code=self.code(node))
            raise self.error(node, "code.not_layer", code=self.code(node))
        if value in model.items:
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
        inputs_node: ast.AST | None = node.args[0] if node.args else None
        outputs_node: ast.AST | None = node.args[1] if len(node.args) > 1 else None
        name = None
        for kw in node.keywords:
            if kw.arg == "inputs":
                inputs_node = kw.value
            elif kw.arg == "outputs":
                outputs_node = kw.value
            elif kw.arg == "name":
                name = self.literal(kw.value)
            elif kw.arg == "trainable":
                self.literal(kw.value)
            else:
                raise self.error(kw.value, "code.unsupported_argument", argument=kw.arg,
                                 code=self.code(kw.value))
        if inputs_node is None or outputs_node is None:
            raise self.unreadable(node)
        inputs = self.tensor_list(inputs_node)
        for tensor, tensor_node in inputs:
            if tensor.input is None:
                raise self.error(tensor_node, "code.model_input", code=self.code(tensor_node))
        for k, (tensor, tensor_node) in enumerate(inputs):
            if any(tensor is other for other, _ in inputs[:k]):
                raise self.error(tensor_node, "code.input_listed_twice",
                                 code=self.code(tensor_node))
        outputs = self.tensor_list(outputs_node)
        model = FunctionalModel(node, [t for t, _ in inputs], [t for t, _ in outputs], name)
        self.models.append(model)
        return model

    def tensor_list(self, node: ast.AST) -> list[tuple[Tensor, ast.AST]]:
        """``x`` or ``[a, b]`` (a list or tuple of tensors), with each one's node."""
        value = self.evaluate(node)
        if isinstance(value, Const) and isinstance(value.value, dict):
            raise self.unreadable(node)
        if isinstance(value, ListVal):
            elements = (value.node.elts if isinstance(value.node, ast.List | ast.Tuple)
                        else [node] * len(value.items))
            pairs = list(zip(value.items, elements, strict=True))
        else:
            pairs = [(value, node)]
        if not pairs:
            raise self.error(node, "code.not_tensor", code=self.code(node))
        out: list[tuple[Tensor, ast.AST]] = []
        for item, item_node in pairs:
            if not isinstance(item, Tensor):
                raise self.error(item_node, "code.not_tensor", code=self.code(item_node))
            out.append((item, item_node))
        return out


# --- building the model ------------------------------------------------------------------

def _auto_name(cls: type[Layer], before: list[Layer]) -> str:
    """The automatic name Keras would give a layer of ``cls`` after ``before``."""
    prefix = cls.auto_name_prefix()
    count = 0

    def visit(layer: Layer) -> None:
        nonlocal count
        for inner in layer.inner_layers():
            visit(inner)
        if layer.name is None and layer.auto_name_prefix() == prefix:
            count += 1

    for layer in before:
        visit(layer)
    return prefix if count == 0 else f"{prefix}_{count}"


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
    display = name_value if isinstance(name_value, str) and name_value else _auto_name(
        cls, before)

    def located(err: ShapeError, argument: str | None = None) -> ShapeError:
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
    if dtype not in DTYPES:
        node = spec.nodes.get("dtype")
        raise ShapeError(Msg("input.bad_dtype", {"received": describe(dtype)}),
                         argument="dtype", line=getattr(node, "lineno", spec.line))
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
    return Model(built_layers, input_shape=shape, batch_size=batch, input_dtype=dtype,
                 name=model_name)


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
    for tensor in entries:
        if (tensor.as_list or len(tensor.parents) != 1 or tensor.parents[0] is not previous
                or tensor.layer is None or any(tensor.layer is c for c in calls)):
            return None
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
    return Model(layers, inputs=inputs, outputs=outputs, name=model_name)


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


def from_keras_code(source: str) -> Model:
    """A :class:`Model` from pasted Keras code, read with :mod:`ast` (never executed).

    The last model the code builds is returned: a ``Sequential`` (list or ``add`` calls)
    or a functional ``Model(inputs, outputs)`` graph (or, without a ``Model(...)`` call,
    the graph ending at the last tensor, from the inputs it uses). Raises :class:`ShapeError`
    with ``.line`` for anything it cannot read; errors in layer arguments also name the
    layer index, its name and the argument.
    """
    if not isinstance(source, str):
        raise ShapeError(Msg("param.received", {"expected": "Python source code (a string)",
                                                "received": describe(source)}))
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        detail = err.msg
        raise ShapeError(Msg("code.syntax", {"detail": detail}), line=err.lineno) from None
    except (ValueError, RecursionError, MemoryError) as err:  # null bytes, deep nesting
        raise ShapeError(Msg("code.syntax", {"detail": type(err).__name__})) from None
    reader = _Reader(source)
    reader.run(tree.body)
    if not reader.models and reader.last_tensor is None:
        # def build_model(): ... return model — read the last function that builds one.
        for func in reversed(reader.functions):
            inner = _Reader(source)
            inner.aliases = dict(reader.aliases)
            inner.env = {k: v for k, v in reader.env.items() if isinstance(v, Const)}
            if not inner.touches_model(func):
                continue
            inner.parameters(func.args)
            inner.run(func.body)
            if inner.models or inner.last_tensor is not None:
                reader = inner
                break
    if reader.models:
        return _assemble(reader, reader.models[-1])
    if reader.last_tensor is not None and reader.last_tensor.layer is not None:
        return _assemble(reader, _chain_model(reader, reader.last_tensor))
    raise ShapeError(Msg("code.no_model"), line=None)
