"""Download all my data: documented JSON, the stripped photos and videos, nothing of others."""

import io
import json
import zipfile

from .mediafiles import jpeg_with_gps


def test_zip_holds_the_plan_as_json_and_the_stripped_media(
    app, client, post, csrf_token, make_user, login
):
    user = make_user(name="Sam")
    login(client, user.username, user.password)
    post(client, f"/plans/{user.plan.id}/intro", {"text": "Hoi 🌻 <b>ik</b>"})
    goal = post(client, f"/plans/{user.plan.id}/goals/new", {"title": "Bijbaan", "steps": "Cv"})
    goal_id = goal.location.rsplit("/", 1)[-1]
    photo = client.post(
        f"/plans/{user.plan.id}/media",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(jpeg_with_gps()), "a.jpg")},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    ).get_json()["id"]
    post(client, f"/goals/{goal_id}/evidence", {"media": photo})

    response = client.get("/account/my-data.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    names = set(archive.namelist())
    assert {"README.txt", "plan.json", f"media/{photo}.jpg"} <= names
    data = json.loads(archive.read("plan.json"))
    assert data["format"] == "toekomstplan-export" and data["version"] == 1
    assert data["plan"]["introduction"]["text"] == "Hoi 🌻 <b>ik</b>"
    (exported_goal,) = data["plan"]["goals"]
    assert exported_goal["title"] == "Bijbaan" and exported_goal["evidence"] == [photo]
    assert exported_goal["steps"][0]["text"] == "Cv"
    assert data["plan"]["media"][0]["file"] == f"media/{photo}.jpg"
    assert b"GPS" not in archive.read(f"media/{photo}.jpg")
    for field in ("cover", "introduction", "about", "goals", "media", "shared_with"):
        assert field in archive.read("README.txt").decode()


def test_zip_needs_a_login(client):
    assert client.get("/account/my-data.zip").status_code == 302
