import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_has_no_console_errors(page, live_server):
    page.goto("/")
    assert page.get_by_role("heading", name="Video calls that respect your privacy").is_visible()
    page.goto("/healthz")
    assert "ok" in page.content()
    assert page.console_errors == []
