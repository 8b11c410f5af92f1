"""Photos, videos and drawings on a phone: upload with progress, caption, cover, play, draw."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from toekomstplan.extensions import db
from toekomstplan.models import Media, MediaStatus

from .. import mediafiles

pytestmark = pytest.mark.e2e
CAPTION = "My first cake"
# Headless Chromium has no idle time, so canvas.toBlob() in draw.js waits for its fallback
# timers (1 s, sometimes over 5 s) before the drawing is even sent.
SAVE_DRAWING_TIMEOUT = 30_000
GPS_IFD = 0x8825

# Marks the page, so a later check can tell that it was not loaded again meanwhile.
# Waits until an <img> has loaded (decode() rejects when it is broken); gives its width.
_LOADED_WIDTH_JS = "img => img.decode().then(() => img.naturalWidth)"
_MARK_PAGE_JS = "() => { window.__samePage = true; }"
_SAME_PAGE_JS = "() => window.__samePage === true"


def open_gallery(page: Page, youth: dict) -> None:
    """Go from the plan home to "Photos and videos"."""
    expect(page).to_have_url(re.compile(rf"/plans/{youth['plan_id']}$"))
    page.get_by_role("region", name="Photos and videos").get_by_role(
        "link", name="Add photos or videos"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Photos and videos")
    expect(page.locator("[data-media-empty]")).to_be_visible()


def upload_photo_and_video(page: Page, tmp_path: Path, check_phone_layout) -> None:
    photo = tmp_path / "cake.jpg"
    photo.write_bytes(mediafiles.jpeg_with_gps(size=(640, 480)))
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(mediafiles.video(tmp_path))
    page.evaluate(_MARK_PAGE_JS)

    page.locator("[data-upload-input]").set_input_files([photo, clip])
    # upload.js adds one row per file, each with its own progress bar, before sending.
    rows = page.locator("[data-upload-list] .upload-row")
    expect(rows).to_have_count(2)
    expect(rows.locator(".upload-row__name")).to_have_text(["cake.jpg", "clip.mp4"])
    expect(rows.locator("progress")).to_have_count(2)

    # Both cards arrive in the grid; the video may wait ("Getting your video ready…") and
    # is swapped for the ready card by polling.
    grid = page.locator("[data-media-grid]")
    cards = grid.locator(".media-card")
    expect(cards).to_have_count(2, timeout=30_000)
    expect(grid.locator(".media-card[data-status=ready]")).to_have_count(2, timeout=30_000)
    # Named by date, never by the camera's file name ("cake.jpg" stays out of the grid).
    photo_link = grid.get_by_role("link", name=re.compile(r"^Photo of \w+ \d+, \d{4}$"))
    expect(photo_link.locator("img")).to_be_visible()
    expect(grid).not_to_contain_text("cake.jpg")
    video_card = grid.locator(".media-card", has=page.locator(".media-card__badge"))
    expect(video_card).to_have_count(1)
    expect(video_card.locator(".media-card__badge")).to_have_text(re.compile(r"▶ 0:0[01]"))
    expect(page.locator("[data-media-empty]")).to_have_count(0)
    assert page.evaluate(_SAME_PAGE_JS), "the gallery was loaded again during the upload"
    # The rows say "Done!" and go away by themselves.
    expect(rows).to_have_count(0)
    check_phone_layout(page)


def served_photo_has_no_location(page: Page) -> None:
    """The photo the browser gets carries no GPS position (it was in the upload)."""
    src = page.locator(".media-detail img").get_attribute("src")
    response = page.request.get(src)
    assert response.ok
    exif = Image.open(io.BytesIO(response.body())).getexif()
    assert not exif.get_ifd(GPS_IFD), "the served photo still tells where it was taken"


def caption_the_photo(page: Page, check_phone_layout) -> None:
    named_by_date = re.compile(r"^Photo of \w+ \d+, \d{4}$")
    page.locator("[data-media-grid]").get_by_role("link", name=named_by_date).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(named_by_date)
    photo = page.locator(".media-detail img")
    expect(photo).to_be_visible()
    assert photo.evaluate(_LOADED_WIDTH_JS) > 0
    served_photo_has_no_location(page)
    check_phone_layout(page)

    page.get_by_label("Caption").fill(CAPTION)
    page.locator("form[action$='/caption']").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(page.locator(".media-detail figcaption")).to_have_text(CAPTION)
    expect(page.locator(".media-detail img")).to_have_attribute("alt", CAPTION)
    expect(page.get_by_label("Caption")).to_have_value(CAPTION)
    expect(page).to_have_title(re.compile(CAPTION))


def put_photo_on_cover(page: Page, youth: dict, check_phone_layout) -> None:
    page.goto(f"/plans/{youth['plan_id']}")
    page.get_by_role("link", name="Design my cover").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Design my cover")
    preview = page.locator(".editor__preview [data-cover-photo]")
    expect(preview.locator("img")).to_have_count(0)
    check_phone_layout(page)

    page.locator("label.photo-choice", has_text=CAPTION).click()
    expect(page.get_by_role("radio", name=CAPTION)).to_be_checked()
    # The live preview (app.js) shows the photo before anything is saved.
    expect(preview.locator("img")).to_be_visible()
    expect(preview).to_have_class(re.compile(r"\bcover__photo--filled\b"))
    page.locator(".segmented label", has_text="Top").click()
    expect(page.get_by_role("radio", name="Top")).to_be_checked()
    expect(preview.locator("img")).to_have_class(re.compile(r"\bcover__img--top\b"))

    page.get_by_role("button", name="Save my cover").click()
    expect(page).to_have_url(re.compile(rf"/plans/{youth['plan_id']}$"))
    expect(page.get_by_role("status")).to_contain_text("Your cover is saved.")
    cover_img = page.locator(".cover-frame img.cover__img")
    expect(cover_img).to_be_visible()
    expect(cover_img).to_have_class(re.compile(r"\bcover__img--top\b"))
    assert cover_img.evaluate(_LOADED_WIDTH_JS) > 0
    check_phone_layout(page)


def play_the_video(page: Page, check_phone_layout) -> None:
    page.get_by_role("region", name="Photos and videos").get_by_role(
        "link", name="Video", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Video of "))
    video = page.locator(".media-detail video")
    expect(video).to_be_visible()
    # Not page.wait_for_function: its string predicate needs eval, which our CSP forbids.
    video.evaluate(
        """v => v.readyState >= 1 || new Promise((resolve, reject) => {
          v.addEventListener('loadedmetadata', resolve, {once: true});
          v.addEventListener('error', () => reject(new Error('video error')), {once: true});
        })"""
    )
    assert video.evaluate("v => v.readyState >= 1")
    assert video.evaluate("v => v.duration") > 0
    assert video.evaluate("v => v.videoWidth") > 0
    seeked = video.evaluate(
        """v => new Promise((resolve, reject) => {
          v.addEventListener('seeked', () => resolve(v.currentTime), {once: true});
          v.addEventListener('error', () => reject(new Error('video error')), {once: true});
          v.currentTime = 0.5;
        })"""
    )
    assert seeked == pytest.approx(0.5, abs=0.1)
    check_phone_layout(page)


def test_young_person_adds_a_photo_and_a_video(
    page: Page, make_youth, log_in, tmp_path, check_phone_layout
):
    youth = make_youth()
    log_in(page, youth)
    open_gallery(page, youth)
    check_phone_layout(page)
    upload_photo_and_video(page, tmp_path, check_phone_layout)
    caption_the_photo(page, check_phone_layout)
    put_photo_on_cover(page, youth, check_phone_layout)
    play_the_video(page, check_phone_layout)


def set_status(live_app, media_id: str, status: MediaStatus) -> None:
    with live_app.app_context():
        db.session.get(Media, media_id).status = status
        db.session.commit()


def test_gallery_swaps_a_video_in_when_it_is_ready(page: Page, make_youth, log_in, live_app):
    """The video job runs at once here, so the test plays the waiting part itself."""
    youth = make_youth(media=("mp4",))
    video_id = youth["media"]["mp4"]
    set_status(live_app, video_id, MediaStatus.PROCESSING)
    log_in(page, youth)
    page.goto(f"/plans/{youth['plan_id']}/media")
    card = page.locator(f"#media-{video_id}")
    expect(card).to_have_attribute("data-status", "processing")
    expect(card).to_contain_text("Getting your video ready")
    page.evaluate(_MARK_PAGE_JS)

    set_status(live_app, video_id, MediaStatus.READY)
    # upload.js asks every 3 seconds.
    expect(card).to_have_attribute("data-status", "ready", timeout=15_000)
    expect(card.locator(".media-card__badge")).to_be_visible()
    expect(card.locator("img")).to_be_visible()
    assert page.evaluate(_SAME_PAGE_JS), "the gallery was loaded again"


def canvas_picture(page: Page) -> str:
    return page.locator("[data-draw-canvas]").evaluate("c => c.toDataURL()")


_CENTRE_JS = "c => c.scrollIntoView({block: 'center', behavior: 'instant'})"


def canvas_points(page: Page, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Bring the canvas into view (the sticky top bar hides its top otherwise) and return
    `points`, given as fractions of the canvas, in page pixels."""
    canvas = page.locator("[data-draw-canvas]")
    canvas.evaluate(_CENTRE_JS)
    box = canvas.bounding_box()
    assert box is not None
    return [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]


def draw_with_mouse(page: Page, points: list[tuple[float, float]]) -> None:
    """Drag the mouse over the canvas through `points` (fractions of its size)."""
    first, *rest = canvas_points(page, points)
    page.mouse.move(*first)
    page.mouse.down()
    for x, y in rest:
        page.mouse.move(x, y, steps=5)
    page.mouse.up()


def draw_with_finger(page: Page, points: list[tuple[float, float]]) -> None:
    """Drag a finger over the canvas through `points`: real touch events, through CDP."""
    pixels = canvas_points(page, points)
    cdp = page.context.new_cdp_session(page)
    try:
        for i, (x, y) in enumerate(pixels):
            kind = "touchStart" if i == 0 else "touchMove"
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        cdp.detach()


def test_young_person_makes_a_drawing(page: Page, make_youth, log_in, check_phone_layout):
    youth = make_youth()
    log_in(page, youth)
    open_gallery(page, youth)
    page.get_by_role("link", name="Make a drawing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a drawing")
    canvas = page.locator("[data-draw-canvas]")
    expect(canvas).to_be_visible()  # draw.js shows the drawing area
    check_phone_layout(page)
    blank = canvas_picture(page)

    draw_with_mouse(page, [(0.2, 0.2), (0.5, 0.4), (0.8, 0.3)])
    first = canvas_picture(page)
    assert first != blank, "the stroke did not show on the canvas"
    page.get_by_role("button", name="Undo the last line").click()
    assert canvas_picture(page) == blank, "undo did not take the stroke away"

    page.get_by_role("button", name="Red").click()
    expect(page.get_by_role("button", name="Red")).to_have_attribute("aria-pressed", "true")
    draw_with_finger(page, [(0.3, 0.6), (0.4, 0.65), (0.6, 0.7), (0.7, 0.5)])
    assert canvas_picture(page) not in (blank, first)

    page.get_by_role("button", name="Save my drawing").click()
    page.wait_for_url(re.compile(r"/media/[^/]+$"), timeout=SAVE_DRAWING_TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text("My drawing")
    expect(page.get_by_role("status").first).to_contain_text("Your drawing is saved.")
    drawing = page.locator(".media-detail img")
    expect(drawing).to_be_visible()
    assert drawing.evaluate(_LOADED_WIDTH_JS) > 0
    check_phone_layout(page)

    page.get_by_role("link", name="Back to photos and videos").click()
    expect(page.locator("[data-media-grid] .media-card")).to_have_count(1)


def test_drawing_that_cannot_be_saved_says_so(page: Page, make_youth, log_in):
    youth = make_youth()
    log_in(page, youth)
    page.goto(f"/plans/{youth['plan_id']}/draw")
    draw_with_mouse(page, [(0.2, 0.5), (0.8, 0.5)])
    # The phone loses its connection: the browser's own error text must not show.
    page.route("**/media", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Save my drawing").click()
    expect(page.locator("[data-draw-status]")).to_have_text(
        "Saving did not work. Try again.", timeout=SAVE_DRAWING_TIMEOUT
    )
    expect(page).to_have_url(re.compile(r"/draw$"))


REFUSED = {
    "en-GB": "We cannot show this file",
    "nl-NL": "Dit bestand kunnen we niet laten zien",
}


@pytest.mark.parametrize("locale", list(REFUSED))
def test_a_file_that_is_no_photo_is_refused(
    page: Page, make_youth, log_in, tmp_path, check_phone_layout, locale
):
    youth = make_youth()
    log_in(page, youth)
    page.goto(f"/plans/{youth['plan_id']}/media")
    fake = tmp_path / "holiday.jpg"
    fake.write_text("These are my notes, not a photo.\n")

    page.locator("[data-upload-input]").set_input_files(fake)
    row = page.locator("[data-upload-list] .upload-row")
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bupload-row--error\b"))
    expect(row).to_contain_text("holiday.jpg")
    expect(row).to_contain_text(REFUSED[locale])
    expect(row.locator("progress")).to_have_count(0)
    expect(row.get_by_role("button")).to_have_count(0)  # nothing left to stop
    expect(page.locator("[data-media-grid] .media-card")).to_have_count(0)
    expect(page.locator("[data-media-empty]")).to_be_visible()
    check_phone_layout(page)
