"""Playwright in Debian's headless Chromium against a real ``streamlit run`` server.

No browser is ever downloaded: Chromium comes from Debian (``make test`` installs it when
``/usr/bin/chromium`` is missing).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update",
]
SHOTS = ROOT / "tests" / "browser" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A ``streamlit run app.py`` process on a free port with its own database file.

    Every started server is remembered in ``Server.started`` so a failed test's report carries
    the end of each live server's log (``tests/browser/fixtures.py: pytest_runtest_makereport``).
    """

    started: list[Server] = []

    def __init__(self, db: Path, port: int | None = None, root: Path = ROOT) -> None:
        self.db = db
        self.root = root  # the checkout to serve (bench.sessions may compare another one)
        self.port = port or _free_port()
        self.proc: subprocess.Popen | None = None
        self.log = db.parent / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> Server:
        env = dict(os.environ, SYNTHREVIEW_DB=str(self.db), PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=self.root, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        Server.started.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not start: {self.log.read_text()[-2000:]}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)
        if self in Server.started:
            Server.started.remove(self)

    def log_tail(self, chars: int = 6000) -> str:
        """The end of this server's output (its log file), for a failed test's report."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError as exc:
            return f"(no log: {exc})"


def serve_copy(seed: Path, folder: Path) -> Server:
    """Start a server on a private copy (``folder/db/``) of the database file ``seed``."""
    db = folder / "db" / "synthreview.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed, db)
    return Server(db).start()


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/browser/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    # the whole page, not one still drawing below the fold (a heading shows before the rest)
    page.wait_for_function(
        "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
        " return app && app.getAttribute('data-test-script-state') !== 'running'; }",
        timeout=120_000,
    )
    wait_idle(page)
    # Streamlit scrolls inside its main section, so grow the viewport to the content's height.
    size = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 600), 5000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def wait_idle(page, timeout: float = 120_000) -> None:
    """Wait until Streamlit has finished running the script (no 'Running...' status)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout,
    )


def settle(page, start_within_ms: float = 2_000) -> None:
    """Wait for the rerun an action just asked for to start (if it does) and to finish.

    ``wait_idle`` alone can return before the rerun has begun: the server's "running" status
    reaches the page a moment after the action, and the status widget is drawn only after a
    further 500 ms. ``stApp``'s ``data-test-script-state`` follows the server's status at once.
    """
    try:
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='running']",
                               timeout=start_within_ms)
    except PlaywrightTimeout:
        pass  # the rerun was over before it could be seen, or the action asked for none
    page.wait_for_function(
        "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
        " return app && app.getAttribute('data-test-script-state') !== 'running'; }",
        timeout=120_000,
    )
    wait_idle(page)


def main_text(page, chars: int = 3000) -> str:  # noqa: ANN001
    """What the page's main section shows, for an assertion message."""
    try:
        return page.get_by_test_id("stMain").inner_text(timeout=5_000)[:chars]
    except PlaywrightError as exc:
        return f"(could not read the page: {exc})"


def nav(page, label: str) -> None:
    """Click a page in the sidebar and wait for it to draw."""
    page.get_by_test_id("stSidebar").get_by_role("link", name=label, exact=True).click()
    wait_idle(page)


def decide(page, option: str = "Approve", form: str = "column") -> None:  # noqa: ANN001
    """Pick a decision on the Review page: nothing is pre-selected, so a save needs a choice.

    ``form`` is ``"column"`` (the column's form, first on the page) or ``"pair"`` (the pair form
    in its expander, after it).
    """
    groups = page.get_by_role("radiogroup", name="Decision", exact=True)
    group = groups.first if form == "column" else groups.last
    group.get_by_text(option, exact=True).click()
