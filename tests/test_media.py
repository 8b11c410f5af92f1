"""Photos and videos through the app: upload, refuse, serve with access checks, delete."""

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from toekomstplan.extensions import db
from toekomstplan.models import Attachment, Media, MediaFile, Plan

from . import factories
from .mediafiles import jpeg_with_gps, png, video

JSON = {"Accept": "application/json"}


def exiftool() -> str:
    path = shutil.which("exiftool")
    assert path, "exiftool is missing: run scripts/ensure-system-deps exiftool"
    return path


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file() and ".tmp" not in p.parts]


def tmp_leftovers(app) -> list[Path]:
    return [p for p in (Path(app.config["UPLOAD_DIR"]) / ".tmp").rglob("*") if p.is_file()]


def counts(app) -> dict:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Media, MediaFile, Attachment)
        }


def fetch(who, url: str, **kwargs):
    """GET a file and close the response (files are streamed from disk)."""
    response = who.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def media_of(app, user) -> list[Media]:
    with app.app_context():
        items = db.session.scalars(sa.select(Media).where(Media.plan_id == user.plan.id)).all()
        for item in items:
            _ = item.files
        db.session.expunge_all()
        return items


def test_photo_upload_stores_stripped_variants_and_shows_the_card(app, youth, upload):
    response = upload(youth, jpeg_with_gps(), "IMG_0001.jpg")
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert data["status"] == "ready"
    assert f'id="media-{data["id"]}"' in data["html"]
    (media,) = media_of(app, youth)
    assert {f.variant for f in media.files} == {"master", "display", "thumb", "print"}
    assert media.label == "IMG_0001.jpg"
    files = stored_files(app)
    assert len(files) == 4
    report = json.loads(
        subprocess.run(
            [exiftool(), "-j", "-G", "-a", *map(str, files)],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    )
    for tags in report:
        leaked = [k for k in tags if any(w in k for w in ("GPS", "EXIF:", "Comment", "Serial"))]
        assert leaked == [], (tags["SourceFile"], leaked)
    assert tmp_leftovers(app) == []


def test_photo_upload_without_script_redirects_to_the_gallery(client, youth, upload):
    response = upload(youth, png(), "drawing.png", headers={})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Added to your photos and videos." in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.jpg", "This file is empty"),
        (b"#!/bin/sh\nrm -rf /\n", "script.jpg", "We cannot show this file"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image.svg",
            "We cannot show this file",
        ),
        (jpeg_with_gps()[:300], "broken.jpg", "This file is broken"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_leave_nothing(
    app, youth, upload, data, name, message
):
    response = upload(youth, data, name)
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    assert counts(app) == {"media": 0, "media_files": 0, "attachments": 0}
    assert stored_files(app) == []
    assert tmp_leftovers(app) == []


def test_upload_over_the_limit_gets_413_with_the_limit_in_words(app, client, csrf_token, youth):
    app.config["UPLOAD_MAX_BYTES"] = 2 * 1024 * 1024
    huge = FileStorage(io.BytesIO(b"\xff\xd8\xff" + b"0" * (3 * 1024 * 1024)), "huge.jpg")
    boundary, body = encode_multipart({"csrf_token": csrf_token(client), "file": huge})
    # An in-memory body: the test client would spool a big one to a file it never closes.
    response = client.post(
        f"/plans/{youth.plan.id}/media",
        input_stream=io.BytesIO(body),
        content_length=len(body),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "This file is too big: at most 2 MB." in response.get_data(as_text=True)
    assert counts(app)["media"] == 0
    assert tmp_leftovers(app) == []


def test_ordinary_forms_still_refuse_big_bodies(client, post, youth):
    response = post(client, f"/plans/{youth.plan.id}/intro", {"text": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_full_plan_is_refused_with_a_message(app, youth, upload):
    app.config["MEDIA_QUOTA_BYTES"] = 200
    response = upload(youth, jpeg_with_gps(), "a.jpg")
    assert response.status_code == 400
    assert "Your plan is full" in response.get_json()["error"]
    assert counts(app)["media"] == 0


def test_photo_is_served_privately_with_our_own_content_type(app, client, youth, upload):
    media_id = upload(youth, jpeg_with_gps(), "IMG.jpg").get_json()["id"]
    response = fetch(client, f"/media/{media_id}/display")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.data[:4] == b"RIFF" and response.data[8:12] == b"WEBP"
    assert "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "IMG.webp" in response.headers["Content-Disposition"]


def test_hostile_file_name_is_only_a_harmless_label(app, client, youth, upload):
    # Browsers percent-encode CR and LF in file names; other control characters get through.
    name = "../../etc/pass\x07wd\u202egpj" + "ö" * 300 + ".jpg"
    media_id = upload(youth, jpeg_with_gps(), name).get_json()["id"]
    (media,) = media_of(app, youth)
    assert "/" not in media.label and "\x07" not in media.label and "\u202e" not in media.label
    assert len(media.label) <= 120
    response = fetch(client, f"/media/{media_id}/thumb")
    assert response.status_code == 200
    assert "\n" not in response.headers["Content-Disposition"]
    assert all(str(p).startswith(app.config["UPLOAD_DIR"]) for p in stored_files(app))


def test_someone_else_gets_404_for_a_photo_also_with_range(
    app, client, youth, upload, login, make_user, new_client
):
    media_id = upload(youth, jpeg_with_gps(), "IMG.jpg").get_json()["id"]
    other = new_client()
    stranger = make_user(name="Kim")
    login(other, stranger.username, stranger.password)
    for path in (f"/media/{media_id}/display", f"/media/{media_id}", f"/media/{media_id}/status"):
        assert other.get(path).status_code == 404
    assert (
        fetch(other, f"/media/{media_id}/display", headers={"Range": "bytes=0-9"}).status_code
        == 404
    )
    assert new_client().get(f"/media/{media_id}/display").status_code == 302  # anonymous: log in


def test_uploads_are_not_reachable_as_static_files(app, client, youth, upload):
    upload(youth, jpeg_with_gps(), "IMG.jpg")
    for path in stored_files(app):
        key = path.relative_to(app.config["UPLOAD_DIR"]).as_posix()
        for url in (f"/static/{key}", f"/uploads/{key}", f"/static/../uploads/{key}"):
            assert client.get(url).status_code == 404


def test_video_is_prepared_and_streamed_with_range_requests(app, client, youth, upload, tmp_path):
    response = upload(youth, video(tmp_path), "clip.mp4")
    assert response.status_code == 201
    media_id = response.get_json()["id"]
    (media,) = media_of(app, youth)
    assert media.status == "ready", media.failure
    assert {f.variant for f in media.files} >= {"video", "display", "thumb"}
    assert "incoming" not in {f.variant for f in media.files}
    assert 0.9 < media.duration < 1.3
    whole = fetch(client, f"/media/{media_id}/video")
    assert whole.status_code == 200 and whole.headers["Content-Type"] == "video/mp4"
    part = fetch(client, f"/media/{media_id}/video", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.data == whole.data[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(whole.data)}"


def test_failed_video_says_so_and_can_be_deleted(app, client, post, youth, upload, monkeypatch):
    from toekomstplan.media import videos
    from toekomstplan.media.refusals import MediaRefused, Refusal

    def broken(src, workdir, **kwargs):
        raise MediaRefused(Refusal.VIDEO_FAILED, "test")

    monkeypatch.setattr(videos, "prepare_video", broken)
    media_id = upload(youth, video(Path(app.config["UPLOAD_DIR"]).parent), "clip.mp4").get_json()[
        "id"
    ]
    page = client.get(f"/media/{media_id}").get_data(as_text=True)
    assert "This video did not work" in page
    (media,) = media_of(app, youth)
    assert media.status == "failed" and media.file("incoming") is not None
    post(client, f"/media/{media_id}/delete")
    assert counts(app)["media"] == 0
    assert stored_files(app) == []


def test_caption_and_attachments_show_on_the_plan(app, client, post, youth, upload):
    media_id = upload(youth, jpeg_with_gps(), "IMG.jpg").get_json()["id"]
    post(client, f"/plans/{youth.plan.id}/about", {"kind": "talent", "text": "Baking"})
    with app.app_context():
        item_id = db.session.scalar(sa.text("select id from about_items"))
    post(client, f"/media/{media_id}/caption", {"caption": "My <b>first</b> cake 🎂"})
    post(client, f"/media/{media_id}/attach", {"intro": "y", "about": [str(item_id)]})
    post(client, f"/plans/{youth.plan.id}/intro", {"text": "Hi"})
    home = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert home.count(f"/media/{media_id}/display") >= 1
    assert "My &lt;b&gt;first&lt;/b&gt; cake 🎂" in home
    with app.app_context():
        targets = {a.target for a in db.session.scalars(sa.select(Attachment))}
    assert targets == {"intro", "about"}


def test_photo_on_the_cover(app, client, post, youth, upload):
    media_id = upload(youth, jpeg_with_gps(), "IMG.jpg").get_json()["id"]
    cover = factories.cover_form(media_id, focus="top")
    assert post(client, f"/plans/{youth.plan.id}/cover", cover).status_code == 302
    home = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "cover__img--top" in home and f"/media/{media_id}/display" in home
    cover["photo"] = ""
    post(client, f"/plans/{youth.plan.id}/cover", cover)
    assert "cover__img" not in client.get(f"/plans/{youth.plan.id}").text


def test_someone_elses_photo_cannot_go_on_my_cover(
    app, client, post, youth, upload, login, make_user, new_client
):
    other = new_client()
    stranger = make_user(name="Kim")
    login(other, stranger.username, stranger.password)
    foreign = upload(stranger, jpeg_with_gps(), "x.jpg", who=other).get_json()["id"]
    cover = {"title": "T", "subtitle": "", "theme": "ocean", "color": "", "layout": "band"}
    response = post(client, f"/plans/{youth.plan.id}/cover", {**cover, "photo": foreign})
    assert response.status_code == 400
    assert counts(app)["attachments"] == 0


def test_deleting_a_photo_removes_every_variant(app, client, post, youth, upload):
    media_id = upload(youth, jpeg_with_gps(), "IMG.jpg").get_json()["id"]
    assert len(stored_files(app)) == 4
    post(client, f"/media/{media_id}/delete")
    assert stored_files(app) == []
    assert counts(app) == {"media": 0, "media_files": 0, "attachments": 0}


def test_media_check_finds_and_fixes_orphans(app, runner, youth, upload):
    upload(youth, jpeg_with_gps(), "a.jpg")
    second = upload(youth, png(), "b.png").get_json()["id"]
    orphan = Path(app.config["UPLOAD_DIR"]) / "999" / "gone" / "master.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left behind")
    with app.app_context():
        lost = db.session.scalar(
            sa.select(MediaFile).where(MediaFile.media_id == second, MediaFile.variant == "thumb")
        )
        (Path(app.config["UPLOAD_DIR"]) / lost.key).unlink()
    result = runner.invoke(args=["media", "check"])
    assert result.exit_code == 1
    assert "orphaned file: 999/gone/master.jpg" in result.output
    assert "row without file" in result.output
    result = runner.invoke(args=["media", "check", "--fix"])
    assert result.exit_code == 0
    assert runner.invoke(args=["media", "check"]).output.strip() == (
        "All stored files and rows match."
    )
    assert counts(app)["media"] == 1


def test_gallery_lists_uploads_and_needs_edit_access(app, client, youth, upload):
    upload(youth, jpeg_with_gps(), "IMG.jpg")
    page = client.get(f"/plans/{youth.plan.id}/media").get_data(as_text=True)
    assert page.count('class="media-card"') == 1
    assert client.get(f"/plans/{youth.plan.id}/draw").status_code == 200


def test_plan_with_many_photos_renders_home_in_few_queries(app, client, youth, upload):
    for _ in range(6):
        upload(youth, png(), "p.png")
    with app.app_context():
        plan = db.session.get(Plan, youth.plan.id)
        assert len(plan.media) == 6
    app.config["PAGE_CACHE_SIZE"] = 0
    statements = factories.statements_of(app, lambda: client.get(f"/plans/{youth.plan.id}").close())
    # The session, media (3), goals, about me, and what is new for this person (unread
    # reactions and waiting suggestions, one query made on every view; for the young person
    # also their notices, one query, and the open stand-in questions, one query).
    assert len(statements) <= 9, "\n\n".join(statements)


def test_a_photo_is_called_by_its_caption_or_its_date_never_its_camera_file_name(
    client, youth, upload
):
    media_id = upload(youth, jpeg_with_gps(), "IMG_20240512_101112.jpg").get_json()["id"]
    gallery = client.get(f"/plans/{youth.plan.id}/media").get_data(as_text=True)
    assert "IMG_20240512" not in gallery and "Photo of " in gallery
    detail = client.get(f"/media/{media_id}").get_data(as_text=True)
    assert "IMG_20240512" not in detail


def test_a_saved_drawing_is_called_a_drawing_and_says_it_was_saved(client, youth, upload):
    response = factories.post_form(
        client,
        f"/plans/{youth.plan.id}/media",
        {"file": (io.BytesIO(png()), "drawing.png"), "caption": "My drawing", "drawing": "1"},
        headers=factories.JSON,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    page = client.get(response.get_json()["url"]).get_data(as_text=True)
    assert "My drawing" in page and "Your drawing is saved." in page


def test_the_space_used_is_written_the_dutch_way_and_comes_with_every_upload(
    client, youth, upload, post
):
    answer = upload(youth, jpeg_with_gps(), "me.jpg").get_json()
    assert "data-storage-used" in answer["used"] and "MB of 2 GB" in answer["used"]
    post(client, "/language", {"lang": "nl"})
    gallery = client.get(f"/plans/{youth.plan.id}/media").get_data(as_text=True)
    assert re.search(r"Gebruikt: \d+,\d MB van \d+ GB\.", gallery)


def test_a_range_past_the_end_is_a_416_that_says_the_size(client, youth, upload):
    media_id = upload(youth, png(), "a.png").get_json()["id"]
    page = client.get(f"/media/{media_id}").get_data(as_text=True)
    url = re.search(r'src="(/media/[^"]+/display[^"]*)"', page).group(1).replace("&amp;", "&")
    whole = client.get(url)
    size = len(whole.data)
    whole.close()
    response = client.get(url, headers={"Range": f"bytes={size + 10}-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{size}"
