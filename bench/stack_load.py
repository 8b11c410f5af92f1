"""The production shape under load: Locust users on `make stack`'s shape, on loopback.

Starts scripts/stack.py's Stack (PostgreSQL, Redis, SeaweedFS, two app hosts, a consumer,
nginx) on free ports with a fresh database, makes YOUTH young people (a plan of three goals
each) and WORKERS workers (each with four of those plans shared), then

1. starts USERS Locust users (bench/locustfile.py), ten a second, with 1-3 s between
   actions, and keeps them going for SECONDS seconds after the last of them logged in;
   reports the page requests' 95th percentile in those seconds (`stack_page_p95_ms`,
   pages only: no writes, uploads or PDFs; the log-ins, a start-up storm of Argon2 hashes,
   as their own figure), the requests served a second (`stack_rps`), the failed requests
   (`stack_failures`), and uploads and PDFs as their own figures;
2. runs the users again while one app host is killed with SIGKILL and started again, and
   reports how many reactions the app answered "saved" are not in the database afterwards
   (`stack_failover_lost_writes`) and how many requests failed meanwhile.

Run with `.venv/bin/python bench/stack_load.py` (needs root for the database, as `make
stack`); `bench/run.py` calls `figures()`.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from report import BenchError, figure, log
from sandbox import BIN, ROOT

YOUTH, WORKERS, SHARED = 80, 20, 4
USERS, SECONDS = 100, 60
FAULT_SECONDS, KILL_AT, RESTART_AT = 40, 10, 25
PAGES = {"login page", "plan home", "goal", "goals", "caseload", "shared plan", "shared goal"}


def stack_module():
    """scripts/stack.py as a module (it is a script, not in a package)."""
    spec = importlib.util.spec_from_file_location("stack", ROOT / "scripts" / "stack.py")
    if spec is None or spec.loader is None:
        raise BenchError("scripts/stack.py is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules["stack"] = module
    spec.loader.exec_module(module)
    return module


def seed(password: str) -> None:
    """In a process with the stack's settings: the accounts the Locust users log in with."""
    from toekomstplan import create_app
    from toekomstplan.demo.builder import GoalSpec, PlanSpec, build
    from toekomstplan.extensions import db
    from toekomstplan.models import Plan, Share, ShareRole, User, UserKind
    from toekomstplan.passwords import hash_password

    app = create_app()
    steps = ("Uitzoeken", "Afspreken", "Proberen", "Volhouden")
    spec = PlanSpec(
        title="Mijn plan",
        goals=tuple(GoalSpec(title, steps=steps, done=1, ratings=("bit",)) for title in
                    ("Een bijbaan vinden", "Zelf koken", "Sparen")),
        history_days=20,
    )  # fmt: skip
    with app.test_request_context(), tempfile.TemporaryDirectory() as work:
        hashed = hash_password(password)
        plans = []
        for n in range(YOUTH):
            youth = User(kind=UserKind.YOUTH, name=f"Jongere {n}",
                         username=f"load-youth-{n}", password_hash=hashed)  # fmt: skip
            youth.plan = Plan(cover_title="Mijn plan")
            db.session.add(youth)
            db.session.commit()
            build(youth.plan, spec, Path(work))
            plans.append(youth.plan.id)
        for n in range(WORKERS):
            worker = User(kind=UserKind.SUPPORTER, name=f"Werker {n}", email_confirmed=True,
                          email=f"load-worker-{n}@example.org", password_hash=hashed)  # fmt: skip
            db.session.add(worker)
            db.session.flush()
            for plan_id in plans[n * SHARED : (n + 1) * SHARED]:
                db.session.add(Share(plan_id=plan_id, user_id=worker.id, role=ShareRole.WORKER))
            db.session.commit()


def _locust(stack, folder: Path, name: str, users: int, seconds: int, password: str) -> Path:
    """Run Locust headless; return the folder with its CSV and the acknowledged writes."""
    out = folder / name
    out.mkdir()
    env = {
        **os.environ,
        "LOAD_PASSWORD": password,
        "LOAD_YOUTH": str(YOUTH),
        "LOAD_WORKERS": str(WORKERS),
        "LOAD_ACKED": str(out / "acked.txt"),
        "LOAD_TIMES": str(out / "pages.txt"),
    }
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "-u", str(users), "-r", str(max(1, users // 10)), "-t", f"{seconds}s",
        "--host", stack.url, "--csv", str(out / "load"), "--only-summary",
        "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    started = os.times()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120)
    ended = os.times()
    cpu = (ended.children_user + ended.children_system) - (
        started.children_user + started.children_system
    )
    log(f"  Locust itself used {cpu:.0f} s of CPU in {seconds} s (of {os.cpu_count()} cores)")
    (out / "locust.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0 or not (out / "load_stats.csv").exists():
        raise BenchError(f"locust failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return out


def _cpu_by_part(stack) -> dict[str, float]:
    """CPU seconds used so far by each part of the stack (and Locust, PostgreSQL), read from
    /proc: the parts' process groups, and the other servers by their command name."""
    groups = {process.pid: name for name, process in stack.processes.items()}
    ticks: dict[str, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, _, rest = stat.read_text().rpartition(")")
        except OSError:
            continue  # exited in between
        fields, command = rest.split(), name.partition("(")[2]
        part = groups.get(int(fields[2])) or next(
            (p for p in ("postgres", "redis", "weed", "locust") if p in command), None
        )
        if part is not None:
            part = "web" if part.startswith("web") else part
            ticks[part] = ticks.get(part, 0) + int(fields[11]) + int(fields[12])
    return {part: n / os.sysconf("SC_CLK_TCK") for part, n in ticks.items()}


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "load_stats.csv").open() as fh:
        return {row["Name"]: row for row in csv.DictReader(fh)}


RAMP_SECONDS = 45  # Locust starts 10 users a second; their log-ins are done within this


def _page_times(out: Path, users: int, seconds: int) -> tuple[list[float], float]:
    """Page times in the `seconds` after every user has logged in and opened a first page
    (the locustfile marks each), and how many seconds of that window the run held."""
    path = out / "pages.txt"
    lines = [line.split() for line in path.read_text().splitlines()] if path.exists() else []
    started = sorted(float(at) for at, what in lines if what == "started")
    if len(started) < users:
        raise BenchError(f"only {len(started)} of {users} Locust users logged in")
    begin = started[users - 1]
    times = [(float(at), float(ms)) for at, ms in lines if ms != "started"]
    window = [ms for at, ms in times if begin < at <= begin + seconds]
    held = min(seconds, max((at for at, _ in times), default=begin) - begin)
    return window, held


def _lost_writes(database_url: str, acked: Path) -> tuple[int, int]:
    import sqlalchemy as sa

    texts = set(acked.read_text().split("\n")) - {""} if acked.exists() else set()
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            found = {
                body
                for (body,) in connection.execute(
                    sa.text("SELECT body FROM comments WHERE body LIKE 'reactie %'")
                )
            }
    finally:
        engine.dispose()
    return len(texts), len(texts - found)


def figures(tmp: Path, servers: list) -> None:
    """Start the stack, load it twice (plain, then with a host killed), print the figures."""
    module = stack_module()
    ports = module.Ports.free()
    folder = tmp / "stack"
    database = module.postgres_url(tmp, name="toekomstplan_bench", fresh=True)
    stack = module.Stack(folder, database, ports)
    servers.append(_Stopper(stack))
    log("starting the stack: PostgreSQL, Redis, SeaweedFS, two app hosts, consumer, nginx")
    stack.start(demo=False)
    password = "load-" + secrets.token_urlsafe(12)
    result = subprocess.run(
        [str(BIN / "python"), __file__, "--seed", password],
        env=stack.environment(0),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise BenchError(f"seeding the stack failed:\n{result.stderr[-3000:]}")
    log(f"{USERS} Locust users for {SECONDS} s through nginx")
    before = _cpu_by_part(stack)
    plain = _locust(stack, tmp, "load", USERS, RAMP_SECONDS + SECONDS, password)
    after = _cpu_by_part(stack)
    used = {part: after[part] - before.get(part, 0.0) for part in after}
    log("  CPU seconds used meanwhile: " + ", ".join(
        f"{part} {seconds:.0f}" for part, seconds in sorted(used.items(), key=lambda i: -i[1])
    ))  # fmt: skip
    rows, (pages, held) = _rows(plain), _page_times(plain, USERS, SECONDS)
    total = rows["Aggregated"]
    for name, row in sorted(rows.items()):
        log(
            f"  {name}: {row['Request Count']} requests, median {row['Median Response Time']} "
            f"ms, p95 {row['95%']} ms, {row['Failure Count']} failed"
        )
    if not pages:
        raise BenchError("the load made no page requests")
    p95 = statistics.quantiles(pages, n=100, method="inclusive")[94]
    figure("stack_users", USERS)
    figure("stack_seconds", f"{held:.0f}")  # of steady load, after every user logged in
    figure("stack_page_p95_ms", f"{p95:.0f}")
    figure("stack_page_ms_median", f"{statistics.median(pages):.0f}")
    figure("stack_rps", f"{float(total['Requests/s']):.1f}")
    figure("stack_requests", total["Request Count"])
    figure("stack_failures", total["Failure Count"])
    for name in ("log in", "upload", "pdf", "tick", "reaction"):
        if name in rows:
            label = name.replace(" ", "_")
            figure(f"stack_{label}_ms_median", rows[name]["Median Response Time"])
            figure(f"stack_{label}_ms_p95", rows[name]["95%"])
    locked = sum(
        (folder / f"web{host}.log").read_text(errors="replace").count("database is locked")
        for host in range(len(ports.hosts))
    )
    figure("stack_database_locked", locked)

    log(f"again for {FAULT_SECONDS} s, app host 0 killed at {KILL_AT} s, back at {RESTART_AT} s")
    killer = threading.Thread(target=_kill_and_restart, args=(stack,), daemon=True)
    killer.start()
    faulty = _locust(stack, tmp, "failover", USERS, FAULT_SECONDS, password)
    killer.join(timeout=60)
    acked, lost = _lost_writes(database, faulty / "acked.txt")
    figure("stack_failover_acked_writes", acked)
    figure("stack_failover_lost_writes", lost)
    figure("stack_failover_failures", _rows(faulty)["Aggregated"]["Failure Count"])


def _kill_and_restart(stack) -> None:
    time.sleep(KILL_AT)
    stack.kill_host(0)
    time.sleep(RESTART_AT - KILL_AT)
    stack.start_host(0)


class _Stopper:
    """The stack in the bench's list of servers: stopped whatever happens."""

    name = "stack"

    def __init__(self, stack):
        self.stack = stack

    def log_tail(self) -> str:
        logs = sorted(self.stack.folder.glob("*.log"))
        return "\n".join(f"{p.name}: {p.read_text(errors='replace')[-800:]}" for p in logs)

    def stop(self) -> None:
        self.stack.stop()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--seed"]:
        seed(sys.argv[2])
    else:
        with tempfile.TemporaryDirectory(prefix="toekomstplan-stack-load-") as folder:
            running: list = []
            try:
                figures(Path(folder), running)
            finally:
                for server in running:
                    server.stop()
