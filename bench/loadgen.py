"""HTTP load from ``wrk`` (Debian's package), driven by a generated Lua script.

The script sends a fixed list of requests round-robin, counts every answer whose status is not 2xx or whose body
lacks an expected text as an error, and prints its figures (requests, percentiles in µs) as one JSON line that
``run()`` reads back. wrk keeps its connections alive, so ``connections`` is the number of concurrent clients.

Each run also counts the CPU time it cost: wrk's own (its resource usage as a child) plus, when the caller names
the server's process group, that of every process in it (read from ``/proc`` before and after). Divided by the
requests, that is the cost of one request on this machine's cores, which holds better than a rate when other
work shares the cores: the rate falls with the cores' share, the CPU a request takes much less.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MARK = "BENCH_WRK "

_SCRIPT = """
local calls = {%(calls)s}
local expect = %(expect)s
local i = 0
mismatched = 0  -- global: done() reads it from each thread

request = function()
  i = i %% #calls + 1
  local call = calls[i]
  return wrk.format(call.method, call.path, call.headers, call.body)
end

response = function(status, headers, body)
  if status < 200 or status > 299 or (expect ~= nil and not string.find(body, expect, 1, true)) then
    mismatched = mismatched + 1
  end
end

-- Each wrk thread runs its own copy of this script: collect the per-thread counts in done().
local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("mismatched") end
  local errors = summary.errors
  io.write(string.format(
    '%(mark)s{"requests": %%d, "seconds": %%f, "bad_answers": %%d, "socket_errors": %%d, "timeouts": %%d, ' ..
    '"p50": %%d, "p95": %%d, "p99": %%d, "max": %%d}\\n',
    summary.requests, summary.duration / 1e6, bad, errors.connect + errors.read + errors.write,
    errors.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


class LoadError(RuntimeError):
    """wrk is missing, failed, or printed no figures."""


@dataclass(frozen=True)
class Call:
    path: str
    method: str = "GET"
    body: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


def json_rpc(path: str, params: dict[str, object], headers: tuple[tuple[str, str], ...] = ()) -> Call:
    """A JSON-RPC 2.0 ``call`` POSTed to ``path`` with ``params``, as the box and the database server send it."""
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
    return Call(path, "POST", body, (("Content-Type", "application/json"), *headers))


@dataclass(frozen=True)
class Load:
    """What one wrk run measured; latencies in seconds."""

    requests: int
    seconds: float
    bad_answers: int  # not 2xx, or without the expected text
    socket_errors: int
    timeouts: int
    p50: float
    p95: float
    p99: float
    max: float
    cpu_seconds: float = 0.0  # wrk's and the measured server's, over the whole run

    @property
    def cpu_per_request(self) -> float | None:
        """Seconds of CPU (load generator and server together) per answered request."""
        return self.cpu_seconds / self.requests if self.requests and self.cpu_seconds else None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.bad_answers + self.socket_errors + self.timeouts

    @property
    def error_note(self) -> str:
        """What the table notes of a run with errors (``3 errors of 1200``); empty without."""
        return f"{self.errors} errors of {self.requests}" if self.errors else ""

    @classmethod
    def combined(cls, runs: list[Load]) -> Load:
        """Several runs as one: every request and error counted, each percentile the median of the runs'."""
        def median(name: str) -> float:
            return statistics.median(getattr(run, name) for run in runs)

        return cls(sum(r.requests for r in runs), sum(r.seconds for r in runs), sum(r.bad_answers for r in runs),
                   sum(r.socket_errors for r in runs), sum(r.timeouts for r in runs), median("p50"), median("p95"),
                   median("p99"), max(r.max for r in runs), sum(r.cpu_seconds for r in runs))


def process_group_cpu(pgid: int) -> float:
    """Seconds of CPU (user and system) used so far by the live processes of process group ``pgid``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()  # the command name, in parentheses, may hold spaces
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == pgid:  # fields: state, ppid, pgrp, ... utime (11), stime (12)
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _server_cpu(pgid: int | None) -> float:
    return process_group_cpu(pgid) if pgid else 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    """A Lua string literal of ``text``'s UTF-8 bytes, any byte but plain printable ASCII as a ``\\ddd`` escape."""
    return '"' + "".join(chr(byte) if 32 <= byte < 127 and chr(byte) not in '"\\' else f"\\{byte:03d}"
                         for byte in text.encode()) + '"'


def script(calls: list[Call], expect: str | None) -> str:
    """The Lua script of one run (public for the tests)."""
    entries = []
    for call in calls:
        headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in call.headers)
        body = _lua_string(call.body) if call.body is not None else "nil"
        entries.append(f"{{method = {_lua_string(call.method)}, path = {_lua_string(call.path)}, "
                       f"headers = {{{headers}}}, body = {body}}}")
    return _SCRIPT % {"calls": ",\n".join(entries), "expect": _lua_string(expect) if expect else "nil",
                      "mark": MARK}


def compare(base_url: str, contenders: dict[str, tuple[list[Call], str | None]], *, connections: int,
            seconds: float, rounds: int, server_pgid: int | None = None,
            before: Callable[[str], object] | None = None) -> dict[str, Load]:
    """Each contender (``name -> (calls, expected text)``) loaded ``rounds`` times, the contenders in turn, so
    that a shared machine's busy moments fall on all of them alike; the runs of each combined. ``before(name)``,
    when given, sets the server up for a contender before each of its runs."""
    runs: dict[str, list[Load]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, (calls, expect) in contenders.items():
            if before is not None:
                before(name)
            runs[name].append(run(base_url, calls, connections=connections, seconds=seconds, expect=expect,
                                  server_pgid=server_pgid))
    return {name: Load.combined(loads) for name, loads in runs.items()}


def run(base_url: str, calls: list[Call], *, connections: int, seconds: float, expect: str | None = None,
        threads: int = 2, timeout: float = 5.0, server_pgid: int | None = None) -> Load:
    """Load ``base_url`` with ``calls`` from ``connections`` keep-alive connections for ``seconds``; the CPU
    counted is wrk's, plus that of process group ``server_pgid`` when given."""
    if not available():
        raise LoadError("wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        path = Path(folder) / "calls.lua"
        path.write_text(script(calls, expect))
        argv = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                f"--timeout={max(1, round(timeout))}s", "-s", str(path), base_url]
        before = _children_cpu() + _server_cpu(server_pgid)
        result = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, check=False)
        cpu = _children_cpu() + _server_cpu(server_pgid) - before
    for line in result.stdout.splitlines():
        if line.startswith(MARK):
            figures = json.loads(line[len(MARK):])
            for name in ("p50", "p95", "p99", "max"):
                figures[name] /= 1e6
            return Load(**figures, cpu_seconds=cpu)
    raise LoadError(f"wrk printed no figures (exit {result.returncode}): {result.stderr.strip() or result.stdout}")
