"""Command line: ``python -m shapewidget summary FILE`` and ``draw FILE -o net.svg``.

FILE is a JSON spec (``.json``) or Python source with Keras code (``.py``, read with
:mod:`ast`, never executed), UTF-8 text of at most :data:`MAX_INPUT_BYTES` bytes.

Exit status: 0 the model is valid (and the drawing was written); 1 the model is invalid
(the error is printed; ``summary`` still prints the rows before it, ``draw`` still draws
them) or shapewidget could not analyse it; 2 a usage error, an input that cannot be read
(missing, a directory, binary, not UTF-8, not valid JSON, too large) or an output that
cannot be written. Every failure is a one-paragraph message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import ShapeError
from .model import Model
from .text import Lang, Msg, register

# A model a person writes is a few KB (ResNet50 as a spec: about 40 KB); 1 MB is some
# 30,000 layers, which the summary still prints in a few seconds.
MAX_INPUT_BYTES = 1_000_000
MIN_DPI, MAX_DPI = 10.0, 600.0

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

register("cli.description", "See the shapes of a Keras-style model.",
         "Keras 形式のモデルの形を表示します。")
register("cli.epilog",
         "Exit status: 0 valid model, 1 invalid model, 2 usage error or unreadable input or "
         "unwritable output. Input: UTF-8 JSON or Python, at most {limit:,} bytes.",
         "終了コード: 0 正しいモデル、1 正しくないモデル、2 使い方の誤り・読めない入力・"
         "書けない出力。入力: UTF-8 の JSON か Python、{limit:,} バイトまで。")
register("cli.not_found", "cannot read {path}: {reason}", "{path} を読めません: {reason}")
register("cli.is_directory", "cannot read {path}: it is a directory; give a .json or .py file",
         "{path} を読めません: ディレクトリです。.json か .py のファイルを指定してください")
register("cli.too_large",
         "cannot read {path}: it is larger than the limit of {limit:,} bytes; a model's JSON "
         "spec or Keras code is normally a few KB",
         "{path} を読めません: 上限の {limit:,} バイトを超えています。モデルの JSON や Keras の"
         "コードはふつう数 KB です")
register("cli.too_large_code",
         "cannot read {path}: Keras code is read up to {limit:,} characters and this file is "
         "longer",
         "{path} を読めません: Keras のコードは {limit:,} 文字まで読めますが、このファイルは"
         "それより長いです")
register("cli.binary",
         "cannot read {path}: it is a binary file (it contains a NUL byte), not a JSON spec or "
         "Python source",
         "{path} を読めません: バイナリファイルです (NUL バイトを含みます)。JSON の仕様か "
         "Python のソースを指定してください")
register("cli.not_utf8",
         "cannot read {path}: it is not UTF-8 text (byte {position} is {byte}); save it as UTF-8",
         "{path} を読めません: UTF-8 のテキストではありません ({position} バイト目が "
         "{byte})。UTF-8 で保存してください")
register("cli.bad_json", "{path} is not valid JSON: {reason}",
         "{path} は正しい JSON ではありません: {reason}")
register("cli.json_too_deep",
         "{path} is not a model spec: its JSON is nested too deeply to read",
         "{path} はモデルの仕様ではありません: JSON の入れ子が深すぎて読めません")
register("cli.internal",
         "shapewidget could not analyse {path} ({kind}: {detail}); this is a bug in "
         "shapewidget, please report it with the file",
         "shapewidget は {path} を解析できませんでした ({kind}: {detail})。shapewidget の"
         "不具合です。ファイルを添えて報告してください")
register("cli.wrote", "wrote {path}", "{path} を書き出しました")
register("cli.bad_output", "cannot write {path}: {reason}", "{path} に書き込めません: {reason}")
register("cli.bad_dpi", "--dpi must be a number from {low:g} to {high:g}, received {received}",
         "--dpi は {low:g} から {high:g} までの数にしてください。受け取った値: {received}")


class CliError(Exception):
    """Input or output the command line cannot use (exit status 2)."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.render("en"))
        self.msg = msg


def read_source(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """The text of ``path``: UTF-8 (a BOM allowed), no NUL byte, at most ``limit`` bytes."""
    where = str(path)
    if path.is_dir():
        raise CliError(Msg("cli.is_directory", {"path": where}))
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)  # never more, whatever the file (or device) holds
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise CliError(Msg("cli.not_found", {"path": where, "reason": reason})) from None
    if len(data) > limit:
        raise CliError(Msg("cli.too_large", {"path": where, "limit": limit}))
    if b"\0" in data:
        raise CliError(Msg("cli.binary", {"path": where}))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CliError(Msg("cli.not_utf8", {"path": where, "position": err.start,
                                            "byte": f"0x{data[err.start]:02x}"})) from None


def load_model(path: Path) -> Model:
    """A model from a JSON spec or from Keras code (by extension; JSON if it parses)."""
    source = read_source(path)
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix != ".py" and source.lstrip().startswith("{")):
        try:
            spec = json.loads(source)
        except RecursionError:
            raise CliError(Msg("cli.json_too_deep", {"path": str(path)})) from None
        except ValueError as err:  # JSONDecodeError, or an integer past Python's digit limit
            raise CliError(Msg("cli.bad_json", {"path": str(path), "reason": str(err)})) from None
        return Model.from_spec(spec)
    from .codeparse import MAX_SOURCE

    if len(source) > MAX_SOURCE:  # the code reader's own limit, in characters
        raise CliError(Msg("cli.too_large_code", {"path": str(path), "limit": MAX_SOURCE}))
    return Model.from_keras_code(source)


def _dpi(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not MIN_DPI <= value <= MAX_DPI:  # NaN fails too
        raise argparse.ArgumentTypeError(Msg("cli.bad_dpi", {
            "low": MIN_DPI, "high": MAX_DPI, "received": text}).render("en"))
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m shapewidget", description=Msg("cli.description").render("en"),
        epilog=Msg("cli.epilog", {"limit": MAX_INPUT_BYTES}).render("en"))
    parser.add_argument("--lang", choices=("en", "ja"), default="en",
                        help="language of the output (en or ja)")
    sub = parser.add_subparsers(dest="command", required=True)
    from .codeparse import MAX_SOURCE

    file_help = ("a JSON spec or a .py file with Keras code "
                 f"(UTF-8, at most {MAX_INPUT_BYTES:,} bytes; Keras code at most "
                 f"{MAX_SOURCE:,} characters)")
    p_sum = sub.add_parser("summary", help="print the shape table")
    p_sum.add_argument("file", type=Path, help=file_help)
    p_sum.add_argument("--format", choices=("text", "markdown", "html"), default="text")
    p_sum.add_argument("--explain", action="store_true", help="add each layer's derivation")
    p_sum.add_argument("--lang", choices=("en", "ja"), default=argparse.SUPPRESS)
    p_draw = sub.add_parser("draw", help="write the network drawing (PNG, SVG or PDF)")
    p_draw.add_argument("file", type=Path, help=file_help)
    p_draw.add_argument("-o", "--output", type=Path, required=True,
                        help="output file; .png, .svg or .pdf")
    p_draw.add_argument("--theme", choices=("light", "dark", "projector"), default="light")
    p_draw.add_argument("--dpi", type=_dpi, default=150.0,
                        help=f"resolution of a PNG ({MIN_DPI:g} to {MAX_DPI:g}; default 150)")
    p_draw.add_argument("--weights", action="store_true", help="show weight shapes on edges")
    p_draw.add_argument("--bias", action="store_true", help="show the bias as a +1 node")
    p_draw.add_argument("--lang", choices=("en", "ja"), default=argparse.SUPPRESS)
    return parser


class _Output:
    """stdout and stderr for one run; a reader that stops early (``| head -1``) ends the
    output quietly instead of raising BrokenPipeError."""

    def __init__(self) -> None:
        self.closed = False

    def out(self, text: str) -> None:
        if self.closed:
            return
        try:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            self.closed = True
            # Python flushes stdout again at exit: point it at /dev/null so that flush
            # cannot fail (as the signal module's documentation recommends).
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                os.close(devnull)
            except (OSError, ValueError, io.UnsupportedOperation):
                pass

    @staticmethod
    def err(text: str) -> None:
        with contextlib.suppress(BrokenPipeError, ValueError):
            print(text, file=sys.stderr, flush=True)


def _tolerant_streams() -> None:
    """Text a model carries (a name with a lone surrogate, say) never stops the output."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # usage errors: a message and exit status 2
    lang: Lang = "ja" if args.lang == "ja" else "en"
    _tolerant_streams()
    io_ = _Output()
    try:
        model = load_model(args.file)
        if args.command == "summary":
            return _summary(model, args, lang, io_)
        return _draw(model, args, lang, io_)
    except ShapeError as err:
        io_.err(err.message(lang))
        return EXIT_INVALID
    except CliError as err:
        io_.err(err.msg.render(lang))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # a bug of shapewidget's: still a message, not a traceback
        detail = str(err)
        detail = detail if len(detail) <= 200 else detail[:200] + "…"
        io_.err(Msg("cli.internal", {"path": str(args.file), "kind": type(err).__name__,
                                     "detail": detail}).render(lang))
        return EXIT_INVALID


def _summary(model: Model, args: argparse.Namespace, lang: Lang, io_: _Output) -> int:
    from .render.table import to_html, to_markdown, to_text

    summary = model.analyze()
    if args.format == "markdown":
        io_.out(to_markdown(summary, lang, explain=args.explain))
    elif args.format == "html":
        io_.out(to_html(summary, lang))
    else:
        io_.out(to_text(summary, lang, explain=args.explain))
    if summary.error is not None:
        io_.err(summary.error.message(lang))
        return EXIT_INVALID
    return EXIT_OK


def _draw(model: Model, args: argparse.Namespace, lang: Lang, io_: _Output) -> int:
    from .render.export import format_of, save_figure

    target: Path = args.output
    try:
        format_of(target)
    except ValueError as err:
        raise CliError(Msg("cli.bad_output", {"path": str(target), "reason": str(err)})) from None
    if target.is_dir():
        raise CliError(Msg("cli.bad_output", {"path": str(target),
                                              "reason": os.strerror(errno.EISDIR)}))
    summary = model.analyze()
    try:
        save_figure(summary, target, dpi=args.dpi, theme=args.theme, lang=lang,
                    show_weight_shapes=args.weights, show_bias=args.bias)
    except OSError as err:
        reason = err.strerror or str(err)
        raise CliError(Msg("cli.bad_output", {"path": str(target), "reason": reason})) from None
    io_.out(Msg("cli.wrote", {"path": str(target)}).render(lang))
    if summary.error is not None:
        io_.err(summary.error.message(lang))
        return EXIT_INVALID
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
