"""The table: ratios, bars on a figure or on its ratio, rows that cannot hold, and the closing line."""

from bench.report import PER_SECOND, SECONDS, Bar, Row, quantity, render


def test_a_bar_on_the_figure_and_a_bar_on_the_ratio():
    fast = Row("issuance", 0.000120, SECONDS, "floor", 0.000100, Bar("<= 1.5 x floor", 1.5, on_ratio=True))
    slow = Row("issuance", 0.000200, SECONDS, "floor", 0.000100, Bar("<= 1.5 x floor", 1.5, on_ratio=True))
    rate = Row("reports", 480, PER_SECOND, bar=Bar(">= 500/s", 500, upper=False))
    assert fast.ratio == 1.2 and fast.holds is True
    assert slow.holds is False
    assert rate.holds is False and rate.ratio is None


def test_a_row_without_a_bar_shows_a_peer_and_counts_for_nothing():
    table = render([
        Row("issuance vs trustme", 0.000120, SECONDS, "trustme", 0.000240),
        Row("reports", 900, PER_SECOND, "trivial endpoint", 3000, Bar(">= 500/s", 500, upper=False)),
    ])
    lines = table.splitlines()
    assert lines[0].split() == ["figure", "this", "project", "peer", "ratio", "bar", "holds"]
    assert "trustme 240 µs" in lines[2] and "0.50 x" in lines[2] and not lines[2].endswith("yes")
    assert "900/s" in lines[3] and "trivial endpoint 3,000/s" in lines[3] and lines[3].endswith("yes")
    assert lines[-1] == "1 of 1 bars hold"


def test_an_unmeasured_or_failed_figure_does_not_hold_and_says_why():
    missing = Row("box", None, SECONDS, bar=Bar("<= 0.2 s", 0.2), note="no trusted handshake", ok=False)
    failed = Row("1,000 boxes", 3.0, SECONDS, bar=Bar("all, <= 5 s", 5.0), note="999 of 1000 got one", ok=False)
    table = render([missing, failed])
    assert missing.holds is False and failed.holds is False
    assert "- (no trusted handshake)" in table and "3 s (999 of 1000 got one)" in table
    assert table.endswith("0 of 2 bars hold")


def test_quantities_read_naturally():
    assert quantity(0.000241, SECONDS) == "241 µs"
    assert quantity(0.0523, SECONDS) == "52.3 ms"
    assert quantity(1.25, SECONDS) == "1.25 s"
    assert quantity(1292.4, PER_SECOND) == "1,292/s"
    assert quantity(None, SECONDS) == "-"
