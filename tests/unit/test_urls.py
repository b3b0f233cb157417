import pytest

from app.urls import safe_next


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil",
        "/a\\b",
        "/x\r\nSet-Cookie: a",
    ],
)
def test_safe_next_refuses_off_site_targets(target: str) -> None:
    assert safe_next(target) == "/"


def test_safe_next_keeps_local_paths() -> None:
    assert safe_next("/standards/bk-0331-4?x=1") == "/standards/bk-0331-4?x=1"
    assert safe_next(None, "/home") == "/home"
