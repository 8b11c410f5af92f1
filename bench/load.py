"""Throughput: wrk against hello and the plan home in turns, and the medians of the runs.

hello (bench/hello.py) runs under the same gunicorn.conf.py as the app, so the ratios say
what the app itself costs. Besides requests per second, each run reports the servers' CPU
time per request, which holds steadier than req/s on a machine doing other work.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
from pathlib import Path

from report import BenchError, figure, log
from servers import Server, gunicorn_settings

# wrk counts 3xx as success, so a lost session (a redirect to the login page) would look
# like a very fast plan home. This script counts every status other than 200.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not200 = 0 end
function response(status, headers, body)
  if status ~= 200 then not200 = not200 + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("not200") end
  io.write(string.format("not200=%d\\n", total))
end
"""


def write_script(tmp: Path) -> Path:
    """Write the Lua script that makes wrk count every answer other than 200."""
    script = tmp / "count-status.lua"
    script.write_text(WRK_SCRIPT)
    return script


def wrk_command(
    url: str, cookie: str, seconds: int, threads: int, connections: int, script: Path
) -> list[str]:
    return [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]


def wrk(
    server: Server, path: str, cookie: str, seconds: int, args: argparse.Namespace, script: Path
) -> dict:
    """Load `path` for `seconds`; return requests per second, latency and server CPU time
    per request (the CPU figure holds steadier than req/s on a busy machine)."""
    url = server.url(path)
    command = wrk_command(url, cookie, seconds, args.threads, args.connections, script)
    cpu_before = server.cpu_seconds()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish on {url}") from None
    cpu = server.cpu_seconds() - cpu_before
    return wrk_result(url, result.returncode, result.stdout, result.stderr, cpu)


def wrk_result(url: str, returncode: int, out: str, err: str, cpu: float) -> dict:
    """Read wrk's report; refuse a run that failed or saw a status other than 200."""
    if returncode != 0 or "Requests/sec:" not in out:
        raise BenchError(f"wrk failed on {url}:\n{out}\n{err}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    not200 = re.search(r"not200=(\d+)", out)
    bad = int(not200.group(1)) if not200 else int(errors.group(1)) if errors else 0
    if bad:
        raise BenchError(f"{bad} responses other than 200 from {url}:\n{out}")
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        log(f"socket errors on {url}: {socket_errors.group(1)}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "cpu_ms": cpu * 1000 / max(requests, 1),
        "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
    }


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def setting_figures(args: argparse.Namespace) -> None:
    """Report the machine and the settings the throughput figures were measured with."""
    settings = gunicorn_settings()
    figure("cpu_cores", len(os.sched_getaffinity(0)))
    # Other work on the machine (tests, browsers) moves req/s a lot; the CPU figures less.
    figure("load_average_1m", f"{os.getloadavg()[0]:.1f}")
    figure("gunicorn_workers", settings["workers"])
    figure("gunicorn_threads", settings["threads"])
    figure("wrk", f"-t{args.threads}/-c{args.connections}/-d{args.duration}s/x{args.rounds}")


def throughput_figures(
    hello: Server, app: Server, plan_path: str, cookie: str, args: argparse.Namespace, script: Path
) -> None:
    """Warm both servers up, run wrk on each in turns, and report the medians and ratios."""
    targets = {"hello": (hello, "/"), "plan_home": (app, plan_path)}
    for name, (server, path) in targets.items():
        log(f"warming up {name}")
        wrk(server, path, cookie, args.warmup, args, script)
    results: dict[str, list[dict]] = {name: [] for name in targets}
    for round_no in range(1, args.rounds + 1):
        for name, (server, path) in targets.items():
            result = wrk(server, path, cookie, args.duration, args, script)
            results[name].append(result)
            log(
                f"round {round_no}: {name} {result['rps']:.0f} req/s, "
                f"{result['cpu_ms']:.2f} ms server CPU per request"
            )
    medians = {
        name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        for name, runs in results.items()
    }
    for name, runs in results.items():
        figure(f"{name}_rps_rounds", ",".join(f"{r['rps']:.0f}" for r in runs))
    base, page = medians["hello"], medians["plan_home"]
    figure("hello_rps", f"{base['rps']:.0f}")
    figure("plan_home_rps", f"{page['rps']:.0f}")
    figure("plan_home_p50_ms", f"{page['p50_ms']:.1f}")
    figure("plan_home_p99_ms", f"{page['p99_ms']:.1f}")
    figure("hello_cpu_ms", f"{base['cpu_ms']:.3f}")
    figure("plan_home_cpu_ms", f"{page['cpu_ms']:.3f}")
    figure("plan_home_cpu_vs_hello", f"{base['cpu_ms'] / page['cpu_ms']:.2f}")
    figure("plan_home_rps_vs_hello", f"{page['rps'] / base['rps']:.2f}")
