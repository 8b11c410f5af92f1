"""Security headers, CSRF, cookies, and a production configuration that refuses to be unsafe."""

import pytest

from toekomstplan import create_app
from toekomstplan.config import ConfigError
from toekomstplan.extensions import db
from toekomstplan.models import Plan

LONG_KEY = "k" * 48


def directives(response) -> dict[str, list[str]]:
    """Parse the Content-Security-Policy header into {directive: [sources]}."""
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"no CSP on {response.request.path}"
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_safe_headers(response) -> None:
    csp = directives(response)
    script = csp.get("script-src", csp.get("default-src"))
    assert script, "CSP limits scripts"
    assert "'unsafe-inline'" not in script
    assert "'unsafe-eval'" not in script
    assert "*" not in script
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }


def test_every_response_has_the_security_headers(app, client, post, login, make_user):
    user = make_user()
    anonymous = [
        client.get("/"),
        client.get("/login"),
        client.get("/register"),
        client.get("/forgot"),
        client.get("/help"),
        client.get("/static/css/app.css"),
        client.get("/no-such-page"),
        client.get("/account"),  # redirect to login
        client.post("/login", data={"login": "x", "password": "y"}),  # CSRF error page
        client.get("/reset/not-a-token"),
    ]
    login(client, user.username, user.password)
    plan = user.plan.id
    logged_in = [
        client.get(f"/plans/{plan}"),
        client.get(f"/plans/{plan}/cover"),
        client.get(f"/plans/{plan}/intro"),
        client.get(f"/plans/{plan}/about"),
        client.get("/account"),
        client.get("/logout"),  # 405
        post(client, f"/plans/{plan}/intro", {"text": "Hoi"}),  # redirect
    ]
    statuses = {r.status_code for r in anonymous + logged_in}
    assert {200, 302, 400, 404, 405} <= statuses
    for response in anonymous + logged_in:
        assert_safe_headers(response)
        response.close()  # the static file's response holds the file open


def test_pages_with_personal_data_are_not_stored_by_browsers(client, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    response = client.get(f"/plans/{user.plan.id}")
    assert "no-store" in response.headers["Cache-Control"]


def test_theme_style_is_allowed_by_nonce_only(client, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    response = client.get(f"/plans/{user.plan.id}")
    style = directives(response)["style-src"]
    assert "'unsafe-inline'" not in style
    nonces = [s for s in style if s.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert f'<style nonce="{nonce}">' in response.get_data(as_text=True)
    assert (
        client.get(f"/plans/{user.plan.id}").headers["Content-Security-Policy"]
        != (response.headers["Content-Security-Policy"])
    ), "a fresh nonce for every response"


# CSRF


def intro_of(app, plan_id: int) -> str:
    with app.app_context():
        return db.session.get(Plan, plan_id).intro_text


@pytest.mark.parametrize("token", [None, "", "not-a-real-token"])
def test_post_without_valid_csrf_token_gets_friendly_400_and_changes_nothing(
    app, client, post, login, make_user, token
):
    user = make_user()
    login(client, user.username, user.password)
    post(client, f"/plans/{user.plan.id}/intro", {"text": "Mijn eigen woorden"})

    data = {"text": "Iemand anders schreef dit"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post(f"/plans/{user.plan.id}/intro", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This page was open too long" in html
    assert "did not save this" in html
    assert intro_of(app, user.plan.id) == "Mijn eigen woorden"


def test_csrf_token_of_another_session_is_refused(
    app, client, new_client, login, make_user, csrf_token
):
    user = make_user()
    login(client, user.username, user.password)
    attacker = new_client()
    foreign_token = csrf_token(attacker)
    response = client.post(
        f"/plans/{user.plan.id}/intro", data={"text": "Gekaapt", "csrf_token": foreign_token}
    )
    assert response.status_code == 400
    assert intro_of(app, user.plan.id) == ""


def test_logout_without_csrf_token_keeps_the_session(client, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200


# Cookies


def session_cookie_header(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("tp_session=")]
    assert cookies, "the response sets the session cookie"
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, login, make_user):
    user = make_user()
    visitor_cookie = session_cookie_header(client.get("/login"))
    login_cookie = session_cookie_header(login(client, user.username, user.password))
    for cookie in (visitor_cookie, login_cookie):
        attributes = [a.strip().lower() for a in cookie.split(";")]
        assert "httponly" in attributes
        assert "samesite=lax" in attributes


def test_production_sends_the_session_cookie_over_https_only(app_config, monkeypatch):
    monkeypatch.setenv("TOEKOMSTPLAN_ENV", "production")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    config = {k: v for k, v in app_config.items() if k not in {"ENV_NAME", "SESSION_COOKIE_SECURE"}}
    app = create_app(
        {
            **config,
            **PRODUCTION_SERVICES,
            "SECRET_KEY": LONG_KEY,
            "TRUSTED_HOSTS": ["plan.example.org"],
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


# Production configuration


# What production needs besides the app: a throttle store every host sees, and SMTP.
PRODUCTION_SERVICES = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "MAIL_SERVER": "smtp"}


def production(app_config, **overrides) -> dict:
    return {
        **app_config,
        **PRODUCTION_SERVICES,
        "ENV_NAME": "production",
        "SECRET_KEY": LONG_KEY,
        "TRUSTED_HOSTS": ["plan.example.org"],
        "DEBUG": False,
        **overrides,
    }


def test_production_config_that_is_safe_starts(app_config):
    app = create_app(production(app_config))
    assert app.config["ENV_NAME"] == "production"


@pytest.mark.parametrize(
    "overrides",
    [
        {"SECRET_KEY": None},
        {"SECRET_KEY": ""},
        {"SECRET_KEY": "short-key"},
        {"SECRET_KEY": "k" * 31},
        {"DEBUG": True},
        {"TRUSTED_HOSTS": None},
        {"RATELIMIT_STORAGE_URI": "memory://"},  # counts per process: no lock-out
        {"RATELIMIT_STORAGE_URI": None},
        {"MAIL_SERVER": None},  # the outbox folder is for development
    ],
)
def test_production_config_refuses_to_start_unsafe(app_config, overrides):
    with pytest.raises(ConfigError):
        create_app(production(app_config, **overrides))


def test_production_says_how_to_set_the_shared_throttle_store(app_config):
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI=redis://"):
        create_app(production(app_config, RATELIMIT_STORAGE_URI="memory://"))


def test_production_does_not_fall_back_to_a_generated_secret_key(app_config, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = production(app_config)
    del config["SECRET_KEY"]
    with pytest.raises(ConfigError):
        create_app(config)


def test_unknown_host_header_is_refused(app_config):
    app = create_app({**app_config, "TRUSTED_HOSTS": ["plan.example.org"]})
    client = app.test_client()
    assert client.get("/help", headers={"Host": "evil.example.com"}).status_code == 400
    assert client.get("/help", base_url="http://evil.example.com").status_code == 400
    assert client.get("/help", base_url="http://plan.example.org").status_code == 200
