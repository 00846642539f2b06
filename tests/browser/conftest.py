"""Browser tests: the whole system as real processes, driven by Debian's Chromium through Playwright.

Chromium trusts the mock odoo.com's root the way a user's browser trusts a public one: through the NSS database in
``$HOME/.pki/nssdb`` (made here with ``certutil``), never through a flag that ignores certificate errors. Box names
``*.odoo-iot.com`` are mapped to 127.0.0.1 by a host resolver rule, as the public DNS maps them to the box's address.

Screenshots go to ``$IOT_HTTPS_SCREENSHOTS_DIR`` (docs/testing.md's: ``docs/screenshots``), else to a temporary
folder, so that a plain ``make test`` changes no committed file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browserhelpers import BOX_PASSWORD
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

from iot_stack.register import DEMO_ENTERPRISE_CODE
from iot_stack.system import Box, Ports, System
from mock_odoo_com.testing import MockOdooCom
from odoo_host.postgres import scratch_database

CHROMIUM = "/usr/bin/chromium"
# The flags this sandbox needs (no GPU, no user namespaces) and those that keep Chromium from calling home.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP *.odoo-iot.com 127.0.0.1",
]


@dataclass
class Stack:
    """The running system, its first box (paired, with a certificate) and the admin API of the mock odoo.com."""

    system: System
    box: Box
    box_status: dict
    db_uuid: str
    odoo_com: MockOdooCom
    enterprise_code: str = DEMO_ENTERPRISE_CODE

    def start_box(self, name: str, connect: bool | str = True, config: dict[str, str] | None = None) -> Box:
        """Another box on free ports; ``connect`` is True (a fresh token), a token string, or False.

        ``config`` is written to its ``odoo.conf`` before it starts, as an installer or a user would.
        """
        if config:
            data_dir = self.system.state_dir / name
            data_dir.mkdir(parents=True, exist_ok=True)
            lines = "".join(f"{key} = {value}\n" for key, value in config.items())
            (data_dir / "odoo.conf").write_text(f"[iot.box]\n{lines}", encoding="utf-8")
        ports = Ports.free()
        return self.system.start_box(name, http_port=ports.box_http, https_port=ports.box_https, connect=connect,
                                     admin_password=BOX_PASSWORD)


@pytest.fixture(scope="session")
def browser_db_dsn(pg_server_dsn: str) -> Iterator[str]:
    """A database of its own for the browser tests' system (they share one system: starting it takes seconds)."""
    with scratch_database(pg_server_dsn, "browser") as dsn:
        yield dsn


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, browser_db_dsn: str) -> Iterator[Stack]:
    with System(tmp_path_factory.mktemp("system"), Ports.free(), db_dsn=browser_db_dsn) as system:
        db_uuid = system.start_demo_server()
        box = system.start_box(admin_password=BOX_PASSWORD)
        status = box.wait_for_certificate()
        yield Stack(system, box, status, db_uuid, system.odoo_com_admin())


@pytest.fixture(scope="session")
def nss_home(tmp_path_factory: pytest.TempPathFactory, stack: Stack) -> Path:
    """A HOME whose NSS database trusts the mock odoo.com's root for TLS servers (and nothing else is added)."""
    home = tmp_path_factory.mktemp("home")
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    for argv in (["-N", "--empty-password"],
                 ["-A", "-n", "Mock odoo.com root", "-t", "C,,", "-i", str(stack.system.odoo_com_ca)]):
        subprocess.run(["certutil", "-d", f"sql:{nssdb}", *argv], check=True, capture_output=True, timeout=60)
    return home


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    missing = [name for name, found in (("chromium", Path(CHROMIUM).exists()),
                                        ("libnss3-tools", shutil.which("certutil"))) if not found]
    if missing:
        pytest.fail(f"the browser tests need Debian's {' and '.join(missing)}: `make test` installs them as root, "
                    "or `sh scripts/system-packages.sh test` prints the command that does", pytrace=False)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def open_browser(playwright: Playwright, nss_home: Path, tmp_path: Path) -> Iterator[Callable[..., BrowserContext]]:
    """``open_browser(**context_options)``: a fresh Chromium (its own user-data-dir) with one context."""
    contexts: list[BrowserContext] = []

    def launch(**options: object) -> BrowserContext:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / f"profile-{len(contexts)}", executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            env={**os.environ, "HOME": str(nss_home)}, **options,
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context

    yield launch
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_browser: Callable[..., BrowserContext]) -> Page:
    """A page of an English desktop browser."""
    return open_browser(locale="en-US", viewport={"width": 1280, "height": 800}).pages[0]


@pytest.fixture
def phone_page(open_browser: Callable[..., BrowserContext], playwright: Playwright) -> Page:
    """A page of a phone's browser: its screen size, pixel density, touch and user agent."""
    device = {k: v for k, v in playwright.devices["Pixel 7"].items() if k != "default_browser_type"}
    return open_browser(locale="en-US", **device).pages[0]


@pytest.fixture(scope="session")
def screenshot(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Page, str], Path]:
    folder = Path(os.environ.get("IOT_HTTPS_SCREENSHOTS_DIR") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
