"""``python -m shapewidget`` on input and output a user can get wrong: exit status 2 and a
message (never a traceback) for what cannot be read or written, 1 for an invalid model, and
a reader that stops early (``| head -1``) ends the output quietly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shapewidget import __main__ as cli

ROOT = Path(__file__).resolve().parents[1]
SEED = {"input_shape": [3], "layers": [{"type": "Dense", "units": 4},
                                       {"type": "Dense", "units": 1}]}
# a long table: more text than a pipe holds, so a reader that stops early breaks the pipe
LONG = {"input_shape": [3], "layers": [{"type": "Dense", "units": 4}] * 3000}


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "shapewidget", *args], capture_output=True,
                          text=True, env=env(), timeout=120)


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content),
                        encoding="utf-8")
    return path


def assert_message_only(out: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in out.stderr
    assert not re.search(r"^\w+(Error|Exception): ", out.stderr, re.MULTILINE), out.stderr
    assert out.stderr.strip(), "a failure says why"


def test_cli_summary_directory_exits_2(tmp_path: Path) -> None:
    out = run("summary", str(tmp_path))
    assert out.returncode == 2 and "is a directory" in out.stderr
    assert_message_only(out)


def test_cli_summary_binary_file_exits_2(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "model.json", b"{\x00\x01\x02\xff")))
    assert out.returncode == 2 and "binary file" in out.stderr
    assert_message_only(out)


def test_cli_summary_non_utf8_file_exits_2(tmp_path: Path) -> None:
    source = "# modèle\nimport keras\n".encode("latin-1")
    out = run("summary", str(write(tmp_path, "model.py", source)))
    assert out.returncode == 2 and "not UTF-8" in out.stderr and "0xe8" in out.stderr
    assert_message_only(out)


def test_cli_summary_utf8_with_bom_reads(tmp_path: Path) -> None:
    path = write(tmp_path, "seed.json", b"\xef\xbb\xbf" + json.dumps(SEED).encode())
    out = run("summary", str(path))
    assert out.returncode == 0, out.stderr
    assert "(None, 1)" in out.stdout


def test_cli_summary_over_size_limit_exits_2(tmp_path: Path) -> None:
    padded = json.dumps(SEED) + " " * cli.MAX_INPUT_BYTES
    out = run("summary", str(write(tmp_path, "big.json", padded)))
    assert out.returncode == 2 and f"{cli.MAX_INPUT_BYTES:,} bytes" in out.stderr
    assert_message_only(out)


def test_cli_summary_at_size_limit_reads(tmp_path: Path) -> None:
    text = json.dumps(SEED)
    path = write(tmp_path, "padded.json", text + " " * (cli.MAX_INPUT_BYTES - len(text)))
    out = run("summary", str(path))
    assert out.returncode == 0, out.stderr


def test_cli_summary_endless_device_exits_2() -> None:
    out = run("summary", "/dev/zero")  # read up to the limit, never to the end
    assert out.returncode == 2 and "limit" in out.stderr


def test_cli_summary_deeply_nested_json_exits_2(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "deep.json", "[" * 200_000 + "]" * 200_000)))
    assert out.returncode == 2 and "nested too deeply" in out.stderr
    assert_message_only(out)


def test_cli_summary_huge_integer_json_exits_2(tmp_path: Path) -> None:
    text = '{"input_shape": [' + "9" * 5000 + '], "layers": []}'
    out = run("summary", str(write(tmp_path, "huge.json", text)))
    assert out.returncode == 2 and "not valid JSON" in out.stderr
    assert_message_only(out)


def test_cli_summary_json_not_an_object_exits_1(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "list.json", [1, 2])))
    assert out.returncode == 1 and "JSON object" in out.stderr
    assert_message_only(out)


def test_cli_summary_error_message_in_japanese(tmp_path: Path) -> None:
    out = run("--lang", "ja", "summary", str(tmp_path))
    assert out.returncode == 2 and "ディレクトリです" in out.stderr


def test_cli_summary_reader_stops_early_no_broken_pipe(tmp_path: Path) -> None:
    path = write(tmp_path, "long.json", LONG)
    proc = subprocess.Popen([sys.executable, "-m", "shapewidget", "summary", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()  # as `| head -1` does, then stop reading
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0
    assert first.startswith(b"Model:")
    assert stderr == ""


def test_cli_summary_piped_to_head_prints_no_error(tmp_path: Path) -> None:
    path = write(tmp_path, "long.json", LONG)
    command = f'"{sys.executable}" -m shapewidget summary "{path}" | head -1'
    out = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True,
                         text=True, env=env(), timeout=120)
    assert out.returncode == 0 and out.stdout.startswith("Model:")
    assert out.stderr == ""


def test_cli_draw_into_missing_directory_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "net.svg"
    out = run("draw", str(write(tmp_path, "seed.json", SEED)), "-o", str(target))
    assert out.returncode == 2 and "cannot write" in out.stderr
    assert "No such file or directory" in out.stderr
    assert_message_only(out)


def test_cli_draw_under_a_file_exits_2(tmp_path: Path) -> None:
    blocker = write(tmp_path, "plain.txt", "not a directory")
    out = run("draw", str(write(tmp_path, "seed.json", SEED)), "-o", str(blocker / "net.png"))
    assert out.returncode == 2 and "cannot write" in out.stderr
    assert_message_only(out)


def test_cli_draw_onto_a_directory_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "net.svg"
    folder.mkdir()
    out = run("draw", str(write(tmp_path, "seed.json", SEED)), "-o", str(folder))
    assert out.returncode == 2 and "cannot write" in out.stderr
    assert_message_only(out)


@pytest.mark.parametrize("dpi", ["0", "-5", "1e9", "nan", "many"])
def test_cli_draw_bad_dpi_is_usage_error(tmp_path: Path, dpi: str) -> None:
    target = tmp_path / "net.png"
    out = run("draw", str(write(tmp_path, "seed.json", SEED)), "-o", str(target), "--dpi", dpi)
    assert out.returncode == 2 and "--dpi must be a number" in out.stderr
    assert not target.exists()


def test_cli_no_arguments_is_usage_error() -> None:
    out = run()
    assert out.returncode == 2 and "usage:" in out.stderr
    assert_message_only(out)


def test_cli_unknown_option_is_usage_error(tmp_path: Path) -> None:
    out = run("summary", str(write(tmp_path, "seed.json", SEED)), "--colour")
    assert out.returncode == 2 and "unrecognized arguments" in out.stderr


def test_cli_help_states_limit_and_exit_status() -> None:
    out = run("--help")
    assert out.returncode == 0
    assert f"{cli.MAX_INPUT_BYTES:,} bytes" in out.stdout and "Exit status" in out.stdout


def test_cli_summary_lone_surrogate_name_no_traceback(tmp_path: Path) -> None:
    text = '{"input_shape": [3], "layers": [{"type": "Dense", "units": 2, "name": "a\\ud800"}]}'
    out = run("summary", str(write(tmp_path, "odd.json", text)))
    assert out.returncode in (0, 1) and "Traceback" not in out.stderr


def test_cli_main_engine_bug_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    def broken(spec: object) -> None:
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(cli.Model, "from_spec", broken)
    status = cli.main(["summary", str(write(tmp_path, "seed.json", SEED))])
    err = capsys.readouterr().err
    assert status == 1
    assert "TypeError: unhashable type" in err and "please report it" in err


def test_cli_summary_keras_code_over_reader_limit_exits_2(tmp_path: Path) -> None:
    from shapewidget.codeparse import MAX_SOURCE

    source = "import keras\n" + "#" * MAX_SOURCE + "\n"
    out = run("summary", str(write(tmp_path, "model.py", source)))
    assert out.returncode == 2 and f"{MAX_SOURCE:,} characters" in out.stderr
    assert_message_only(out)
