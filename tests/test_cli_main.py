"""``python -m shapewidget``: summary and draw, with good and bad files."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = {"input_shape": [3], "layers": [{"type": "Dense", "units": 4},
                                       {"type": "Dense", "units": 4},
                                       {"type": "Dense", "units": 1}]}
BROKEN = {"input_shape": [3], "layers": [{"type": "Dense", "units": 4},
                                         {"type": "Dense", "units": 2, "name": "dense"}]}
KERAS_CODE = """\
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(3,)),
    layers.Dense(4, activation="relu"),
    layers.Dense(1),
])
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "shapewidget", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")
    return path


def test_cli_summary_json_prints_table(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "seed.json", SEED)))
    assert out.returncode == 0, out.stderr
    assert "dense_2 (Dense)" in out.stdout and "(None, 1)" in out.stdout
    assert "41" in out.stdout  # total parameters


def test_cli_summary_japanese(tmp_path: Path) -> None:
    out = run("--lang", "ja", "summary", str(write(tmp_path, "seed.json", SEED)))
    assert out.returncode == 0 and "出力の形" in out.stdout


def test_cli_summary_lang_after_subcommand(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "seed.json", SEED)), "--lang", "ja")
    assert out.returncode == 0 and "出力の形" in out.stdout


def test_cli_summary_markdown(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "seed.json", SEED)), "--format", "markdown")
    assert out.returncode == 0 and "| 0 | dense (Dense) |" in out.stdout


def test_cli_summary_invalid_model_prints_error_and_fails(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "bad.json", BROKEN)))
    assert out.returncode == 1
    assert "Layer 1 'dense' (Dense)" in out.stderr and "already used" in out.stderr


def test_cli_summary_invalid_model_error_in_japanese(tmp_path: Path) -> None:
    out = run("--lang", "ja", "summary", str(write(tmp_path, "bad.json", BROKEN)))
    assert out.returncode == 1 and "すでに使っています" in out.stderr


def test_cli_summary_bad_layer_argument_fails(tmp_path: Path) -> None:
    spec = {"input_shape": [3], "layers": [{"type": "Dense", "units": -4}]}
    out = run("summary", str(write(tmp_path, "bad.json", spec)))
    assert out.returncode == 1 and "units" in out.stderr and "-4" in out.stderr


def test_cli_summary_missing_file_fails(tmp_path: Path) -> None:
    out = run("summary", str(tmp_path / "nope.json"))
    assert out.returncode == 2 and "cannot read" in out.stderr


def test_cli_summary_malformed_json_fails(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "bad.json", '{"input_shape": [3],')))
    assert out.returncode == 2 and "not valid JSON" in out.stderr


def test_cli_draw_writes_svg(tmp_path: Path) -> None:
    target = tmp_path / "net.svg"
    out = run("draw", str(write(tmp_path, "seed.json", SEED)), "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert ET.parse(target).getroot().tag.endswith("svg")


def test_cli_draw_writes_png_with_theme(tmp_path: Path) -> None:
    target = tmp_path / "net.png"
    out = run("draw", str(write(tmp_path, "seed.json", SEED)), "-o", str(target),
              "--theme", "projector", "--weights")
    assert out.returncode == 0 and target.read_bytes()[:4] == b"\x89PNG"


def test_cli_draw_invalid_model_still_draws_and_fails(tmp_path: Path) -> None:
    target = tmp_path / "net.png"
    out = run("draw", str(write(tmp_path, "bad.json", BROKEN)), "-o", str(target))
    assert out.returncode == 1 and target.exists() and "already used" in out.stderr


def test_cli_draw_unknown_extension_fails(tmp_path: Path) -> None:
    out = run("draw", str(write(tmp_path, "seed.json", SEED)), "-o", str(tmp_path / "n.gif"))
    assert out.returncode == 2 and ".png, .svg or .pdf" in out.stderr


@pytest.mark.skipif(importlib.util.find_spec("shapewidget.codeparse") is None,
                    reason="Keras code reader not available yet")
def test_cli_summary_keras_code(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "model.py", KERAS_CODE)))
    assert out.returncode == 0, out.stderr
    assert "(None, 4)" in out.stdout and "(None, 1)" in out.stdout


@pytest.mark.skipif(importlib.util.find_spec("shapewidget.codeparse") is None,
                    reason="Keras code reader not available yet")
def test_cli_summary_bad_keras_code_fails(tmp_path: Path) -> None:
    code = KERAS_CODE.replace("layers.Dense(1)", "layers.Conv2D(8, 3)")
    out = run("summary", str(write(tmp_path, "model.py", code)))
    assert out.returncode == 1 and "Conv2D" in out.stderr and "rank" in out.stderr


@pytest.mark.skipif(importlib.util.find_spec("shapewidget.codeparse") is None,
                    reason="Keras code reader not available yet")
def test_cli_draw_keras_code_writes_pdf(tmp_path: Path) -> None:
    target = tmp_path / "net.pdf"
    out = run("draw", str(write(tmp_path, "model.py", KERAS_CODE)), "-o", str(target))
    assert out.returncode == 0 and target.read_bytes()[:5] == b"%PDF-"
