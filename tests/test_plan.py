"""The plan: cover editor, introduction, "about me", and who may reach which plan."""

import re

import pytest
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import AboutItem, Plan, UserKind
from toekomstplan.plan.services import ABOUT_ITEMS_MAX

UNICODE = "🌻 Zoë ß 漢字"
SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

COVER = {
    "title": "Mijn toekomst",
    "subtitle": "Stap voor stap",
    "theme": "ocean",
    "color": "",
    "layout": "band",
}


def field_errors(response) -> list[str]:
    return re.findall(r'class="field__error"[^>]*>([^<]*)<', response.get_data(as_text=True))


def plan_state(app, plan_id: int) -> dict:
    """Return everything the young person can change in a plan."""
    with app.app_context():
        plan = db.session.get(Plan, plan_id)
        return {
            "cover": (
                plan.cover_title,
                plan.cover_subtitle,
                plan.cover_theme,
                plan.cover_color,
                plan.cover_layout,
            ),
            "intro": plan.intro_text,
            "items": [(i.id, i.kind, i.text, i.position) for i in plan.about_items],
        }


def about_texts(app, plan_id: int, kind: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AboutItem.text)
                .where(AboutItem.plan_id == plan_id, AboutItem.kind == kind)
                .order_by(AboutItem.position, AboutItem.id)
            )
        )


def item_id(app, plan_id: int, text: str) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(AboutItem.id).where(AboutItem.plan_id == plan_id, AboutItem.text == text)
        )


# Cover


def test_cover_editor_saves_title_subtitle_theme_and_layout(app, client, post, youth):
    response = post(client, f"/plans/{youth.plan.id}/cover", COVER)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{youth.plan.id}"
    assert plan_state(app, youth.plan.id)["cover"] == (
        "Mijn toekomst",
        "Stap voor stap",
        "ocean",
        None,
        "band",
    )
    home = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "Your cover is saved." in home
    assert "Mijn toekomst" in home and "Stap voor stap" in home
    assert "cover--band" in home


def test_cover_editor_saves_a_custom_colour(app, client, post, youth):
    data = {**COVER, "theme": "custom", "color": "#12AB34"}
    assert post(client, f"/plans/{youth.plan.id}/cover", data).status_code == 302
    cover = plan_state(app, youth.plan.id)["cover"]
    assert cover[2:4] == ("custom", "#12ab34")
    assert "--theme:#12ab34" in client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)


def test_cover_editor_shows_the_saved_cover(client, post, youth):
    post(client, f"/plans/{youth.plan.id}/cover", {**COVER, "title": "Op weg"})
    html = client.get(f"/plans/{youth.plan.id}/cover").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="title"[^>]*value="Op weg"', html)
    assert re.search(r'<input[^>]*checked[^>]*value="ocean"|value="ocean"[^>]*checked', html)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"color": "red"}, "Choose a colour with the colour picker."),
        ({"color": "#12345"}, "Choose a colour with the colour picker."),
        ({"color": "#12345g"}, "Choose a colour with the colour picker."),
        ({"title": ""}, "Please fill this in."),
        ({"title": "x" * 81}, "Use at most 80 characters."),
        ({"subtitle": "x" * 141}, "Use at most 140 characters."),
    ],
)
def test_invalid_cover_is_refused_with_a_message_and_nothing_saved(
    app, client, post, youth, change, message
):
    before = plan_state(app, youth.plan.id)
    response = post(client, f"/plans/{youth.plan.id}/cover", {**COVER, **change})
    assert response.status_code == 400
    assert message in field_errors(response)
    assert plan_state(app, youth.plan.id) == before


@pytest.mark.parametrize("change", [{"theme": "neon"}, {"layout": "sideways"}, {"theme": ""}])
def test_tampered_cover_choice_is_refused_and_nothing_saved(app, client, post, youth, change):
    before = plan_state(app, youth.plan.id)
    response = post(client, f"/plans/{youth.plan.id}/cover", {**COVER, **change})
    assert response.status_code == 400
    assert plan_state(app, youth.plan.id) == before


def test_cover_title_of_exactly_80_characters_is_accepted(app, client, post, youth):
    title = "x" * 80
    response = post(client, f"/plans/{youth.plan.id}/cover", {**COVER, "title": title})
    assert response.status_code == 302
    assert plan_state(app, youth.plan.id)["cover"][0] == title


# Introduction


def test_intro_keeps_paragraphs_and_line_breaks(app, client, post, youth):
    text = "Hoi! Ik ben Sam.\r\nIk woon in Zwolle.\r\n\r\nLater wil ik koken."
    response = post(client, f"/plans/{youth.plan.id}/intro", {"text": text})
    assert response.status_code == 302
    assert plan_state(app, youth.plan.id)["intro"] == (
        "Hoi! Ik ben Sam.\nIk woon in Zwolle.\n\nLater wil ik koken."
    )
    html = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "<p>Hoi! Ik ben Sam.<br>Ik woon in Zwolle.</p><p>Later wil ik koken.</p>" in html


def test_overlong_intro_is_refused(app, client, post, youth):
    response = post(client, f"/plans/{youth.plan.id}/intro", {"text": "x" * 5001})
    assert response.status_code == 400
    assert "Use at most 5000 characters." in field_errors(response)
    assert plan_state(app, youth.plan.id)["intro"] == ""


def test_script_in_intro_is_shown_escaped(client, post, youth):
    post(client, f"/plans/{youth.plan.id}/intro", {"text": f"Hoi {SCRIPT}\n\n{SCRIPT}"})
    for path in (f"/plans/{youth.plan.id}", f"/plans/{youth.plan.id}/intro"):
        html = client.get(path).get_data(as_text=True)
        assert SCRIPT not in html
        assert SCRIPT_ESCAPED in html


def test_script_in_about_item_and_cover_is_shown_escaped(app, client, post, youth):
    post(client, f"/plans/{youth.plan.id}/about", {"kind": "hobby", "text": SCRIPT})
    post(client, f"/plans/{youth.plan.id}/cover", {**COVER, "title": SCRIPT, "subtitle": SCRIPT})
    item = item_id(app, youth.plan.id, SCRIPT)
    for path in (
        f"/plans/{youth.plan.id}",
        f"/plans/{youth.plan.id}/about",
        f"/about/{item}/edit",
        f"/plans/{youth.plan.id}/cover",
    ):
        html = client.get(path).get_data(as_text=True)
        assert SCRIPT not in html, path
        assert "&lt;script&gt;" in html, path


def test_emoji_and_other_unicode_round_trip(app, client, post, youth):
    post(client, f"/plans/{youth.plan.id}/cover", {**COVER, "title": UNICODE, "subtitle": UNICODE})
    post(client, f"/plans/{youth.plan.id}/intro", {"text": UNICODE})
    post(client, f"/plans/{youth.plan.id}/about", {"kind": "quality", "text": UNICODE})
    state = plan_state(app, youth.plan.id)
    assert state["cover"][:2] == (UNICODE, UNICODE)
    assert state["intro"] == UNICODE
    assert state["items"][0][2] == UNICODE
    html = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert html.count(UNICODE) >= 4


# About me


def test_about_item_can_be_added(app, client, post, youth):
    response = post(client, f"/plans/{youth.plan.id}/about", {"kind": "talent", "text": "Tekenen"})
    assert response.status_code == 302
    assert about_texts(app, youth.plan.id, "talent") == ["Tekenen"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Added to your list." in page
    assert "Tekenen" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "talent", "text": ""}, "Please fill this in."),
        ({"kind": "talent", "text": "x" * 201}, "Use at most 200 characters."),
        ({"kind": "superpower", "text": "Vliegen"}, None),
    ],
)
def test_invalid_about_item_is_refused(app, client, post, youth, data, message):
    response = post(client, f"/plans/{youth.plan.id}/about", data)
    assert response.status_code == 400
    if message:
        assert message in field_errors(response)
    assert plan_state(app, youth.plan.id)["items"] == []


def test_about_item_can_be_edited_and_moved_to_another_kind(app, client, post, youth):
    post(client, f"/plans/{youth.plan.id}/about", {"kind": "talent", "text": "Tekenen"})
    item = item_id(app, youth.plan.id, "Tekenen")
    assert client.get(f"/about/{item}/edit").status_code == 200
    response = post(client, f"/about/{item}/edit", {"kind": "hobby", "text": "Tekenen 🎨"})
    assert response.status_code == 302
    assert about_texts(app, youth.plan.id, "talent") == []
    assert about_texts(app, youth.plan.id, "hobby") == ["Tekenen 🎨"]


def test_about_item_can_be_deleted(app, client, post, youth):
    post(client, f"/plans/{youth.plan.id}/about", {"kind": "hobby", "text": "Gitaar"})
    post(client, f"/plans/{youth.plan.id}/about", {"kind": "hobby", "text": "Voetbal"})
    item = item_id(app, youth.plan.id, "Gitaar")
    response = post(client, f"/about/{item}/delete")
    assert response.status_code == 302
    assert about_texts(app, youth.plan.id, "hobby") == ["Voetbal"]
    assert client.get(f"/about/{item}/edit").status_code == 404


def test_about_items_move_up_and_down_within_their_kind(app, client, post, youth):
    for text in ("Een", "Twee", "Drie"):
        post(client, f"/plans/{youth.plan.id}/about", {"kind": "quality", "text": text})
    post(client, f"/plans/{youth.plan.id}/about", {"kind": "hobby", "text": "Anders"})
    drie = item_id(app, youth.plan.id, "Drie")
    een = item_id(app, youth.plan.id, "Een")

    post(client, f"/about/{drie}/move", {"direction": "up"})
    assert about_texts(app, youth.plan.id, "quality") == ["Een", "Drie", "Twee"]
    post(client, f"/about/{een}/move", {"direction": "down"})
    assert about_texts(app, youth.plan.id, "quality") == ["Drie", "Een", "Twee"]
    post(client, f"/about/{drie}/move", {"direction": "up"})  # already first: no change
    assert about_texts(app, youth.plan.id, "quality") == ["Drie", "Een", "Twee"]
    assert about_texts(app, youth.plan.id, "hobby") == ["Anders"]

    html = client.get(f"/plans/{youth.plan.id}/about").get_data(as_text=True)
    assert html.index("Drie") < html.index("Een") < html.index("Twee")


def test_about_list_full_shows_a_message_and_adds_nothing(app, client, post, youth):
    with app.app_context():
        db.session.add_all(
            AboutItem(plan_id=youth.plan.id, kind="hobby", text=f"Hobby {n}", position=n)
            for n in range(ABOUT_ITEMS_MAX)
        )
        db.session.commit()
    response = post(
        client,
        f"/plans/{youth.plan.id}/about",
        {"kind": "quality", "text": "Eén te veel"},
        follow_redirects=True,
    )
    assert "Your list is full. Delete something first." in response.get_data(as_text=True)
    assert len(plan_state(app, youth.plan.id)["items"]) == ABOUT_ITEMS_MAX
    assert about_texts(app, youth.plan.id, "quality") == []


def test_empty_plan_shows_examples(client, youth):
    home = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "Hi! I am Sam, I am 15 and I live in Deventer." in home
    assert "I am a good listener" in home
    assert "Write my introduction" in home
    about = client.get(f"/plans/{youth.plan.id}/about").get_data(as_text=True)
    assert "No good qualities yet." in about
    assert "No talents yet." in about
    assert "No hobbies yet." in about


def test_start_page_sends_a_young_person_to_their_plan(client, youth):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{youth.plan.id}"


def test_start_page_tells_a_supporter_without_plans_so(client, login, make_user):
    worker = make_user(kind=UserKind.SUPPORTER, login="mo@example.org", name="Mo")
    login(client, "mo@example.org", worker.password)
    response = client.get("/")
    assert response.status_code == 200
    assert "No young person has shared a plan with you yet." in response.get_data(as_text=True)


# Who may reach which plan


@pytest.fixture
def someone_elses_plan(app, new_client, post, login, make_user):
    """Return a young person whose plan has an intro and an item, and that item's id."""
    owner = make_user(name="Kim")
    browser = new_client()
    login(browser, owner.username, owner.password)
    post(browser, f"/plans/{owner.plan.id}/intro", {"text": "Van Kim"})
    post(browser, f"/plans/{owner.plan.id}/about", {"kind": "quality", "text": "Eerlijk"})
    return owner, item_id(app, owner.plan.id, "Eerlijk")


def plan_urls(plan_id: int, item: int) -> list[tuple[str, str, dict]]:
    return [
        ("GET", f"/plans/{plan_id}", {}),
        ("GET", f"/plans/{plan_id}/cover", {}),
        ("POST", f"/plans/{plan_id}/cover", {**COVER, "title": "Gekaapt"}),
        ("GET", f"/plans/{plan_id}/intro", {}),
        ("POST", f"/plans/{plan_id}/intro", {"text": "Gekaapt"}),
        ("GET", f"/plans/{plan_id}/about", {}),
        ("POST", f"/plans/{plan_id}/about", {"kind": "hobby", "text": "Gekaapt"}),
        ("GET", f"/about/{item}/edit", {}),
        ("POST", f"/about/{item}/edit", {"kind": "hobby", "text": "Gekaapt"}),
        ("POST", f"/about/{item}/move", {"direction": "down"}),
        ("POST", f"/about/{item}/delete", {}),
    ]


@pytest.mark.parametrize("kind", [UserKind.YOUTH, UserKind.SUPPORTER])
def test_other_user_gets_404_on_every_url_of_someone_elses_plan(
    app, client, post, login, make_user, someone_elses_plan, kind
):
    owner, item = someone_elses_plan
    intruder = make_user(kind=kind, name="Alex")
    login(client, intruder.username or intruder.email, intruder.password)
    before = plan_state(app, owner.plan.id)
    for method, path, data in plan_urls(owner.plan.id, item):
        if method == "GET":
            response = client.get(path)
        else:
            response = post(client, path, data)
        assert response.status_code == 404, (method, path)
        assert "Gekaapt" not in response.get_data(as_text=True)
    assert plan_state(app, owner.plan.id) == before


def test_unknown_plan_and_item_are_404(client, youth):
    assert client.get("/plans/99999").status_code == 404
    assert client.get("/about/99999/edit").status_code == 404


def test_anonymous_visitor_is_sent_to_login_from_every_plan_url(app, client, someone_elses_plan):
    owner, item = someone_elses_plan
    before = plan_state(app, owner.plan.id)
    for method, path, data in plan_urls(owner.plan.id, item):
        response = client.open(path, method=method, data=data)
        if method == "POST":
            # Without a session there is no CSRF token either: refused before the login check.
            assert response.status_code in (302, 400), (method, path)
        else:
            assert response.status_code == 302, (method, path)
            assert response.headers["Location"].startswith("/login?next="), path
    assert plan_state(app, owner.plan.id) == before


def test_anonymous_post_with_a_valid_csrf_token_is_sent_to_login(
    app, client, post, someone_elses_plan
):
    owner, item = someone_elses_plan
    before = plan_state(app, owner.plan.id)
    for method, path, data in plan_urls(owner.plan.id, item):
        if method == "POST":
            response = post(client, path, data)
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/login"), path
    assert plan_state(app, owner.plan.id) == before


def test_times_are_shown_in_dutch_time_in_summer_and_winter(app):
    from datetime import UTC, datetime

    from toekomstplan.templating import when

    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert when(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "1 jul 2026, 14:00"
        assert when(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)) == "1 dec 2026, 13:00"
