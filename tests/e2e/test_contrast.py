"""Controls and graphics stay visible in every cover colour (WCAG 2.1 1.4.11: 3:1).

axe checks the contrast of text only. Here the browser renders a goal page in each palette
and in a few extreme own colours, and the test reads the colours the page really paints
(getComputedStyle) of step boxes, progress fills, the chart line, timeline dots and the focus
ring, against what is behind them.
"""

import re

import pytest
from playwright.sync_api import Page

from toekomstplan.extensions import db
from toekomstplan.models import Plan
from toekomstplan.plan import themes

pytestmark = pytest.mark.e2e

OWN_COLOURS = ["#ffffff", "#fff7ae", "#f0f0f0", "#00ff00", "#ffe66d", "#000000"]
CASES = [(key, None) for key in themes.THEMES] + [(themes.CUSTOM, c) for c in OWN_COLOURS]
MINIMUM = 3.0

# Each entry: what it is, the colour painted, and the colour right behind it.
_PAINTED_JS = """() => {
  const style = (el, pseudo) => getComputedStyle(el, pseudo || null);
  const behind = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const bg = style(node).backgroundColor;
      if (bg && bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") return bg;
    }
    return style(document.body).backgroundColor;
  };
  const found = [];
  const add = (name, el, colour, against) =>
    found.push({name, colour, against: against || behind(el)});
  const done = document.querySelector(".step--done .step__check");
  const open = document.querySelector(".step:not(.step--done) .step__check");
  const fill = document.querySelector(".progress__fill");
  const line = document.querySelector(".chart__line");
  const dot = document.querySelector(".timeline__item");
  if (done) add("done step box", done, style(done).backgroundColor);
  if (open) add("open step box", open, style(open).borderTopColor);
  if (fill) {
    const track = style(fill.parentElement).backgroundColor;
    add("progress fill", fill, style(fill).backgroundColor, track);
  }
  if (line) add("chart line", line, style(line).stroke);
  if (dot) add("timeline dot", dot, style(dot, "::before").borderTopColor);
  return found;
}"""

_FOCUS_RING_JS = """(el) => {
  el.focus();
  const s = getComputedStyle(el);
  let bg = "rgb(255, 255, 255)";
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = getComputedStyle(node).backgroundColor;
    if (c && c !== "rgba(0, 0, 0, 0)") { bg = c; break; }
  }
  return {
    visible: el.matches(":focus-visible"),
    outline: s.outlineColor,
    shadow: s.boxShadow,
    against: bg,
  };
}"""


def rgb(css: str) -> tuple[float, float, float]:
    """Read "rgb(1, 2, 3)" (or rgba, or Chrome's "color(srgb 0.1 0.2 0.3)") as 0-255."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if css.startswith("color(srgb"):
        return tuple(n * 255 for n in numbers[:3])  # type: ignore[return-value]
    return tuple(numbers[:3])  # type: ignore[return-value]


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [c / 255 for c in rgb(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_reader_reads_the_colour_formats_of_chrome():
    assert round(contrast("rgb(255, 255, 255)", "rgb(0, 0, 0)"), 1) == 21.0
    assert rgb("color(srgb 1 0.5 0)") == (255.0, 127.5, 0.0)


@pytest.fixture
def goal_page(live_app, make_youth, log_in, page: Page):
    youth = make_youth(goals=("active",))
    log_in(page, youth)

    def show(theme: str, own_colour: str | None) -> None:
        with live_app.app_context():
            plan = db.session.get(Plan, youth["plan_id"])
            plan.cover_theme, plan.cover_color = theme, own_colour
            plan.revision += 1
            db.session.commit()
        page.goto(f"/goals/{youth['goals']['active']}")

    return show


@pytest.mark.parametrize(("theme", "own_colour"), CASES)
def test_controls_and_graphics_keep_3_to_1_in_every_cover_colour(
    goal_page, page: Page, theme, own_colour
):
    goal_page(theme, own_colour)
    painted = page.evaluate(_PAINTED_JS)
    assert {p["name"] for p in painted} == {
        "done step box",
        "open step box",
        "progress fill",
        "chart line",
        "timeline dot",
    }
    low = {
        p["name"]: round(contrast(p["colour"], p["against"]), 2)
        for p in painted
        if contrast(p["colour"], p["against"]) < MINIMUM
    }
    assert low == {}, f"{theme} {own_colour or ''}: below {MINIMUM}:1"

    ring = page.locator(".step__check").first.evaluate(_FOCUS_RING_JS)
    assert ring["visible"], "the focus ring does not show for keyboard focus"
    tones = [ring["outline"], *re.findall(r"rgba?\([^)]*\)", ring["shadow"])]
    best = max(contrast(tone, ring["against"]) for tone in tones)
    assert best >= MINIMUM, f"focus ring {tones} on {ring['against']}: {best:.2f}:1"
