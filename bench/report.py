"""The benchmark's table: one row per figure (or per bar of a figure), its peer, the ratio and the bar."""

from __future__ import annotations

from dataclasses import dataclass

SECONDS, PER_SECOND = "s", "/s"
NOTE_WIDTH = 60  # the whole note goes to the standard error when a figure fails


@dataclass(frozen=True)
class Bar:
    """A quality bar of docs/benchmark.md: ``value <= limit`` (``upper``) or ``value >= limit``, on the figure or
    its ratio."""

    text: str
    limit: float
    upper: bool = True
    on_ratio: bool = False

    def holds(self, value: float, ratio: float | None) -> bool:
        subject = ratio if self.on_ratio else value
        if subject is None:
            return False
        return subject <= self.limit if self.upper else subject >= self.limit


@dataclass(frozen=True)
class Row:
    """One line of the table. ``ours`` None: the figure could not be measured (``note`` says why).

    ``ok`` False fails the bar whatever the figure (e.g. a box that got no certificate)."""

    figure: str
    ours: float | None
    unit: str
    peer_name: str = ""
    peer: float | None = None
    bar: Bar | None = None
    note: str = ""
    ok: bool = True

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.peer:
            return None
        return self.ours / self.peer

    @property
    def holds(self) -> bool | None:
        """None for a row that shows a peer only; else whether the bar holds."""
        if self.bar is None:
            return None
        return self.ok and self.ours is not None and self.bar.holds(self.ours, self.ratio)


def quantity(value: float | None, unit: str) -> str:
    """``0.000241`` s -> ``241 µs``, ``1292.1`` /s -> ``1,292/s``."""
    if value is None:
        return "-"
    if unit == PER_SECOND:
        return f"{value:,.0f}/s"
    if unit == SECONDS:
        for scale, name in ((1e-3, "µs"), (1.0, "ms")):
            if value < scale:
                return f"{value * 1e3 / scale:.3g} {name}"
        return f"{value:.3g} s"
    return f"{value:,.3g}{unit}"


def render(rows: list[Row]) -> str:
    """The table (aligned plain text) and the closing line ``N of M bars hold``."""
    header = ("figure", "this project", "peer", "ratio", "bar", "holds")
    lines = [header]
    for row in rows:
        peer = f"{row.peer_name} {quantity(row.peer, row.unit)}" if row.peer_name else ""
        if row.peer_name and row.peer is None:
            peer = row.peer_name
        note = row.note if len(row.note) <= NOTE_WIDTH else row.note[:NOTE_WIDTH - 3] + "..."
        ours = quantity(row.ours, row.unit) + (f" ({note})" if note else "")
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f} x"
        holds = {None: "", True: "yes", False: "NO"}[row.holds]
        lines.append((row.figure, ours, peer, ratio, row.bar.text if row.bar else "", holds))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
            for line in lines]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(text) + "\n\n" + summary(rows)


def summary(rows: list[Row]) -> str:
    bars = [row.holds for row in rows if row.holds is not None]
    return f"{sum(bars)} of {len(bars)} bars hold"
