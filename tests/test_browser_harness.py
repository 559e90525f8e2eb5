"""Self-tests of the headless-Chromium harness in tests/browser.py.

Skipped when Chromium is not installed (fails instead when CI=true);
enable with scripts/ensure_chromium.sh.
"""

from __future__ import annotations

import struct
import time

import pytest

try:
    import browser as harness
except ImportError:  # tests/ imported as a package
    from tests import browser as harness

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with harness.launch_or_skip() as b:
        yield b


def write_page(tmp_path, body: str, name: str = "page.html"):
    p = tmp_path / name
    p.write_text(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{body}</body></html>", "utf-8")
    return p


def test_eval_returns_value_set_by_page_js(browser, tmp_path):
    page = browser.open(
        write_page(tmp_path, "<script>window.APP = {nodes: 3, names: ['a', 'b'], ok: true, none: null};</script>")
    )
    assert page.eval("return window.APP;") == {"nodes": 3, "names": ["a", "b"], "ok": True, "none": None}
    assert page.eval("return arguments[0] * 2;", 21) == 42
    assert page.eval("return undefined;") is None
    assert page.eval("return new Promise(r => setTimeout(() => r('later'), 20));") == "later"
    assert page.console_errors() == []


def test_wait_for_and_time_until(browser, tmp_path):
    page = browser.open(write_page(tmp_path, "<script>setTimeout(() => { window.stable = 'yes'; }, 300);</script>"))
    assert page.wait_for("window.stable", timeout=10) == "yes"
    # condition already true -> 0 from call, >= ~0.3 s from navigation start
    assert page.time_until("window.stable", timeout=5) == 0.0
    assert page.time_until("window.stable", timeout=5, since="navigation") >= 0.25

    page = browser.open(write_page(tmp_path, "<script>setTimeout(() => { window.done = 1; }, 400);</script>"))
    secs = page.time_until("window.done === 1", timeout=10)
    assert 0.1 < secs < 5.0

    with pytest.raises(harness.WaitTimeout, match="not_defined_anywhere"):
        page.wait_for("not_defined_anywhere.x", timeout=0.3)


def test_throwing_page_shows_in_console_errors(browser, tmp_path):
    page = browser.open(
        write_page(
            tmp_path,
            "<script>console.error('explicit console error');</script>"
            "<script>throw new Error('kaboom at load');</script>"
            "<script>setTimeout(() => { window.fired = true; throw new TypeError('kaboom later'); }, 50);</script>",
        )
    )
    page.wait_for("window.fired")
    deadline = time.monotonic() + 5  # log entries arrive asynchronously via chromedriver
    while not any("kaboom later" in e["message"] for e in page.console_errors()) and time.monotonic() < deadline:
        time.sleep(0.05)
    messages = [e["message"] for e in page.console_errors()]
    assert any("explicit console error" in m for m in messages), messages
    assert any("Uncaught Error: kaboom at load" in m for m in messages), messages
    assert any("kaboom later" in m for m in messages), messages
    with pytest.raises(harness.JSError, match="in eval"):
        page.eval("throw new Error('in eval');")

    # a new page starts with a clean console
    assert browser.open(write_page(tmp_path, "<p>clean</p>", "clean.html")).console_errors() == []


def test_network_is_disabled(browser, tmp_path):
    page = browser.open(
        write_page(
            tmp_path,
            "<script>window.scriptError = false;</script>"
            "<script src='https://example.com/x.js' onerror='window.scriptError = true'></script>"
            "<script>"
            "window.fetchResult = 'pending';"
            "fetch('https://example.com/data.json').then(() => { window.fetchResult = 'loaded'; },"
            "  () => { window.fetchResult = 'failed'; });"
            "</script>",
        )
    )
    assert page.eval("return window.scriptError;") is True
    assert page.eval("return typeof window.jQuery;") == "undefined"  # nothing from the remote script ran
    assert page.wait_for("window.fetchResult !== 'pending' && window.fetchResult", timeout=10) == "failed"
    net = [e for e in page.console_errors() if e["source"] == "network"]
    assert any("example.com/x.js" in e["message"] for e in net), net
    assert page.console_errors(include_network=False) == []


def test_screenshot_is_valid_png(browser, tmp_path):
    page = browser.open(write_page(tmp_path, "<div style='width:200px;height:100px;background:#c33'>x</div>"))
    out = page.screenshot(tmp_path / "shots" / "shot.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1400, 900)
    assert data[-12:-8] == b"\x00\x00\x00\x00" and data[-8:-4] == b"IEND"


def test_missing_chromium_raises_browser_unavailable(monkeypatch):
    monkeypatch.setattr(harness, "CHROMIUM_BIN", "/nonexistent/chromium")
    with pytest.raises(harness.BrowserUnavailable, match="ensure_chromium.sh"):
        harness.Browser()
