"""Cover colour themes and layouts, with text colours that stay readable."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
INK_DARK = "#1b1b1f"
INK_LIGHT = "#ffffff"


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    background: str
    accent: str


THEMES = {
    t.key: t
    for t in (
        Theme("sunrise", _l("Sunrise"), "#f4a259", "#8c3b0c"),
        Theme("ocean", _l("Ocean"), "#1d4e89", "#9fd3ff"),
        Theme("forest", _l("Forest"), "#2d6a4f", "#b7e4c7"),
        Theme("berry", _l("Berry"), "#7b2d5b", "#ffc2e2"),
        Theme("sky", _l("Sky"), "#a8dadc", "#1d3557"),
        Theme("night", _l("Night"), "#22223b", "#f2c14e"),
        Theme("lemon", _l("Lemon"), "#ffe66d", "#6b4e00"),
        Theme("coral", _l("Coral"), "#ef8a6f", "#5c1a0b"),
    )
}
CUSTOM = "custom"
DEFAULT_THEME = "sunrise"

LAYOUTS = {
    "classic": _l("Classic: photo in a circle, title below"),
    "band": _l("Band: big photo, title in a band"),
    "split": _l("Split: photo on one side, text on the other"),
    "poster": _l("Poster: big letters, small photo"),
}
DEFAULT_LAYOUT = "classic"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_for(background: str) -> str:
    """Pick dark or light text, whichever reads better on `background` (always >= 4.5:1)."""
    return (
        INK_DARK if contrast(background, INK_DARK) >= contrast(background, INK_LIGHT) else INK_LIGHT
    )


# Controls and graphics in the plan's colour (step boxes, progress fills, the chart line,
# timeline dots) sit on white cards and on light progress tracks: WCAG 2.1 1.4.11 asks 3:1
# against those. This is the darkest of them (the track of a progress bar).
LIGHTEST_BEHIND = "#e4dfd7"  # a shade darker than the track (#e9e5de), for margin
GRAPHICS_CONTRAST = 3.2  # a little above 3:1, so rounding in browsers never drops below it


def _mix_black(hex_colour: str, share: float) -> str:
    channels = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * (1 - share)):02x}" for c in channels)


def strong(background: str) -> str:
    """The cover colour, darkened just enough for controls and graphics to stand out (>= 3:1).

    The same hue, so a step box still looks like the young person's colour; the cover keeps
    the colour as chosen.
    """
    for step in range(21):
        candidate = _mix_black(background, step / 20)
        if contrast(candidate, LIGHTEST_BEHIND) >= GRAPHICS_CONTRAST:
            return candidate
    return INK_DARK


@dataclass(frozen=True)
class Colours:
    background: str
    ink: str
    accent: str

    @property
    def strong(self) -> str:
        """For controls and graphics on white: see `strong`."""
        return strong(self.background)

    @property
    def on_strong(self) -> str:
        return ink_for(self.strong)


def colours(theme: str, custom: str | None) -> Colours:
    """Return the colours of a cover: a palette, or the young person's own colour."""
    if theme == CUSTOM and custom and HEX.match(custom):
        ink = ink_for(custom)
        return Colours(custom.lower(), ink, ink)
    palette = THEMES.get(theme) or THEMES[DEFAULT_THEME]
    return Colours(palette.background, ink_for(palette.background), palette.accent)
