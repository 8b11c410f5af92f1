"""A young person makes a first plan on a phone: register, cover, introduction, about me."""

import re

import pytest
from playwright.sync_api import Page, expect

from toekomstplan.plan.themes import THEMES

pytestmark = pytest.mark.e2e
OCEAN = THEMES["ocean"].background


def theme_colour(page: Page) -> str:
    """Return the cover colour the page uses now (the live preview changes it)."""
    return page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--theme').trim()"
    )


def register(page: Page, check_phone_layout, username: str) -> None:
    page.goto("/")
    check_phone_layout(page)
    page.get_by_role("link", name="Make my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make your own future plan")
    check_phone_layout(page)
    page.get_by_label("Your first name").fill("Noor")
    page.get_by_label("E-mail address or username").fill(username)
    page.get_by_label("Password", exact=True).fill("my dog is called Bobbie")
    page.get_by_role("button", name="Make my plan").click()
    # No e-mail, so a spare key for a forgotten password, shown once before the plan.
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome! Your plan is ready.")
    expect(page.locator(".spare-key")).to_have_text(re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$"))
    check_phone_layout(page)
    page.get_by_role("link", name="I kept my key").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+$"))
    check_phone_layout(page)


def design_cover(page: Page, check_phone_layout) -> None:
    page.get_by_role("link", name="Design my cover").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Design my cover")
    check_phone_layout(page)
    preview = page.locator(".editor__preview [data-cover]")

    page.get_by_label("Title", exact=True).fill("Noor goes places")
    page.get_by_label("Subtitle").fill("Step by step to my own place")
    page.locator("label.swatch", has_text="Ocean").click()
    expect(page.get_by_role("radio", name="Ocean")).to_be_checked()
    page.locator("label.layout-choice", has_text="Band").click()
    expect(page.get_by_role("radio", name=re.compile("^Band"))).to_be_checked()
    # The live preview (app.js) follows every change before anything is saved.
    expect(preview.locator("[data-cover-title]")).to_have_text("Noor goes places")
    expect(preview.locator("[data-cover-subtitle]")).to_have_text("Step by step to my own place")
    expect(preview.locator("[data-cover-initial]")).to_have_text("N")
    expect(preview).to_have_class(re.compile(r"\bcover--band\b"))
    assert theme_colour(page) == OCEAN
    check_phone_layout(page)

    page.get_by_role("button", name="Save my cover").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+$"))
    expect(page.get_by_role("status")).to_contain_text("Your cover is saved.")
    expect(page.locator(".cover-frame [data-cover-title]")).to_have_text("Noor goes places")
    expect(page.locator(".cover-frame [data-cover]")).to_have_class(re.compile(r"\bcover--band\b"))
    assert theme_colour(page) == OCEAN
    check_phone_layout(page)


def write_introduction(page: Page, check_phone_layout) -> None:
    page.get_by_role("link", name="Write my introduction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My introduction")
    check_phone_layout(page)
    page.get_by_label("My introduction").fill(
        "Hi! I am Noor, I am 16 and I live in Zwolle.\n\nLater I want to be a vet."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/plans/\d+#intro$"))
    check_phone_layout(page)


def add_talent(page: Page, check_phone_layout) -> None:
    page.get_by_role("link", name="Add something about me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About me")
    check_phone_layout(page)
    page.locator(".segmented label", has_text="Talent").click()
    expect(page.get_by_role("radio", name="Talent")).to_be_checked()
    page.get_by_label("In a few words").fill("Drawing comics")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Added to your list.")
    talents = page.get_by_role("region", name="My talents")
    expect(talents.locator(".item__text")).to_have_text(["Drawing comics"])
    check_phone_layout(page)
    page.get_by_role("link", name="Back to my plan").click()


def test_young_person_makes_a_first_plan_on_a_phone(page: Page, check_phone_layout):
    register(page, check_phone_layout, "noor2009")
    design_cover(page, check_phone_layout)
    write_introduction(page, check_phone_layout)
    add_talent(page, check_phone_layout)

    expect(page).to_have_url(re.compile(r"/plans/\d+#about$"))
    cover = page.locator(".cover-frame")
    expect(cover.locator("[data-cover-title]")).to_have_text("Noor goes places")
    expect(cover.locator("[data-cover-subtitle]")).to_have_text("Step by step to my own place")
    intro = page.get_by_role("region", name="Introduction")
    expect(intro.locator(".prose p")).to_have_text(
        ["Hi! I am Noor, I am 16 and I live in Zwolle.", "Later I want to be a vet."]
    )
    about = page.get_by_role("region", name="About me")
    expect(about.get_by_role("heading", name="My talents")).to_be_visible()
    expect(about.get_by_role("listitem")).to_have_text(["Drawing comics"])
    check_phone_layout(page)
