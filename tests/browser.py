"""Headless-Chromium harness for tests (plain helper module, not a test file).

Usage::

    from browser import Browser            # or: from tests.browser import Browser

    with Browser() as b:
        page = b.open(tmp_path / "index.html")          # local file -> file:// URL
        page.wait_for("window.APP_READY === true", timeout=10)
        value = page.eval("return window.APP_STATE;")   # JSON-decoded Python value
        errors = page.console_errors()                  # [] when the page is clean
        page.screenshot(tmp_path / "shot.png")
        secs = page.time_until("window.physicsStable", timeout=30)

Implementation: Selenium driving the Debian packages' ``/usr/bin/chromium``
through ``/usr/bin/chromedriver``; both paths are passed explicitly, so
Selenium Manager is never consulted (``SE_OFFLINE=true`` is set as well).

Networking is disabled for pages: every request is sent to a dead proxy
(``127.0.0.1:9``, loopback included) and all host names resolve to
NOTFOUND, so any http(s)/ws fetch fails quickly with a net:: error.
``file://``, ``data:`` and ``about:`` URLs keep working.

When Chromium, chromedriver or selenium is missing, ``BrowserUnavailable``
is raised; ``launch_or_skip()`` turns that into ``pytest.skip`` (or
``pytest.fail`` when ``CI=true``).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM_BIN = os.environ.get("KJQG_CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER_BIN = os.environ.get("KJQG_CHROMEDRIVER_BIN", "/usr/bin/chromedriver")
ENSURE_HINT = "run scripts/ensure_chromium.sh (installs Debian packages chromium + chromium-driver)"

WINDOW_SIZE = (1400, 900)

BASE_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--mute-audio",
    "--force-device-scale-factor=1",
    # --- networking off for page content ---
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",  # loopback goes through the dead proxy too
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
)


class BrowserError(RuntimeError):
    """Base class for harness errors."""


class BrowserUnavailable(BrowserError):
    """Chromium / chromedriver / selenium is not installed."""


class BrowserStartError(BrowserError):
    """Everything is installed but the browser session could not be started."""


class JSError(BrowserError):
    """A script passed to Page.eval threw (or returned something not JSON-serialisable)."""


class WaitTimeout(BrowserError, TimeoutError):
    """A JS condition did not become truthy within the timeout."""


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def check_available() -> None:
    """Raise BrowserUnavailable (with an actionable message) if anything is missing."""
    missing = [p for p in (CHROMIUM_BIN, CHROMEDRIVER_BIN) if not os.access(p, os.X_OK)]
    if missing:
        raise BrowserUnavailable(f"headless Chromium unavailable: missing {', '.join(missing)}; {ENSURE_HINT}")
    try:
        import selenium  # noqa: F401
    except ImportError as exc:
        raise BrowserUnavailable(
            "headless Chromium unavailable: Python package 'selenium' is not installed "
            "(pip install selenium); then " + ENSURE_HINT
        ) from exc


def launch_or_skip(**kwargs: Any) -> "Browser":
    """Start a Browser for a test; skip (or fail under CI=true) if Chromium is unavailable.

    Typical fixture::

        @pytest.fixture(scope="module")
        def browser():
            with launch_or_skip() as b:
                yield b
    """
    import pytest

    try:
        return Browser(**kwargs)
    except BrowserUnavailable as exc:
        if _ci():
            pytest.fail(f"{exc} (CI=true: browser tests must not be skipped)", pytrace=False)
        pytest.skip(f"{exc}; browser tests are skipped until then")


def _to_url(target: str | os.PathLike) -> str:
    s = os.fspath(target)
    if s.startswith(("file://", "data:", "about:")):
        return s
    if "://" in s:
        raise ValueError(f"only local pages (file://, data:, about:) are supported, got {s!r}")
    p = Path(s).resolve()
    if not p.is_file():
        raise FileNotFoundError(p)
    return p.as_uri()


class Browser:
    """One headless Chromium (one tab). Use as a context manager; close() is idempotent."""

    def __init__(
        self,
        width: int = WINDOW_SIZE[0],
        height: int = WINDOW_SIZE[1],
        extra_args: tuple[str, ...] | list[str] = (),
        page_load_timeout: float = 30.0,
    ) -> None:
        check_available()
        os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager touch the network
        os.environ.setdefault("SE_AVOID_STATS", "true")
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self._driver = None
        self._page: Page | None = None
        self._logbuf: list[dict] = []
        self._tmp = tempfile.mkdtemp(prefix="kjqg-chromium-")
        self._driver_log = os.path.join(self._tmp, "chromedriver.log")
        profile = os.path.join(self._tmp, "profile")

        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM_BIN
        for a in (*BASE_ARGS, f"--window-size={width},{height}", f"--user-data-dir={profile}", *extra_args):
            opts.add_argument(a)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        opts.page_load_strategy = "normal"
        opts.enable_downloads = False
        service = Service(executable_path=CHROMEDRIVER_BIN, log_output=self._driver_log)
        try:
            self._driver = webdriver.Chrome(options=opts, service=service)
            self._driver.set_page_load_timeout(page_load_timeout)
            self._driver.set_script_timeout(30)
            # Headless "window size" may not equal the viewport; pin the viewport exactly.
            self._driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
        except Exception as exc:
            tail = self._read_driver_log_tail()
            self.close()
            raise BrowserStartError(
                f"could not start headless Chromium via {CHROMEDRIVER_BIN}: {type(exc).__name__}: {exc}"
                + (f"\n--- chromedriver log tail ---\n{tail}" if tail else "")
            ) from exc

    # -- lifecycle ---------------------------------------------------------
    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # best effort; prefer `with`
        try:
            self.close()
        except Exception:
            pass

    def close(self) -> None:
        drv, self._driver = getattr(self, "_driver", None), None
        if drv is not None:
            try:
                drv.quit()
            except Exception:
                pass
        tmp = getattr(self, "_tmp", None)
        if tmp:
            self._tmp = None
            shutil.rmtree(tmp, ignore_errors=True)

    @property
    def driver(self):
        """The underlying selenium WebDriver (escape hatch)."""
        if self._driver is None:
            raise BrowserError("browser is closed")
        return self._driver

    def _read_driver_log_tail(self, n: int = 30) -> str:
        try:
            with open(self._driver_log, encoding="utf-8", errors="replace") as fh:
                return "".join(fh.readlines()[-n:])
        except OSError:
            return ""

    # -- pages -------------------------------------------------------------
    def open(self, target: str | os.PathLike, wait_for: str | None = None, timeout: float = 10.0) -> "Page":
        """Navigate the tab to a local file (path or file:// URL); returns a fresh Page.

        Blocks until the load event. Previous Page objects become stale.
        Console log entries of the previous page are discarded.
        """
        url = _to_url(target)
        drv = self.driver
        self._drain_logs()
        self._logbuf.clear()
        drv.get(url)
        self._page = Page(self, url)
        if wait_for:
            self._page.wait_for(wait_for, timeout=timeout)
        return self._page

    def _drain_logs(self) -> list[dict]:
        try:
            entries = self.driver.get_log("browser")
        except Exception:
            entries = []
        self._logbuf.extend(entries)
        return self._logbuf


_EVAL_WRAPPER = """
const __args = Array.prototype.slice.call(arguments);
const __fn = function() {
%s
};
return Promise.resolve().then(() => __fn.apply(window, __args)).then(
  (v) => { try { return {ok: JSON.stringify(v === undefined ? null : v)}; }
           catch (e) { return {err: 'result is not JSON-serialisable: ' + e}; } },
  (e) => ({err: (e && e.stack) ? String(e.stack) : String(e)}));
"""

_COND_WRAPPER = """
let v;
try { v = (
%s
); } catch (e) { return {ok: false, err: String(e)}; }
let j = null;
try { j = JSON.parse(JSON.stringify(v) ?? 'null'); } catch (e) { j = null; }  // value is best effort
return {ok: !!v, value: j};
"""

_WATCH_INSTALL = """
const id = arguments[0], pollMs = arguments[1];
const W = (window.__kjqgWatch = window.__kjqgWatch || {});
const st = W[id] = {t0: performance.now(), t: null, err: null, polls: 0};
const check = (now) => {
  st.polls++;
  let ok = false;
  try { ok = !!(
%s
); st.err = null; } catch (e) { st.err = String(e); }
  if (ok) { st.t = (now === undefined) ? performance.now() : now; return true; }
  return false;
};
/* already true -> exactly 0 */ if (!check(st.t0)) { const h = setInterval(() => { if (check()) clearInterval(h); }, pollMs); st.handle = h; }
return {t0: st.t0};
"""

_WATCH_READ = """
const W = window.__kjqgWatch; const st = W && W[arguments[0]];
if (!st) return {gone: true};
return {t0: st.t0, t: st.t, err: st.err, polls: st.polls};
"""


class Page:
    """The currently loaded page of a Browser."""

    def __init__(self, browser: Browser, url: str) -> None:
        self._b = browser
        self.url = url

    @property
    def driver(self):
        if self._b._page is not self:
            raise BrowserError("stale Page: the browser has navigated to another page since")
        return self._b.driver

    # -- JS ------------------------------------------------------------------
    def _exec(self, script: str, *args: Any, source: str) -> Any:
        """execute_script, turning JS syntax errors etc. into JSError (with the user's source)."""
        from selenium.common.exceptions import JavascriptException

        try:
            return self.driver.execute_script(script, *args)
        except JavascriptException as exc:
            raise JSError(f"{exc.msg}\n--- script ---\n{source}") from exc

    def eval(self, script: str, *args: Any) -> Any:
        """Run a JS function body (use `return ...;`) and return its JSON-decoded result.

        `args` are available as `arguments[i]`. Promises are awaited.
        `undefined` -> None. Raises JSError if the script throws.
        """
        res = self._exec(_EVAL_WRAPPER % script, *args, source=script)  # JSError on syntax errors
        if not isinstance(res, dict) or ("ok" not in res and "err" not in res):
            raise JSError(f"unexpected eval result {res!r}\n--- script ---\n{script}")
        if "err" in res:
            raise JSError(f"{res['err']}\n--- script ---\n{script}")
        return json.loads(res["ok"])

    def check(self, expr: str) -> tuple[bool, Any, str | None]:
        """Evaluate a JS expression once: (truthy, JSON value, error-or-None).

        Runtime errors thrown by `expr` are returned, not raised; a syntax error raises JSError.
        """
        res = self._exec(_COND_WRAPPER % expr, source=expr)
        return bool(res.get("ok")), res.get("value"), res.get("err")

    def wait_for(self, expr: str, timeout: float = 10.0, poll: float = 0.05) -> Any:
        """Poll until the JS expression is truthy; return its (JSON) value.

        Exceptions thrown by the expression count as "not yet" (e.g. `window.app.ready` before
        `app` exists). Raises WaitTimeout, or JSError for a syntax error in `expr`.
        """
        deadline = time.monotonic() + timeout
        while True:
            ok, value, err = self.check(expr)
            if ok:
                return value
            if time.monotonic() >= deadline:
                raise WaitTimeout(self._timeout_msg(expr, timeout, err))
            time.sleep(poll)

    def time_until(self, expr: str, timeout: float = 30.0, poll_ms: int = 10, since: str = "call") -> float:
        """Seconds until the JS expression first becomes truthy, measured with the page clock.

        An in-page watcher evaluates `expr` every `poll_ms` ms (resolution ~poll_ms).
        since="call": from this call (0.0 if already true);
        since="navigation": from navigation start (performance.timeOrigin), i.e. page-load-relative.
        Raises WaitTimeout.
        """
        if since not in ("call", "navigation"):
            raise ValueError("since must be 'call' or 'navigation'")
        wid = f"w{time.monotonic_ns()}"
        drv = self.driver
        self._exec(_WATCH_INSTALL % expr, wid, int(poll_ms), source=expr)
        deadline = time.monotonic() + timeout
        st: dict = {}
        while time.monotonic() < deadline + 0.2:
            st = drv.execute_script(_WATCH_READ, wid)
            if st.get("gone"):
                raise BrowserError("page navigated/reloaded while waiting in time_until")
            if st.get("t") is not None:
                ms = st["t"] - (st["t0"] if since == "call" else 0.0)
                return ms / 1000.0
            time.sleep(0.02)
        drv.execute_script("const s=window.__kjqgWatch[arguments[0]]; if (s && s.handle) clearInterval(s.handle);", wid)
        raise WaitTimeout(self._timeout_msg(expr, timeout, st.get("err")))

    def _timeout_msg(self, expr: str, timeout: float, err: str | None) -> str:
        msg = f"JS condition not true after {timeout}s: {expr}"
        if err:
            msg += f"\n  last evaluation error: {err}"
        errs = self.console_errors()
        if errs:
            msg += "\n  console errors:\n" + "\n".join(f"    {e['message']}" for e in errs[:20])
        return msg

    # -- console -----------------------------------------------------------
    def console_messages(self) -> list[dict]:
        """All browser log entries of this page so far: dicts with level, source, message, timestamp.

        level: SEVERE (console.error, uncaught exceptions, failed resource loads), WARNING, INFO, DEBUG.
        source: 'console-api', 'javascript' (uncaught exceptions), 'network', ...
        """
        self.driver  # stale check
        return [dict(e) for e in self._b._drain_logs()]

    def console_errors(self, include_network: bool = True) -> list[dict]:
        """SEVERE entries: console.error(...), uncaught exceptions / unhandled rejections,
        and (unless include_network=False) failed resource loads such as blocked CDN scripts."""
        return [
            e
            for e in self.console_messages()
            if e.get("level") == "SEVERE" and (include_network or e.get("source") != "network")
        ]

    # -- screenshots -------------------------------------------------------
    def screenshot(self, path: str | os.PathLike, full_page: bool = False) -> Path:
        """Save a PNG of the viewport (or the whole scrollable page); returns the path."""
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        drv = self.driver
        if full_page:
            m = drv.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = m.get("cssContentSize") or m["contentSize"]
            data = drv.execute_cdp_cmd(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
                },
            )["data"]
            png = base64.b64decode(data)
        else:
            png = drv.get_screenshot_as_png()
        out.write_bytes(png)
        return out
