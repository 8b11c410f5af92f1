"""The production shape under load: Locust users on `make stack`'s shape, on loopback.

Starts scripts/stack.py's Stack (PostgreSQL, Redis, SeaweedFS, two app hosts, a consumer,
nginx) on free ports with a fresh database, makes YOUTH young people (a plan of three goals
each) and WORKERS workers (each with four of those plans shared), then

1. runs USERS Locust users (bench/locustfile.py) for SECONDS seconds, with 1-3 s between
   actions, and reports the page requests' 95th percentile once every user has started and
   logged in (`stack_page_p95_ms`, pages only: no writes, uploads or PDFs; the log-ins as
   their own figure), the requests served a second (`stack_rps`), the failed
   requests (`stack_failures`), and uploads and PDFs as their own figures;
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


def _rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "load_stats.csv").open() as fh:
        return {row["Name"]: row for row in csv.DictReader(fh)}


SETTLE_SECONDS = 10  # after the last user started: their log-ins (Argon2) are done


def _page_times(out: Path) -> list[float]:
    """Page times once every user has started and logged in: 100 people starting within
    ten seconds all hash a password at once (Argon2, on purpose slow), which real use never
    does; the log-ins are reported as their own figure."""
    path = out / "pages.txt"
    lines = [line.split() for line in path.read_text().splitlines()] if path.exists() else []
    spawned = next((float(at) for at, what in lines if what == "spawned"), None)
    if spawned is None:
        raise BenchError("Locust never finished starting its users")
    return [
        float(ms) for at, ms in lines if ms != "spawned" and float(at) > spawned + SETTLE_SECONDS
    ]


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
    plain = _locust(stack, tmp, "load", USERS, SECONDS, password)
    rows, pages = _rows(plain), _page_times(plain)
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
    figure("stack_seconds", SECONDS)
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
