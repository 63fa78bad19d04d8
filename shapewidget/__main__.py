"""Command line: ``python -m shapewidget summary FILE`` and ``draw FILE -o net.svg``.

FILE is a JSON spec (``.json``) or Python source with Keras code (``.py``, read with
:mod:`ast`, never executed). An invalid model prints the error and exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import ShapeError
from .model import Model
from .text import Lang, Msg, register

register("cli.description", "See the shapes of a Keras-style model.",
         "Keras 形式のモデルの形を表示します。")
register("cli.not_found", "cannot read {path}: {reason}", "{path} を読めません: {reason}")
register("cli.bad_json", "{path} is not valid JSON: {reason}",
         "{path} は正しい JSON ではありません: {reason}")
register("cli.wrote", "wrote {path}", "{path} を書き出しました")
register("cli.bad_output", "cannot write {path}: {reason}", "{path} に書き込めません: {reason}")


def load_model(path: Path) -> Model:
    """A model from a JSON spec or from Keras code (by extension; JSON if it parses)."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as err:
        raise CliError(Msg("cli.not_found", {"path": str(path), "reason": err.strerror})) from None
    if path.suffix.lower() == ".json" or (path.suffix.lower() != ".py"
                                          and source.lstrip().startswith("{")):
        try:
            spec = json.loads(source)
        except json.JSONDecodeError as err:
            raise CliError(Msg("cli.bad_json", {"path": str(path), "reason": str(err)})) from None
        return Model.from_spec(spec)
    return Model.from_keras_code(source)


class CliError(Exception):
    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.render("en"))
        self.msg = msg


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shapewidget",
                                     description=Msg("cli.description").render("en"))
    parser.add_argument("--lang", choices=("en", "ja"), default="en",
                        help="language of the output (en or ja)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_sum = sub.add_parser("summary", help="print the shape table")
    p_sum.add_argument("file", type=Path, help="a JSON spec or a .py file with Keras code")
    p_sum.add_argument("--format", choices=("text", "markdown", "html"), default="text")
    p_sum.add_argument("--explain", action="store_true", help="add each layer's derivation")
    p_sum.add_argument("--lang", choices=("en", "ja"), default=argparse.SUPPRESS)
    p_draw = sub.add_parser("draw", help="write the network drawing (PNG, SVG or PDF)")
    p_draw.add_argument("file", type=Path, help="a JSON spec or a .py file with Keras code")
    p_draw.add_argument("-o", "--output", type=Path, required=True,
                        help="output file; .png, .svg or .pdf")
    p_draw.add_argument("--theme", choices=("light", "dark", "projector"), default="light")
    p_draw.add_argument("--dpi", type=float, default=150)
    p_draw.add_argument("--weights", action="store_true", help="show weight shapes on edges")
    p_draw.add_argument("--bias", action="store_true", help="show the bias as a +1 node")
    p_draw.add_argument("--lang", choices=("en", "ja"), default=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    lang: Lang = "ja" if args.lang == "ja" else "en"
    try:
        model = load_model(args.file)
        if args.command == "summary":
            return _summary(model, args, lang)
        return _draw(model, args, lang)
    except ShapeError as err:
        print(err.message(lang), file=sys.stderr)
        return 1
    except CliError as err:
        print(err.msg.render(lang), file=sys.stderr)
        return 2


def _summary(model: Model, args: argparse.Namespace, lang: Lang) -> int:
    from .render.table import to_html, to_markdown, to_text

    summary = model.analyze()
    if args.format == "markdown":
        print(to_markdown(summary, lang, explain=args.explain))
    elif args.format == "html":
        print(to_html(summary, lang))
    else:
        print(to_text(summary, lang, explain=args.explain))
    if summary.error is not None:
        print(summary.error.message(lang), file=sys.stderr)
        return 1
    return 0


def _draw(model: Model, args: argparse.Namespace, lang: Lang) -> int:
    from .render.export import format_of, save_figure

    summary = model.analyze()
    try:
        format_of(args.output)
        save_figure(summary, args.output, dpi=args.dpi, theme=args.theme, lang=lang,
                    show_weight_shapes=args.weights, show_bias=args.bias)
    except (OSError, ValueError) as err:
        print(Msg("cli.bad_output", {"path": str(args.output), "reason": str(err)})
              .render(lang), file=sys.stderr)
        return 2
    print(Msg("cli.wrote", {"path": str(args.output)}).render(lang))
    if summary.error is not None:
        print(summary.error.message(lang), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
