import pytest
pytestmark = [pytest.mark.browser, pytest.mark.committed]
def boom():
    return 1 / 0
def test_error_is_reported(live_server, page):
    live_server.app.add_url_rule("/boom", "boom", boom)
    page.goto("/boom")
