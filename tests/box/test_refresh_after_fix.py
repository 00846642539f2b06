"""The documentation's tip: "if an error appears, refresh the page to see whether the problem is solved". A refresh
after the cause is fixed shows the certificate; an error on the page says when it was checked and offers "Check
again"; a storm of refreshes still sends odoo.com at most one request per ERROR_RECHECK_INTERVAL. The box runs
against the mock odoo.com, on a clock of the test's own (no waiting on the wall clock)."""

from __future__ import annotations

import re

import pytest
from boxhelpers import IP
from werkzeug.test import Client

from iot_box.box import ERROR_RECHECK_INTERVAL, HOMEPAGE_CHECK_INTERVAL, Box, BoxOptions
from iot_box.web import BoxWeb

STATUS_503 = "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503"


class Clock:
    """A monotonic clock the test moves; ``sleep`` moves it too, and is remembered."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def eligible(mock_odoo_com):
    return mock_odoo_com.eligible_database()


@pytest.fixture
def box(tmp_path, mock_odoo_com, eligible, clock):
    options = BoxOptions(data_dir=tmp_path / "box", http_port=8080, https_port=8443, odoo_com_url=mock_odoo_com.url,
                         odoo_com_ca=mock_odoo_com.ca_path, advertise_ip=IP,
                         dns_server=("127.0.0.1", mock_odoo_com.dns_port), odoo_com_timeout=2.0)
    box = Box(options, clock=clock, sleep=clock.sleep)
    box.config.update(remote_server="http://127.0.0.1:9", db_uuid=eligible[0], enterprise_code=eligible[1])
    yield box
    box.stop()


@pytest.fixture
def client(box):
    return Client(BoxWeb(box))


def asked(mock_odoo_com) -> int:
    """The certificate requests odoo.com received (a fault answers before it reads the database UUID)."""
    return len(mock_odoo_com.requests(endpoint="x509"))


@pytest.mark.parametrize("cause", ["odoo.com down, then back", "IoT box line added after connecting"])
def test_a_refresh_after_the_cause_is_fixed_shows_the_certificate(client, clock, mock_odoo_com, eligible, cause):
    if cause == "odoo.com down, then back":
        mock_odoo_com.set_fault("status", status=503, times=1)  # odoo.com is down for the first request only
        shown = STATUS_503
    else:  # the documentation's cause: the IoT box subscription was added after connecting the IoT system
        mock_odoo_com.add_subscription(eligible[1], iot_lines=0)
        shown = "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT"
    page = client.get("/").text
    assert shown in page and 'id="checked-at"' in page and "Check again" in page
    if cause != "odoo.com down, then back":
        mock_odoo_com.add_subscription(eligible[1])

    clock.now += ERROR_RECHECK_INTERVAL  # the user refreshes well within the 10 s a success is reused
    assert ERROR_RECHECK_INTERVAL < HOMEPAGE_CHECK_INTERVAL
    page = client.get("/").text
    assert 'id="error"' not in page and ".odoo-iot.com:8443" in page
    assert asked(mock_odoo_com) == 2


def test_refreshes_are_spaced_and_the_error_says_when_it_was_checked(client, box, clock, mock_odoo_com, eligible):
    mock_odoo_com.set_fault("status", status=503, times=None)
    first = client.get("/").text
    second = client.get("/").text  # at once: the same result, not a second request to odoo.com
    assert asked(mock_odoo_com) == 1
    checked = re.search(r'id="checked-at"[^>]*>Checked: <time datetime="([^"]+)">', second)
    assert checked and checked.group(1) == box.status()["checked_at"]
    assert STATUS_503 in first and STATUS_503 in second

    mock_odoo_com.clear_faults()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', second).group(1)
    answer = client.post("/check", data={"csrf_token": csrf})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/")
    assert clock.slept == [ERROR_RECHECK_INTERVAL]  # the click waited its turn, then asked odoo.com again
    assert asked(mock_odoo_com) == 2
    page = client.get("/").text
    assert 'id="error"' not in page and ".odoo-iot.com:8443" in page
    assert box.status()["error_code"] is None


def test_check_again_needs_the_pages_form(client, mock_odoo_com, eligible):
    mock_odoo_com.set_fault("status", status=503, times=None)
    client.get("/")
    answer = client.post("/check", data={"csrf_token": "forged"})
    assert answer.status_code == 403 and "reload the page" in answer.text
    assert asked(mock_odoo_com) == 1
