from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils.text import capfirst

from demo.seed import DEMO_PASSWORD


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", stdout=StringIO())


def test_demo_administrator_opens_the_change_list_of_every_model(page, screenshot, demo_data):
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")

    for model in admin.site._registry:
        opts = model._meta
        page.goto(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

        assert page.locator("#changelist").count() == 1, opts.label
        assert page.locator("h1").inner_text() == capfirst(opts.verbose_name_plural)
        screenshot(f"admin-{opts.app_label}-{opts.model_name}")
