"""Faults while the stack serves: Redis restarted (the app stays up and the throttles count
in Redis again), and the object store stopped (uploads meanwhile get "probeer het zo nog
eens", nothing is half saved, and uploads work again once it is back)."""

from __future__ import annotations

import time
import uuid

import pytest
import redis

from .test_stack import Browser, photo, register

pytestmark = pytest.mark.stack


def test_redis_restarted_the_app_stays_up_and_the_throttles_carry_on(stack):
    noor = Browser(stack.ports.nginx)
    login = f"noor{uuid.uuid4().hex[:6]}"
    plan_id = register(noor, login)
    store = redis.Redis.from_url(stack.redis.url(0))
    stack.redis.restart()  # every throttle count is gone, as after a crash
    for _ in range(4):  # requests on both hosts go on
        status, _, _ = noor.get(f"/plans/{plan_id}")
        assert status == 200
    guesser = Browser(stack.ports.nginx)
    statuses = []
    for _ in range(20):  # until the throttles count in Redis again (reconnected)
        status, _, _ = guesser.post("/login", {"login": login, "password": "not it"}, "/login")
        statuses.append(status)
        if store.keys("*"):
            break
        time.sleep(0.5)
    assert store.keys("*"), "the throttles count in Redis again"
    assert all(status in (401, 429) for status in statuses), statuses  # never a 5xx


def test_the_object_store_stopped_uploads_wait_and_nothing_is_half_saved(stack):
    sam = Browser(stack.ports.nginx)
    plan_id = register(sam, f"sam{uuid.uuid4().hex[:6]}")
    stack.stop_store()
    try:
        status, reply = sam.upload(plan_id, photo(), "IMG_0002.jpg")
        assert status == 503, reply[:300]
        assert b"probeer het zo nog eens" in reply
        status, _, _ = sam.get(f"/plans/{plan_id}")
        assert status == 200  # the plan itself is in the database: still there
    finally:
        stack.start_store()
    status, reply = sam.upload(plan_id, photo(), "IMG_0002.jpg")
    assert status == 201, reply[:300]
    assert stack.media_check().strip() == "All stored files and rows match."
