"""Ticking steps: the round trip of POST /steps/<id>/toggle alone and beside a page load.

A client thread ticks steps as the goal page's script does (Accept: application/json), first
with nothing else running, then while wrk loads the plan home. The app sends no server
timing, so the figures are round trips on 127.0.0.1 (loopback adds well under a millisecond).
"""

from __future__ import annotations

import argparse
import http.client
import json
import signal
import statistics
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from client import Cookies, form_headers, page_form
from load import wrk_command, wrk_result
from report import BenchError, figure, log
from sandbox import HOST
from servers import Server


class SideClient(threading.Thread):
    """Make `count` requests one after another from a thread, timing each.

    Each time is the round trip on 127.0.0.1 over one keep-alive connection (as a browser
    keeps one), from sending the request to the last byte of the answer: the server's time,
    including any wait for a free gunicorn thread, plus well under a millisecond of loopback.
    Subclasses say which request comes next and check its answer.
    """

    def __init__(self, port: int, cookie: str, count: int, pause: float, stop: threading.Event):
        super().__init__(daemon=True, name=type(self).__name__)
        self.port, self.count, self.pause, self.stop = port, count, pause, stop
        self.cookies = Cookies(cookie)
        self.times_ms: list[float] = []
        self.failures: list[str] = []
        self.error: BaseException | None = None

    def next_request(self, i: int) -> tuple[str, str, bytes | None, dict[str, str]]:
        """Return request i: method, path, body and headers."""
        raise NotImplementedError

    def check(self, i: int, path: str, response, answer: bytes) -> None:
        """Add to self.failures unless request i was answered as it should be."""
        raise NotImplementedError

    def run(self) -> None:
        conn = None
        try:
            for i in range(self.count):
                if self.stop.is_set():
                    break
                method, path, body, headers = self.next_request(i)
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=15)
                started = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    answer = response.read()
                except (OSError, http.client.HTTPException) as error:
                    self.failures.append(f"{method} {path}: {error!r}")
                    conn.close()
                    conn = None
                    continue
                self.times_ms.append((time.perf_counter() - started) * 1000)
                self.cookies.update(response.headers)
                self.check(i, path, response, answer)
                if response.will_close:
                    conn.close()
                    conn = None
                self.stop.wait(self.pause)
        except BaseException as error:  # reported by the bench, never lost in the thread
            self.error = error
        finally:
            if conn is not None:
                conn.close()


class StepToggler(SideClient):
    """Tick steps as the goal page's script does (Accept: application/json).

    Request i goes to steps[i % len(steps)] with done=1 on that step's odd turns and done=0
    on its even ones, so every request really changes the step (and records an event).
    """

    def __init__(
        self,
        port: int,
        step_ids: list[int],
        cookie: str,
        token: str,
        count: int,
        pause: float,
        stop: threading.Event,
    ):
        super().__init__(port, cookie, count, pause, stop)
        self.step_ids, self.token = step_ids, token

    def _done(self, i: int) -> bool:
        return (i // len(self.step_ids)) % 2 == 0

    def next_request(self, i: int) -> tuple[str, str, bytes | None, dict[str, str]]:
        step_id = self.step_ids[i % len(self.step_ids)]
        body = urlencode({"csrf_token": self.token, "done": "1" if self._done(i) else "0"})
        headers = {**form_headers(self.port, self.cookies.header()), "Accept": "application/json"}
        return "POST", f"/steps/{step_id}/toggle", body.encode(), headers

    def check(self, i: int, path: str, response, answer: bytes) -> None:
        done = self._done(i)
        kind = response.headers.get("Content-Type", "")
        if response.status != 200 or not kind.startswith("application/json"):
            self.failures.append(f"POST {path} answered {response.status} {kind}: {answer[:200]}")
            return
        try:
            data = json.loads(answer)
        except ValueError:
            self.failures.append(f"POST {path} answered invalid JSON: {answer[:200]}")
            return
        if data.get("done") is not done or "progress_html" not in data:
            self.failures.append(f"POST {path} (done={done:d}) answered {str(data)[:200]}")


def checked_times(toggler: SideClient) -> list[float]:
    """Return the client's times, or refuse them unless every request was answered well."""
    if toggler.error is not None:
        raise BenchError(f"the toggle client failed: {toggler.error!r}")
    if toggler.failures or len(toggler.times_ms) != toggler.count:
        shown = "\n".join(toggler.failures[:5])
        raise BenchError(
            f"{len(toggler.failures)} of {toggler.count} side requests failed "
            f"({len(toggler.times_ms)} answered):\n{shown}"
        )
    return toggler.times_ms


def percentiles(times: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[94]


def step_toggle_figures(
    app: Server,
    plan_path: str,
    cookie: str,
    toggle_steps: list[tuple[int, int]],
    args: argparse.Namespace,
    script: Path,
) -> None:
    """Tick steps alone, then from a client thread while wrk loads the plan home; report the
    round-trip times of both (the first shows the work, the second adds the wait for the
    GIL and a free thread beside the page load)."""
    goal_id, step_id = toggle_steps[0]
    token, cookie, page = page_form(app.port, f"/goals/{goal_id}", cookie)
    if f'action="/steps/{step_id}/toggle"'.encode() not in page:
        raise BenchError(f"/goals/{goal_id} has no toggle form for step {step_id}")
    step_ids = [step_id for _, step_id in toggle_steps]

    def toggler(count: int, stop: threading.Event) -> StepToggler:
        return StepToggler(app.port, step_ids, cookie, token, count, args.toggle_pause, stop)

    log(f"ticking {args.toggles_idle} times on steps {step_ids} with nothing else running")
    idle_p50, idle_p95 = percentiles(alone(toggler, args.toggles_idle))
    log(
        f"ticking {args.toggles} times on steps {step_ids} while wrk loads the plan home "
        f"with {args.toggle_connections} connections"
    )
    times, loaded, seconds = under_load(
        toggler, args.toggles, app.url(plan_path), cookie, args, script
    )
    p50, p95 = percentiles(times)
    log(
        f"{len(times)} toggles in {seconds:.1f} s, all 200 with JSON: p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(times):.1f} ms; meanwhile the plan home served "
        f"{loaded['rps']:.0f} req/s"
    )
    figure("step_toggle_load", f"wrk -t{args.threads}/-c{args.toggle_connections} on plan home")
    figure("step_toggles", len(times))
    figure("step_toggle_ms_p50", f"{p50:.1f}")
    figure("step_toggle_ms_p95", f"{p95:.1f}")
    figure("step_toggle_ms_max", f"{max(times):.1f}")
    figure("plan_home_rps_during_toggles", f"{loaded['rps']:.0f}")
    figure("step_toggle_idle_ms_p50", f"{idle_p50:.1f}")
    figure("step_toggle_idle_ms_p95", f"{idle_p95:.1f}")


def alone(toggler, count: int) -> list[float]:
    """Make `count` requests with nothing else running; return the round trips."""
    stop = threading.Event()
    idle = toggler(count, stop)
    idle.start()
    idle.join(timeout=60)
    if idle.is_alive():
        stop.set()
        idle.join(timeout=20)
        raise BenchError(f"{count} side requests did not finish in 60 s")
    return checked_times(idle)


def under_load(
    side_client, count: int, url: str, cookie: str, args: argparse.Namespace, script: Path
) -> tuple[list[float], dict, float]:
    """Have `side_client(count, stop)` (a thread like StepToggler) make `count` requests
    while wrk loads `url` with args.toggle_connections connections; return the round trips,
    wrk's result and the seconds the requests took."""
    # Longer than the requests need; stopped (with SIGINT, so it still reports) once they end.
    limit = 120
    command = wrk_command(url, cookie, limit, args.threads, args.toggle_connections, script)
    stop = threading.Event()
    ticking = side_client(count, stop)
    load = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)  # let the load settle
        if load.poll() is not None:
            raise BenchError(f"wrk ended at once on {url}:\n{load.communicate()[1]}")
        started = time.monotonic()
        ticking.start()
        ticking.join(timeout=limit - 10)
        seconds = time.monotonic() - started
        if ticking.is_alive():
            raise BenchError(f"{count} side requests did not finish in {limit - 10} s")
        if load.poll() is not None:
            raise BenchError("wrk stopped before the side requests did: not all under load")
        load.send_signal(signal.SIGINT)
        out, err = load.communicate(timeout=15)
    finally:
        stop.set()
        if ticking.is_alive():
            ticking.join(timeout=20)
        if load.poll() is None:
            load.kill()
            load.communicate()
    return checked_times(ticking), wrk_result(url, load.returncode, out, err, 0), seconds
