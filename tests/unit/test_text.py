from app.standards.text import escape_like, fold


def test_fold_ignores_case_and_diacritics() -> None:
    assert fold("Online-Enquêtes") == "online-enquetes"
    assert fold("Közösség  Menedzser") == "kozosseg menedzser"
    assert fold("collega’s") == "collega's"
    assert fold(None) == ""


def test_escape_like_makes_wildcards_literal() -> None:
    assert escape_like("100%_a\\b") == "100\\%\\_a\\\\b"
