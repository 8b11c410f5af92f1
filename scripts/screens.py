"""Take full-page screenshots of the main pages at phone and desktop width, for each person.

Usage: .venv/bin/python scripts/screens.py BASE_URL OUTDIR [LOGINS_FILE]
against `make run`: LOGINS_FILE (default instance/demo-logins.txt) holds the demo's log-ins.
Files are named by width and person: "phone_plans_1.png", "desktop-worker_goals_1.png",
"phone-parent_plans_1.png".
"""

import re
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
SUPPORTERS = {"Support worker": ("-worker", WORKER), "Parent": ("-parent", WORKER)}


def read_logins(path: Path) -> dict[str, tuple[str, str]]:
    """Return {"Young person": (login, password), ...} from the demo's log-ins file."""
    found = re.findall(r"^\s+([^:]+):\s+(\S+) / (\S+)$", path.read_text(), re.MULTILINE)
    return {who: (login, password) for who, login, password in found}


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


def main(base: str, outdir: str, logins_file: str = "instance/demo-logins.txt") -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    logins = read_logins(Path(logins_file))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, height, tag in ((360, 740, "phone"), (1280, 800, "desktop")):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for path in ANONYMOUS:
                page.goto(base + path)
                name = path.replace("/", "_") or "_"
                page.screenshot(path=out / f"{tag}{name}.png", full_page=True)
            log_in(page, base, *logins["Young person"])
            page.goto(base + "/plans/1/media")
            details = page.eval_on_selector_all(
                ".media-card__link", "links => links.map(a => a.getAttribute('href'))"
            )
            shoot(page, base, OWNER + details[:2], out, tag)
            context.close()
            for who, (suffix, paths) in SUPPORTERS.items():
                if who in logins:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    log_in(page, base, *logins[who])
                    shoot(page, base, paths, out, tag + suffix)
                    context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
