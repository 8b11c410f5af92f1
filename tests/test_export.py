"""PDF export: what goes in, for whom, what is never fetched, and how page 1 looks."""

import http.server
import re
import shutil
import subprocess
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import segno
import sqlalchemy as sa

from toekomstplan.export import contents, render, services
from toekomstplan.extensions import db
from toekomstplan.goals import evidence as goal_evidence
from toekomstplan.goals import services as goal_services
from toekomstplan.media import services as media_services
from toekomstplan.models import (
    AccessEvent,
    Comment,
    Goal,
    HiddenGoal,
    Meeting,
    Plan,
    Share,
    Step,
    User,
    UserKind,
)
from toekomstplan.plan import services as plan_services

from .mediafiles import jpeg_with_gps, video

GOALS = {
    "job": ("Ik wil een bijbaan vinden", ["Mijn cv maken", "Vacatures zoeken"]),
    "cook": ("Ik wil leren koken", ["Drie recepten kiezen", "Samen boodschappen doen"]),
    "secret": ("Ik wil stoppen met blowen", ["Praten met de huisarts"]),
}
ABOUT = "Ik ben een goede luisteraar"
INTRO = "Hoi! Ik ben Sam en ik wil later met dieren werken."


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.decode().split())


def pdf_tool(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils"
    path = tmp_path / "tool.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([tool, *args, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def page_png(pdf: bytes, tmp_path: Path, page: int, dpi: int = 30):
    from PIL import Image

    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    prefix = tmp_path / f"page-{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
        + [str(path), str(prefix)],
        check=True,
    )
    return Image.open(f"{prefix}.png").convert("RGB")


def fill_plan(app, plan_id: int, *, theme="ocean", intro=INTRO, photo=False) -> dict:
    """Give a plan a cover, an introduction, "about me" and GOALS; return the goal ids."""
    with app.test_request_context():
        plan = db.session.get(Plan, plan_id)
        cover_photo = None
        if photo:
            path = Path(app.config["UPLOAD_DIR"]).parent / "cover.jpg"
            path.write_bytes(jpeg_with_gps(size=(800, 600), orientation=1, colour=(250, 250, 250)))
            cover_photo = media_services.store_upload(plan, path, label="cover.jpg")
        plan_services.update_cover(
            plan,
            title="Mijn toekomst",
            subtitle="Stap voor stap",
            theme=theme,
            color=None,
            layout="classic",
            photo=cover_photo,
        )
        plan_services.update_intro(plan, intro)
        plan_services.add_about_item(plan, "quality", ABOUT)
        ids = {}
        for key, (title, steps) in GOALS.items():
            goal = goal_services.create_goal(plan, title=title, why="Omdat ik dat wil", steps=steps)
            ids[key] = goal.id
        goal_services.toggle_step(db.session.get(Step, _first_step(ids["job"])), True)
        return ids


def _first_step(goal_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.min(Step.id)).where(Step.goal_id == goal_id))


def share(app, plan_id: int, user: User, *, role="worker", hidden=(), **sees) -> int:
    with app.app_context():
        row = Share(plan_id=plan_id, user_id=user.id, role=role, label=user.name, **sees)
        row.hidden_goals = [HiddenGoal(goal_id=goal_id) for goal_id in hidden]
        db.session.add(row)
        db.session.commit()
        return row.id


@pytest.fixture
def as_youth(client, youth):
    return client


@pytest.fixture
def worker_client(app, new_client, login, make_user, youth):
    """A support worker the young person shares with; one goal and "about me" hidden."""
    worker = make_user(kind=UserKind.SUPPORTER, name="Mo")
    ids = fill_plan(app, youth.plan.id)
    share(app, youth.plan.id, worker, hidden=[ids["secret"]], sees_about=False)
    browser = new_client()
    login(browser, worker.username, worker.password)
    browser.ids = ids
    browser.user = worker
    return browser


def meeting_form(ids: dict, **overrides) -> dict:
    form = {
        "sections": ["intro", "about", "goals", "media"],
        "goals": [str(i) for i in ids.values()],
        "comments": "recent",
        "since": "",
        "held_on": "",
        "point_1": "",
        "point_2": "",
        "point_3": "",
    }
    form.update(overrides)
    return form


# What goes in


def test_owner_downloads_the_whole_plan_with_cover_goals_and_steps(app, as_youth, youth, tmp_path):
    fill_plan(app, youth.plan.id)
    response = as_youth.get(f"/plans/{youth.plan.id}/plan.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"%PDF-")
    text = pdftotext(response.data, tmp_path)
    for expected in ("Mijn toekomst", "Stap voor stap", INTRO, ABOUT):
        assert expected in text
    for title, steps in GOALS.values():
        assert title in text
        for step in steps:
            assert step in text
    assert "of 5" in text or re.search(r"Page \d+ of \d+", text)


def test_worker_gets_only_what_is_shared_with_them(worker_client, youth, tmp_path):
    response = worker_client.get(f"/plans/{youth.plan.id}/plan.pdf")
    assert response.status_code == 200
    text = pdftotext(response.data, tmp_path)
    assert "Mijn toekomst" in text and INTRO in text
    assert GOALS["job"][0] in text and GOALS["cook"][1][1] in text
    secret_title, secret_steps = GOALS["secret"]
    assert secret_title not in text and secret_steps[0] not in text
    assert ABOUT not in text  # "about me" is not shared with the worker


def test_worker_form_lists_only_shared_goals_and_cannot_record_a_meeting(
    worker_client, post, youth
):
    page = worker_client.get(f"/plans/{youth.plan.id}/export").get_data(as_text=True)
    assert GOALS["job"][0] in page
    assert GOALS["secret"][0] not in page
    assert "Save the meeting" not in page
    response = post(worker_client, f"/plans/{youth.plan.id}/meetings", {"held_on": "2026-01-05"})
    assert response.status_code == 404


def test_meeting_version_without_about_me_and_one_goal(app, as_youth, post, youth, tmp_path):
    ids = fill_plan(app, youth.plan.id)
    form = meeting_form(ids, sections=["intro", "goals"], goals=[str(ids["cook"])])
    response = post(as_youth, f"/plans/{youth.plan.id}/meeting.pdf", form)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdftotext(response.data, tmp_path)
    assert "Mijn toekomst" in text and INTRO in text
    assert GOALS["cook"][0] in text
    assert ABOUT not in text
    assert GOALS["job"][0] not in text and GOALS["secret"][0] not in text


def test_meeting_form_with_a_bad_choice_is_refused(app, as_youth, post, youth):
    ids = fill_plan(app, youth.plan.id)
    bad = meeting_form(ids, goals=["not a goal"], comments="since", since="")
    response = post(as_youth, f"/plans/{youth.plan.id}/meeting.pdf", bad)
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def _age_history(app, plan_id: int, days: int) -> None:
    """Move everything that happened in the plan `days` into the past."""
    then = datetime.now(UTC) - timedelta(days=days)
    with app.app_context():
        goal_ids = db.session.scalars(sa.select(Plan).where(Plan.id == plan_id)).one().goals
        for goal in goal_ids:
            goal.created_at = then
            for event in goal.events:
                event.at = then
            for step in goal.steps:
                if step.done_at:
                    step.done_at = then
        db.session.commit()


def test_meeting_version_shows_talking_points_and_marks_what_changed(
    app, as_youth, post, youth, worker_client, tmp_path
):
    plan_id = youth.plan.id
    ids = worker_client.ids
    two_weeks_ago = date.today() - timedelta(days=14)
    answer = post(as_youth, f"/plans/{plan_id}/meetings", {"held_on": two_weeks_ago.isoformat()})
    assert answer.status_code == 302
    _age_history(app, plan_id, days=20)
    # Since that meeting: a step ticked, a rating, a new goal, and a worker's reaction.
    with app.test_request_context():
        plan = db.session.get(Plan, plan_id)
        cook = db.session.get(Plan, plan_id).goals[1]
        goal_services.toggle_step(cook.steps[0], True)
        goal_services.set_rating(cook, "good")
        goal_services.create_goal(plan, title="Ik wil een zwemdiploma", steps=["Les nemen"])
        db.session.add(
            Comment(goal_id=cook.id, author_id=worker_client.user.id, body="Goed bezig met koken!")
        )
        db.session.commit()
    points = {"point_1": "Mijn stage", "point_2": "", "point_3": "Geld voor een kamer"}
    today = {"held_on": date.today().isoformat(), **points}
    assert (
        post(as_youth, f"/plans/{plan_id}/meetings", meeting_form(ids, **today)).status_code == 302
    )
    with app.app_context():
        saved = db.session.scalars(sa.select(Meeting).order_by(Meeting.held_on)).all()
        assert [m.talking_points for m in saved] == [[], ["Mijn stage", "Geld voor een kamer"]]

    form = meeting_form(ids)
    del form["goals"]
    with app.app_context():
        every = db.session.scalars(sa.select(Plan).where(Plan.id == plan_id)).one().goals
        form["goals"] = [str(g.id) for g in every]
    response = post(as_youth, f"/plans/{plan_id}/meeting.pdf", form)
    assert response.status_code == 200
    text = pdftotext(response.data, tmp_path)
    assert "What do I want to talk about?" in text
    assert "Mijn stage" in text and "Geld voor een kamer" in text
    assert "Since the last meeting" in text
    assert "New since the last meeting" in text  # the new goal
    assert "Done since the last meeting" in text  # the ticked step
    assert "Going well" in text and "Not going yet" not in text
    assert "Goed bezig met koken!" in text
    assert "1 step done" in text and "1 new goal" in text and "1 new reaction" in text


def test_worker_meeting_version_is_narrowed_by_the_young_persons_choice(
    app, as_youth, post, youth, worker_client, tmp_path
):
    ids = worker_client.ids
    plan_id = youth.plan.id
    chosen = meeting_form(ids, held_on=date.today().isoformat(), goals=[str(ids["job"])])
    assert post(as_youth, f"/plans/{plan_id}/meetings", chosen).status_code == 302
    wanted = meeting_form(ids, goals=[str(ids["job"]), str(ids["cook"])])
    del wanted["held_on"]
    response = post(worker_client, f"/plans/{plan_id}/meeting.pdf", wanted)
    assert response.status_code == 200
    text = pdftotext(response.data, tmp_path)
    assert GOALS["job"][0] in text
    assert GOALS["cook"][0] not in text  # left out of the meeting by the young person
    assert GOALS["secret"][0] not in text


# Nothing from outside


class Listener:
    """A tiny HTTP server on 127.0.0.1 that records every request it gets."""

    def __init__(self):
        self.requests: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                listener.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { background: red }")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    with Listener() as running:
        yield running


def hostile_text(url: str) -> str:
    return (
        '<img src="file:///etc/passwd"> '
        f'<img src="{url}/img.png"> <link rel="stylesheet" href="{url}/link.css"> '
        f"<style>@import url({url}/import.css); body {{ background: url({url}/bg.png) }}</style> "
        f'<p style="background: url({url}/inline.png)">x</p> '
        f"<object data='{url}/object'></object> <iframe src='{url}/frame'></iframe>"
    )


def test_hostile_plan_text_fetches_nothing_and_shows_as_text(
    app, as_youth, youth, listener, tmp_path, monkeypatch
):
    fetched = []
    original = render.StaticFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(render.StaticFetcher, "fetch", spy)
    ids = fill_plan(app, youth.plan.id, intro=hostile_text(listener.url), photo=True)
    with app.test_request_context():
        goal = db.session.get(Plan, youth.plan.id).goals[0]
        goal_services.add_step(goal, f"url({listener.url}/step.png) @import '{listener.url}/x'")
        plan_services.add_about_item(
            db.session.get(Plan, youth.plan.id), "hobby", f"<img src='{listener.url}/about'>"
        )
    assert ids
    response = as_youth.get(f"/plans/{youth.plan.id}/plan.pdf")
    assert response.status_code == 200
    assert listener.requests == []
    assert fetched and all(u.startswith("tp:media/") for u in fetched), fetched  # the cover
    text = pdftotext(response.data, tmp_path)
    assert '<img src="file:///etc/passwd">' in text  # shown as the text it is
    assert "root:" not in text
    assert f"{listener.url}/import.css" in text


def test_fetcher_refuses_every_url_but_our_own(app, youth, make_user, listener, tmp_path):
    ids = fill_plan(app, youth.plan.id, photo=True)
    other = make_user(name="Ander")
    with app.test_request_context():
        plan = db.session.get(Plan, youth.plan.id)
        owner = db.session.get(User, youth.id)
        cover = media_services.attached(plan).cover
        path = Path(app.config["UPLOAD_DIR"]).parent / "other.jpg"
        path.write_bytes(jpeg_with_gps(size=(80, 60)))
        foreign = media_services.store_upload(db.session.get(Plan, other.plan.id), path, label="x")
        fetcher = render.ExportFetcher(plan, owner)
        allowed = [
            "tp:static/css/print.css",
            "tp:static/fonts/AtkinsonHyperlegible-Regular.ttf",
            render.media_url(cover, 1),
            render.media_url(cover, 4),
        ]
        for url in allowed:
            assert fetcher(url).read()
        refused = [
            "file:///etc/passwd",
            f"{listener.url}/x.png",
            "https://example.org/x.png",
            "data:image/png;base64,iVBORw0KGgo=",
            "ftp://127.0.0.1/x",
            "x.png",
            "/etc/passwd",
            "../../etc/passwd",
            "tp:static/../../config.py",
            "tp:static/css/app.css",
            "tp:static/fonts/../css/app.css",
            f"tp:media/{cover.id}/master/1",
            f"tp:media/{cover.id}/print/3",
            f"tp:media/{cover.id}/print/1/x",
            f"tp:media/{foreign.id}/print/1",  # another plan's photo
            "tp:media/../../uploads/print/1",
            "TP:static/css/print.css",
        ]
        for url in refused:
            with pytest.raises(render.Refused):
                fetcher(url)
        stylesheet_only = render.StaticFetcher(app.static_folder)  # for print.css and fonts
        assert stylesheet_only("tp:static/css/print.css").read()
        with pytest.raises(render.Refused):
            stylesheet_only(render.media_url(cover, 1))
        # The same URLs in HTML (as if a template ever let one through): nothing is fetched.
        tags = "".join(f'<img src="{u}">' for u in refused)
        styles = (
            f"<style>@import url({listener.url}/i.css);"
            f" p {{ background: url({listener.url}/b.png) }}</style>"
            f"<link rel=stylesheet href='{listener.url}/l.css'>"
        )
        html = f"<html><head>{styles}</head><body><p>x</p>{tags}</body></html>"
        pdf = render.render_pdf(html, plan=plan, viewer=owner)
    assert pdf.startswith(b"%PDF-")
    assert listener.requests == []
    assert "root:" not in pdftotext(pdf, tmp_path)
    assert ids


def test_worker_fetcher_refuses_a_photo_on_a_hidden_goal(app, youth, make_user):
    ids = fill_plan(app, youth.plan.id)
    worker = make_user(kind=UserKind.SUPPORTER, name="Mo")
    share(app, youth.plan.id, worker, hidden=[ids["secret"]])
    with app.test_request_context():
        plan = db.session.get(Plan, youth.plan.id)
        path = Path(app.config["UPLOAD_DIR"]).parent / "evidence.jpg"
        path.write_bytes(jpeg_with_gps(size=(80, 60)))
        photo = media_services.store_upload(plan, path, label="evidence.jpg")
        goal_evidence.add(db.session.get(Goal, ids["secret"]), photo)
        owner_fetcher = render.ExportFetcher(plan, db.session.get(User, youth.id))
        assert owner_fetcher(render.media_url(photo, 2)).read()  # now in the scaled cache
        fetcher = render.ExportFetcher(plan, db.session.get(User, worker.id))
        with pytest.raises(render.Refused):
            fetcher(render.media_url(photo, 2))


# Access


def test_pdf_follows_the_plans_access_rules(
    app, client, new_client, login, post, make_user, youth, tmp_path
):
    ids = fill_plan(app, youth.plan.id)
    worker = make_user(kind=UserKind.SUPPORTER, name="Mo")
    viewer = make_user(kind=UserKind.SUPPORTER, name="Mama")
    stranger = make_user(kind=UserKind.SUPPORTER, name="X")
    revoked = make_user(kind=UserKind.SUPPORTER, name="R")
    share(app, youth.plan.id, worker)
    share(app, youth.plan.id, viewer, role="viewer")
    revoked_share = share(app, youth.plan.id, revoked)
    with app.app_context():
        db.session.delete(db.session.get(Share, revoked_share))
        db.session.commit()
    url = f"/plans/{youth.plan.id}/plan.pdf"

    def as_(user):
        browser = new_client()
        login(browser, user.username, user.password)
        return browser

    for user in (youth, worker, viewer):
        browser = as_(user)
        response = browser.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert browser.get(f"/plans/{youth.plan.id}/export").status_code == 200
    for user in (stranger, revoked):
        browser = as_(user)
        assert browser.get(url).status_code == 404
        assert browser.get(f"/plans/{youth.plan.id}/export").status_code == 404
        answer = post(browser, f"/plans/{youth.plan.id}/meeting.pdf", meeting_form(ids))
        assert answer.status_code == 404
    anonymous = new_client()
    answer = anonymous.get(url)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert anonymous.get(f"/plans/{youth.plan.id}/export").status_code == 302
    assert anonymous.get("/plans/999999/plan.pdf").status_code == 302


def test_exports_by_others_are_in_the_access_log(app, as_youth, youth, worker_client):
    assert as_youth.get(f"/plans/{youth.plan.id}/plan.pdf").status_code == 200
    assert worker_client.get(f"/plans/{youth.plan.id}/plan.pdf").status_code == 200
    with app.app_context():
        exports = db.session.scalars(
            sa.select(AccessEvent).where(AccessEvent.action == "export")
        ).all()
        assert [(e.user_id, e.target) for e in exports] == [(worker_client.user.id, "pdf:plan")]
    log = as_youth.get(f"/plans/{youth.plan.id}/log").get_data(as_text=True)
    assert "made a PDF of your plan" in log


def test_youth_records_meetings_with_up_to_three_talking_points(app, as_youth, post, youth):
    plan_id = youth.plan.id
    form = {"held_on": "2026-03-12", "point_1": "  Mijn   stage  ", "point_3": "x" * 200}
    assert post(as_youth, f"/plans/{plan_id}/meetings", form).status_code == 302
    form["point_1"] = "Mijn stage, nog een keer"
    assert post(as_youth, f"/plans/{plan_id}/meetings", form).status_code == 302
    assert post(as_youth, f"/plans/{plan_id}/meetings", {"point_1": "x"}).status_code == 400
    too_long = {"held_on": "2026-03-13", "point_1": "x" * 201}
    assert post(as_youth, f"/plans/{plan_id}/meetings", too_long).status_code == 400
    with app.app_context():
        (meeting,) = db.session.scalars(sa.select(Meeting)).all()
        assert meeting.held_on == date(2026, 3, 12)
        assert meeting.talking_points == ["Mijn stage, nog een keer", "x" * 200]
    page = as_youth.get(f"/plans/{plan_id}/export").get_data(as_text=True)
    assert "Mijn stage, nog een keer" in page


# How it looks


def test_first_page_is_the_cover_in_its_own_colour(app, as_youth, youth, tmp_path):
    fill_plan(app, youth.plan.id, theme="forest", photo=True)  # forest: #2d6a4f
    pdf = as_youth.get(f"/plans/{youth.plan.id}/plan.pdf").data
    cover = page_png(pdf, tmp_path, 1)
    width, height = cover.size
    assert abs(width / height - 210 / 297) < 0.01  # A4
    for x, y in ((0.03, 0.03), (0.5, 0.02), (0.03, 0.5), (0.97, 0.6)):
        red, green, blue = cover.getpixel((int(x * width), int(y * height)))
        assert abs(red - 0x2D) < 12 and abs(green - 0x6A) < 12 and abs(blue - 0x4F) < 12
    # The photo (white) in the middle of the classic layout, the title (white) below it.
    assert cover.getpixel((width // 2, int(height * 0.35))) > (230, 230, 230)
    assert len(set(cover.get_flattened_data())) > 20  # not a blank page
    page_two = page_png(pdf, tmp_path, 2)
    assert page_two.getpixel((2, 2)) == (255, 255, 255)  # white paper from page 2 on


def test_emoji_typed_on_a_phone_appear_in_colour(app, as_youth, youth, tmp_path):
    fill_plan(app, youth.plan.id, intro="Ik ben blij 😀😀😀 en ik hou van koken")
    pdf = as_youth.get(f"/plans/{youth.plan.id}/plan.pdf").data
    fonts = pdf_tool("pdffonts", pdf, tmp_path)
    assert "Emoji" in fonts
    assert "Atkinson-Hyperlegible" in fonts  # the bundled text font
    page = page_png(pdf, tmp_path, 2, dpi=100)
    # The ocean theme and the text are blue, grey and black: yellow is the emoji's face.
    yellow = sum(1 for r, g, b in page.get_flattened_data() if r > 200 and g > 150 and b < 90)
    assert yellow > 50, "the emoji was not drawn (an empty box has no yellow)"


def test_photos_are_embedded_from_the_print_variant_and_videos_get_a_qr_code(
    app, as_youth, youth, tmp_path
):
    fill_plan(app, youth.plan.id)
    with app.test_request_context():
        plan = db.session.get(Plan, youth.plan.id)
        path = Path(app.config["UPLOAD_DIR"]).parent / "big.jpg"
        path.write_bytes(jpeg_with_gps(size=(3000, 2000), orientation=1))
        photo = media_services.store_upload(plan, path, label="big.jpg", caption="Mijn taart")
        clip = Path(app.config["UPLOAD_DIR"]).parent / "clip.mp4"
        clip.write_bytes(video(tmp_path))
        film = media_services.store_upload(plan, clip, label="clip.mp4", caption="Mijn filmpje")
        media_services.set_attachments(film, intro=True, about_item_ids=set())
        goal_evidence.add(plan.goals[0], photo)
        plan_services.update_cover(
            plan, title="Mijn toekomst", subtitle="", theme="ocean", color=None,
            layout="band", photo=photo,
        )  # fmt: skip
        film_id = film.id
        html = services.html(contents.collect(plan, db.session.get(User, youth.id)))
    link = f"{app.config['BASE_URL']}/media/{film_id}"
    assert str(segno.make(link, error="m", micro=False).svg_inline(
        border=2, omitsize=True, svgclass="qr", lineclass=None
    )) in html  # fmt: skip
    pdf = as_youth.get(f"/plans/{youth.plan.id}/plan.pdf").data
    text = pdftotext(pdf, tmp_path)
    assert "Mijn taart" in text and "Mijn filmpje" in text and "scan the code" in text
    images = pdf_tool("pdfimages", pdf, tmp_path, "-list").splitlines()[2:]
    widths = [int(row.split()[3]) for row in images if row.split()[2] == "image"]
    assert widths and max(widths) == 1200  # the cover: the whole print variant, not 3000 px
    assert all(w <= 1200 for w in widths)


def test_images_and_pages_are_capped(app, as_youth, youth, tmp_path, monkeypatch):
    fill_plan(app, youth.plan.id)
    with app.test_request_context():
        plan = db.session.get(Plan, youth.plan.id)
        for number in range(3):
            path = Path(app.config["UPLOAD_DIR"]).parent / f"p{number}.jpg"
            path.write_bytes(jpeg_with_gps(size=(120, 90), colour=(number * 80, 90, 40)))
            goal_evidence.add(
                plan.goals[0], media_services.store_upload(plan, path, label=path.name)
            )
    monkeypatch.setattr(render, "MAX_IMAGES", 2)
    monkeypatch.setattr(render, "MAX_PAGES", 2)
    pdf = as_youth.get(f"/plans/{youth.plan.id}/plan.pdf").data
    assert re.search(r"^Pages:\s+2$", pdf_tool("pdfinfo", pdf, tmp_path), re.MULTILINE)
    with app.test_request_context():
        pdf_plan = contents.collect(
            db.session.get(Plan, youth.plan.id), db.session.get(User, youth.id)
        )
        assert len({m.media.id for m in pdf_plan.goals[0].evidence}) == 2
        assert pdf_plan.left_out_images == 1


def test_plan_page_links_to_the_pdf_page(app, as_youth, youth):
    page = as_youth.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert f"/plans/{youth.plan.id}/export" in page
    form = as_youth.get(f"/plans/{youth.plan.id}/export").get_data(as_text=True)
    assert f"/plans/{youth.plan.id}/plan.pdf" in form and "Save the meeting" in form


def test_file_name_is_plain_ascii(app):
    plan = Plan(cover_title='Mijn "toekomst" 🚀 / één')
    with app.test_request_context(headers={"Accept-Language": "en"}):
        name = services.file_name(plan, False, date(2026, 3, 12))
        assert name == "Mijn-toekomst-een-future-plan-2026-03-12.pdf"
        assert services.file_name(Plan(cover_title="🚀"), True, date(2026, 3, 12)) == (
            "plan-meeting-2026-03-12.pdf"
        )


def test_the_young_persons_meeting_pdf_holds_the_points_just_typed_and_saves_them(
    app, as_youth, post, youth, tmp_path
):
    ids = fill_plan(app, youth.plan.id)
    today = date.today().isoformat()
    form = meeting_form(ids, held_on=today, point_1="Mijn stage bij de bakker")
    response = post(as_youth, f"/plans/{youth.plan.id}/meeting.pdf", form)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Mijn stage bij de bakker" in pdftotext(response.data, tmp_path)
    page = as_youth.get(f"/plans/{youth.plan.id}/export").get_data(as_text=True)
    assert "Mijn stage bij de bakker" in page  # saved: the next PDF starts from it
