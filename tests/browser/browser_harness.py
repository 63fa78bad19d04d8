"""Start JupyterLab, Voila and headless Chromium for the browser tests and the benchmark.

Follows ``BROWSER_TESTING.md``: everything on 127.0.0.1 with a free port and a token;
every Jupyter and matplotlib folder in a temporary directory (nothing is written to
$HOME); Chromium is the system one (``/usr/bin/chromium``) driven through the PyPI
``playwright`` package; every process started is stopped by its pid, its descendants
(kernels) too, and a watchdog stops them all if a run hangs.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import site
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
FIRST_TUTORIAL = "01_units_and_neurons.ipynb"
ARTIFACTS = REPO / "artifacts" / "browser"
CHROMIUM = os.environ.get("SHAPEWIDGET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
# Settings every JupyterLab started here gets (app-level overrides.json): no news
# pop-up, no update check, and every cell attached to the page (no windowing), so
# that what a test looks for is in the DOM.
LAB_OVERRIDES: dict[str, Any] = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The servers are started through this launcher, which asks Linux to send it SIGTERM when
# the test process dies (PR_SET_PDEATHSIG, kept across exec) and then becomes the server.
# Done in the child itself: a ``preexec_fn`` makes subprocess call os.fork(), which JAX
# (imported by the tests in the same worker) warns against.
_DIE_WITH_PARENT = """\
import ctypes, os, signal, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
except (OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)  # the test process is already gone
os.execv(sys.argv[2], sys.argv[2:])
"""


def die_with_parent(argv: list[str]) -> list[str]:
    """``argv`` run so that it gets SIGTERM when this process dies (Linux)."""
    return [sys.executable, "-c", _DIE_WITH_PARENT, str(os.getpid()), *argv]


def _start_time(pid: int) -> str | None:
    """The start time of a live process (None once it has exited, zombies included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def descendants(pid: int) -> list[tuple[int, str | None]]:
    """(pid, start time) of every process below ``pid`` (kernels of a server)."""
    found: list[tuple[int, str | None]] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                for child in children.read_text().split():
                    found.append((int(child), _start_time(int(child))))
                    todo.append(int(child))
    return found


def isolated_env(tmp: Path) -> dict[str, str]:
    """The environment for servers and kernels: every config/data/cache folder in ``tmp``."""
    dirs = {
        "JUPYTER_CONFIG_DIR": "jupyter-config", "JUPYTER_DATA_DIR": "jupyter-data",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime", "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib", "JUPYTERLAB_SETTINGS_DIR": "lab-user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
    }
    env = dict(os.environ)
    for var, name in dirs.items():
        (tmp / name).mkdir(parents=True, exist_ok=True)
        env[var] = str(tmp / name)
    # The kernel imports this checkout's shapewidget even when it is not installed.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    # Anything that still writes to ~ writes to the temporary home; packages installed
    # with --user stay importable.
    env["PYTHONUSERBASE"] = os.environ.get("PYTHONUSERBASE", site.getuserbase())
    (tmp / "home").mkdir(exist_ok=True)
    env["HOME"] = str(tmp / "home")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.pop("MPLBACKEND", None)  # the kernel picks its inline backend
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


class Server:
    """A server process with its log; ``stop()`` ends it and its kernels by pid."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], cwd: Path,
                 log: Path) -> None:
        self.name = name
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log_file = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(die_with_parent(argv), env=env, cwd=cwd,
                                     stdout=self._log_file, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid
        self._lock = threading.Lock()
        self._stopped = False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM (servers shut their kernels down), then SIGKILL whatever is left."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            children = descendants(self.pid)
            if self.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                    self.proc.wait(10)
            deadline = time.monotonic() + 5
            for pid, started in children:
                while _start_time(pid) == started and started is not None:
                    if time.monotonic() > deadline:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGKILL)
                        break
                    time.sleep(0.1)
            self._log_file.close()


class Watchdog:
    """Calls ``on_timeout`` (stopping the servers) if the run takes longer than ``seconds``."""

    def __init__(self, seconds: float, on_timeout: Callable[[], None]) -> None:
        self.fired = False

        def fire() -> None:
            self.fired = True
            sys.stderr.write(f"\nbrowser watchdog: {seconds:.0f} s passed, stopping servers\n")
            on_timeout()

        self._timer = threading.Timer(seconds, fire)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()


def _get(url: str, token: str | None = None, timeout: float = 3.0) -> bytes:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


def wait_for_url(server: Server, url: str, token: str | None, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode}:\n"
                               + server.log_tail())
        try:
            _get(url, token)
            return
        except (OSError, urllib.error.URLError) as exc:
            last = exc
        time.sleep(0.25)
    raise RuntimeError(f"{server.name} did not answer {url} in {timeout:.0f} s ({last}):\n"
                       + server.log_tail())


def copy_notebooks(tmp: Path) -> Path:
    """A temporary copy of notebooks/ (the tests may save, nothing touches the originals)."""
    dest = tmp / "notebooks"
    shutil.copytree(NOTEBOOKS, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


class Lab:
    """A JupyterLab server: ``url(path)``, ``kernels()``."""

    def __init__(self, tmp: Path, root: Path, log: Path, timeout: float = 90.0) -> None:
        self.port = free_port()
        self.token = os.urandom(12).hex()
        self.root = root
        env = isolated_env(tmp)
        app_settings = tmp / "lab-app-settings"
        app_settings.mkdir(exist_ok=True)
        (app_settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES))
        argv = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root}", "--ServerApp.terminals_enabled=False",
                f"--LabApp.app_settings_dir={app_settings}",
                "--LabApp.extension_manager=readonly"]
        if os.geteuid() == 0:
            argv.append("--allow-root")
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = Server("JupyterLab", argv, env, root, log)
        try:
            wait_for_url(self.server, f"{self.base}/api/status", self.token, timeout)
        except BaseException:
            self.server.stop()
            raise

    def url(self, path: str) -> str:
        return f"{self.base}/lab/tree/{path}?token={self.token}"

    def kernels(self) -> list[dict[str, Any]]:
        data = json.loads(_get(f"{self.base}/api/kernels", self.token))
        return list(data)

    def stop(self) -> None:
        self.server.stop()


class Voila:
    """A Voila server serving one notebook at ``url``."""

    def __init__(self, tmp: Path, notebook: Path, log: Path, timeout: float = 90.0) -> None:
        self.port = free_port()
        self.token = os.urandom(12).hex()
        env = isolated_env(tmp)
        connections = tmp / "voila-connections"
        connections.mkdir(exist_ok=True)
        argv = [sys.executable, "-m", "voila", str(notebook), "--no-browser",
                "--Voila.ip=127.0.0.1", f"--port={self.port}", f"--token={self.token}",
                f"--Voila.connection_dir_root={connections}",
                "--VoilaConfiguration.show_tracebacks=True"]
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = Server("Voila", argv, env, notebook.parent, log)
        try:
            # Voila has no /api/status: its static script answers once it serves.
            wait_for_url(self.server, f"{self.base}/voila/static/voila.js", self.token,
                         timeout)
        except BaseException:
            self.server.stop()
            raise

    @property
    def url(self) -> str:
        return f"{self.base}/?token={self.token}"

    def stop(self) -> None:
        self.server.stop()


def chromium_env(tmp: Path) -> dict[str, str]:
    """HOME and XDG folders of the browser in ``tmp`` (no ~/.pki, ~/.cache/fontconfig)."""
    home = tmp / "browser-home"
    env = dict(os.environ)
    for var, name in (("HOME", "."), ("XDG_CONFIG_HOME", ".config"),
                      ("XDG_CACHE_HOME", ".cache"), ("XDG_DATA_HOME", ".local/share")):
        (home / name).mkdir(parents=True, exist_ok=True)
        env[var] = str((home / name).resolve())
    return env


def launch_chromium(playwright: Any, tmp: Path) -> Any:
    """Headless system Chromium with a fresh profile in ``tmp`` (a persistent context)."""
    profile = tmp / "chromium-profile"
    profile.mkdir(parents=True, exist_ok=True)
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        env=chromium_env(tmp), viewport={"width": 1400, "height": 1500},
        device_scale_factor=1, timeout=60_000)


@contextlib.contextmanager
def temp_dir(prefix: str = "sw-browser-") -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# --- reading and driving the widget in a page ----------------------------------------
STATE_JS = """(root) => {
  const w = document.querySelector(root);
  if (!w) return null;
  const q = (s) => w.querySelector(s);
  const text = (e) => (e ? e.textContent.replace(/\\s+/g, ' ').trim() : '');
  const status = q('.sw-status');
  const img = q('.sw-diagram img');
  const rows = [...w.querySelectorAll('.sw-layers .sw-layer')];
  const units = rows.map((r) => { const i = r.querySelector('.sw-units input');
                                  return i ? i.value : null; });
  return {
    status: text(status),
    kind: status ? ([...status.classList].find((c) => c.startsWith('sw-status-')) || '') : '',
    table: text(q('.sw-table table')),
    tableError: text(q('.sw-table .shapewidget-error')),
    code: q('.sw-code textarea') ? q('.sw-code textarea').value : '',
    img: img ? (img.getAttribute('src') || '') : '',
    imgWidth: img ? img.naturalWidth : 0,
    imgShownWidth: img ? img.getBoundingClientRect().width : 0,
    rows: rows.length,
    rowClasses: rows.map((r) => [...r.classList].filter((c) => c.startsWith('sw-')).join(' ')),
    outputs: [...w.querySelectorAll('.sw-layer-output')].map(text),
    units: units,
    unitsInvalid: rows.map((r) => !!r.querySelector('.sw-units.sw-invalid')),
    staleViews: !!q('.sw-views.sw-stale'),
    staleDiagram: !!q('.sw-diagram.sw-stale'),
    staleTable: !!q('.sw-table.sw-stale'),
    staleNote: text(q('.sw-stale-note')),
    inputShape: q('.sw-input-shape input') ? q('.sw-input-shape input').value : null,
    inputInvalid: !!q('.sw-input-shape.sw-invalid'),
    inputMessage: text(q('.sw-input-message')),
    undoDisabled: q('.sw-undo') ? q('.sw-undo').disabled : null,
    redoDisabled: q('.sw-redo') ? q('.sw-redo').disabled : null,
  };
}"""

TRACEBACKS_JS = """() => [...document.querySelectorAll(
    '[data-mime-type="application/vnd.jupyter.stderr"]')]
  .map((e) => e.textContent).filter((t) => t.includes('Traceback'))"""

LAB_ROOT = ".jp-Notebook .jp-Cell-outputArea .jp-OutputArea-output .sw-widget"
VOILA_ROOT = ".jp-OutputArea-output .sw-widget"
NEWS_TEXT = "official Jupyter news"

PROMPTS_DONE_JS = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
  return prompts.length > 0 && prompts.every((p) => /\\[\\d+\\]/.test(p.textContent));
}"""


def wait_for_kernel_idle(lab: Lab, timeout: float = 90.0) -> None:
    """The toolbar says Idle before a kernel exists: ask the server."""
    deadline = time.monotonic() + timeout
    kernels: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        try:
            kernels = lab.kernels()
        except OSError:  # a 500 while a kernel is starting (jupyter_server race)
            kernels = []
        if kernels and all(k.get("execution_state") == "idle" for k in kernels):
            return
        time.sleep(0.25)
    raise RuntimeError(f"no idle kernel after {timeout:.0f} s: {kernels}\n"
                       + lab.server.log_tail())


def news_popup(page: Any) -> bool:
    return bool(page.get_by_text(NEWS_TEXT).count())


PROMPTS_STARTED_JS = """() => [...document.querySelectorAll(
  '.jp-Notebook .jp-CodeCell .jp-InputPrompt')].some((p) => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""


def wait_for_notebook_kernel(lab: Any, notebook: str, timeout: float = 90.0) -> None:
    """Until the server has a session for ``notebook`` whose kernel is idle (another
    notebook's idle kernel says nothing about this one's)."""
    deadline = time.monotonic() + timeout
    sessions: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        try:
            sessions = list(json.loads(_get(f"{lab.base}/api/sessions", lab.token)))
        except OSError:  # a 500 while a kernel is starting (jupyter_server race)
            sessions = []
        mine = [s for s in sessions
                if str(s.get("path", "")).rsplit("/", 1)[-1] == notebook.rsplit("/", 1)[-1]]
        if mine and all((s.get("kernel") or {}).get("execution_state") == "idle"
                        for s in mine):
            return
        time.sleep(0.25)
    raise RuntimeError(f"no idle kernel for {notebook} after {timeout:.0f} s: {sessions}\n"
                       + lab.server.log_tail())


def run_all_cells_in_lab(page: Any, lab: Lab, notebook: str, timeout: float = 120.0) -> None:
    """Open ``notebook``, Run → Run All Cells, wait for the widget and for every cell.

    The command is given again if no cell has started a while later: issued while the
    page was still connecting to the new kernel, JupyterLab drops it.
    """
    import re

    page.goto(lab.url(notebook), timeout=timeout * 1000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell",
                           timeout=timeout * 1000)
    wait_for_notebook_kernel(lab, notebook, timeout)
    for attempt in range(3):
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel",
                     has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-content .lm-Menu-itemLabel",
                     has_text=re.compile(r"^Run All Cells$")).click()
        try:
            page.wait_for_function(PROMPTS_STARTED_JS, timeout=20_000)
            break
        except Exception:
            if attempt == 2:
                raise
    page.wait_for_selector(LAB_ROOT, timeout=timeout * 1000)
    page.wait_for_function(PROMPTS_DONE_JS, timeout=timeout * 1000)
    wait_for_kernel_idle(lab, timeout)
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-content .lm-Menu-itemLabel",
                 has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_selector(LAB_ROOT, timeout=timeout * 1000)
    page.wait_for_function(PROMPTS_DONE_JS, timeout=timeout * 1000)
    wait_for_kernel_idle(lab, timeout)
