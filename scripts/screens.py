"""Take full-page screenshots of the main pages at phone and desktop width.

Usage: .venv/bin/python scripts/screens.py BASE_URL LOGIN PASSWORD OUTDIR [WORKER WORKER_PASSWORD]
(for example against `make run` with the demo log-ins from instance/demo-logins.txt). With a
worker's log-in, the pages the support worker sees are taken too (their files start "worker").
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ANONYMOUS = ["/", "/login", "/register", "/help", "/forgot"]
OWNER = [
    "/plans/1",
    "/plans/1/cover",
    "/plans/1/intro",
    "/plans/1/about",
    "/plans/1/media",
    "/plans/1/goals",
    "/plans/1/inspiration",
    "/plans/1/goals/new",
    "/goals/1",
    "/goals/4",
    "/plans/1/draw",
    "/plans/1/sharing",
    "/plans/1/log",
    "/plans/1/export",
    "/account",
    "/help",
]
WORKER = ["/", "/plans/1", "/plans/1/goals", "/goals/1", "/goals/4", "/plans/1/export", "/account"]


def log_in(page, base: str, login: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("button[type=submit]")


def shoot(page, base: str, paths: list[str], out: Path, prefix: str) -> None:
    for path in paths:
        page.goto(base + path)
        page.wait_for_timeout(300)
        page.screenshot(path=out / f"{prefix}{path.replace('/', '_')}.png", full_page=True)


def main(base: str, login: str, password: str, outdir: str, *worker: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, height, tag in ((360, 740, "phone"), (1280, 800, "desktop")):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for path in ANONYMOUS:
                page.goto(base + path)
                name = path.replace("/", "_") or "_"
                page.screenshot(path=out / f"{tag}{name}.png", full_page=True)
            log_in(page, base, login, password)
            page.goto(base + "/plans/1/media")
            details = page.eval_on_selector_all(
                ".media-card__link", "links => links.map(a => a.getAttribute('href'))"
            )
            shoot(page, base, OWNER + details[:2], out, tag)
            context.close()
            if worker:
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                log_in(page, base, *worker[:2])
                shoot(page, base, WORKER, out, f"{tag}-worker")
                context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:7])
