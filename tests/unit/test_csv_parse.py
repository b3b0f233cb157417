import pytest

from app.accounts.csv_import import CsvError, decode, parse


def test_parse_accepts_dutch_headers_semicolons_and_a_bom() -> None:
    text = decode("\ufeffE-mailadres;Naam;Taal\r\nanna@x.example;Anna de Wit;nl\r\n\r\n".encode())
    assert parse(text) == [(2, {"email": "anna@x.example", "name": "Anna de Wit", "language": "nl"})]


def test_parse_reads_windows_1252_files() -> None:
    text = decode("email,name\nzoe@x.example,Zoë Maës\n".encode("cp1252"))
    assert parse(text)[0][1]["name"] == "Zoë Maës"


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("a,b\n1,2\n", "must name the columns"), ("email,name\n", "no rows")],
)
def test_parse_refuses_unusable_files(text: str, message: str) -> None:
    with pytest.raises(CsvError, match=message):
        parse(text)
