"""Simulated boxes obtain real certificates from the mock; a box that gets none is counted and named."""

from bench import fleet

SERVER = "http://127.0.0.1:9"  # a box needs a server configured to run its check; the fleet never calls it


def test_every_simulated_box_gets_a_certificate(mock_odoo_com):
    seconds, failures, first = fleet.obtain(3, mock_odoo_com.url, mock_odoo_com.admin_url,
                                            str(mock_odoo_com.ca_path), SERVER)
    assert (failures, first) == (0, "")
    assert seconds > 0
    issued = [entry for entry in mock_odoo_com.requests(endpoint="x509") if entry["outcome"] == "issued"]
    assert len(issued) == 3 and all(entry["csr"] for entry in issued)


def test_boxes_that_are_refused_are_failures_with_the_box_error(mock_odoo_com):
    mock_odoo_com.set_fault("refuse", times=None)
    _seconds, failures, first = fleet.obtain(2, mock_odoo_com.url, mock_odoo_com.admin_url,
                                             str(mock_odoo_com.ca_path), SERVER)
    assert failures == 2
    assert first.startswith("ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT")


def test_rows_compare_the_time_per_box_of_the_large_fleet_with_the_small_one(mock_odoo_com):
    small, large = fleet.rows(mock_odoo_com.url, mock_odoo_com.admin_url, str(mock_odoo_com.ca_path), SERVER, 2, 4)
    assert small.figure == "2 boxes obtain certificates, 32 at a time"
    assert large.figure == "4 boxes obtain certificates, 32 at a time: time per box"
    assert small.note == "4/4 certified, mean of 2 runs"
    assert large.note.startswith("8/8 certified, ") and large.note.endswith(" s, mean of 2 runs")
    assert large.peer == small.ours / 2 and large.bar.text == "all, <= 1.1 x 2"
    assert small.ok and large.ok
    issued = [entry for entry in mock_odoo_com.requests(endpoint="x509") if entry["outcome"] == "issued"]
    assert len(issued) == 2 * 2 + 2 * 4  # each fleet ran twice
