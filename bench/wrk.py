"""Runs Debian's ``wrk`` against one URL and reads its throughput and latency percentiles."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_PERCENTILE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def parse(output: str) -> Result:
    rps = float(m.group(1)) if (m := _RPS.search(output)) else 0.0
    percentiles = {p: float(v) * _UNIT_MS[u] for p, v, u in _PERCENTILE.findall(output)}
    errors = int(m.group(1)) if (m := _NON_2XX.search(output)) else 0
    if m := _SOCKET_ERRORS.search(output):
        errors += sum(int(g) for g in m.groups())
    return Result(rps, percentiles.get("50", 0.0), percentiles.get("99", 0.0), errors)


def wrk(url: str, headers: dict[str, str], seconds: float, connections: int) -> Result:
    command = [shutil.which("wrk") or "wrk", f"-t{min(2, connections)}", f"-c{connections}",
               f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)  # noqa: S603
    return parse(done.stdout)
