"""The public standards browser."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token


def test_index_lists_frameworks(client, mini) -> None:
    html = client.get("/standards/").get_data(as_text=True)
    assert "Mini profiel" in html
    assert "mini-catalogue" in html
    assert "VKS 4 · EQF 4" in html


def test_framework_page_shows_tree_scales_and_notes(client, mini) -> None:
    resp = client.get("/standards/mini-profile")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    for text in [
        "Stemt strategie af",
        "Doet iets goed;",
        "Kennis en vaardigheden",
        "Kan analyseren",
        "Proficiency",
        "Een klein profiel om de lader te testen.",
        "Testprofiel",
    ]:
        assert text in html, text
    assert 'lang="nl"' in html


def test_element_page_shows_every_field(client, mini) -> None:
    html = client.get("/standards/mini-profile/e/A.1").get_data(as_text=True)
    for text in [
        "Beschrijving met enquêtes en peilingen.",
        "Niveau twee tekst.",
        "Niveau drie tekst.",
        "Not described for this profile",  # level 1 is empty in the source
        "target level",
        "hoogste niveau",
        "Kan analyseren",
        "Alignment",  # the e-CF catalogue competence it aligns to
        "De titel verschilt tussen samenvatting en detail.",
        "Doet nog iets.",
    ]:
        assert text in html, text


def test_alignment_is_shown_on_both_ends(client, mini) -> None:
    html = client.get("/standards/mini-catalogue/e/A.1").get_data(as_text=True)
    assert "Stemt strategie af" in html
    assert "Mini profiel" in html


def test_derived_keys_with_slashes_resolve(client, mini) -> None:
    resp = client.get("/standards/mini-profile/e/A.1/behaviour-2")
    assert resp.status_code == 200
    assert "Doet nog iets." in resp.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/standards/nope", "/standards/mini-profile/e/Z.9"])
def test_unknown_codes_answer_a_friendly_404(client, mini, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert "Error 404" in html
    assert "Traceback" not in html


def test_search_ignores_case_and_diacritics(client, mini) -> None:
    html = client.get("/standards/search?q=ENQUETES&framework=mini-profile").get_data(as_text=True)
    assert "1 result for" in html
    assert "Stemt strategie af" in html
    everywhere = client.get("/standards/search?q=ENQUETES").get_data(as_text=True)
    assert "Stemt strategie af" in everywhere
    assert "Online-enquêtes en -peilingen bij gebruikers van de site uitvoeren" in everywhere


def test_search_needs_every_word_and_treats_wildcards_literally(client, mini) -> None:
    assert "Nothing found" in client.get("/standards/search?q=enquetes+zebra").get_data(as_text=True)
    assert "Nothing found" in client.get("/standards/search?q=%25").get_data(as_text=True)


def test_search_within_one_framework(client, mini) -> None:
    html = client.get("/standards/search?q=a&framework=mini-catalogue").get_data(as_text=True)
    assert "Stemt strategie af" not in html
    assert "Service levels" in html


def test_framework_page_query_count_is_bounded(client, mini, count_queries) -> None:
    client.get("/standards/mini-profile")
    small = count_queries.count
    count_queries.reset()
    client.get("/standards/mini-catalogue")
    # the same for a bigger tree: the tree, its notes and alignments, its translations, the versions of the code
    assert count_queries.count == small <= 9


def test_security_headers_on_every_response(client, mini) -> None:
    for path in ["/", "/standards/mini-profile", "/api/v1/frameworks", "/standards/nope"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_interface_follows_browser_language(client, mini) -> None:
    html = client.get("/standards/", headers={"Accept-Language": "nl-NL,nl;q=0.9"}).get_data(as_text=True)
    assert "Normen" in html
    assert '<html lang="nl">' in html
    html = client.get("/standards/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Standards" in html


def test_language_switch_sets_choice_and_stays_on_site(client, mini) -> None:
    token = csrf_token(client, "/standards/")
    resp = client.post("/language", data={"lang": "nl", "next": "/standards/", "csrf_token": token})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/standards/"
    assert "Normen" in client.get("/standards/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    resp = client.post("/language", data={"lang": "en", "next": "//evil.example", "csrf_token": token})
    assert resp.headers["Location"] == "/"


def test_language_switch_without_csrf_token_is_refused(client, mini) -> None:
    resp = client.post("/language", data={"lang": "nl", "next": "/"})
    assert resp.status_code == 400
    assert "Normen" not in client.get("/standards/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_content_is_escaped(client, app, tmp_path) -> None:
    from app.extensions import db
    from app.standards.loader import load_paths

    nasty = "<script>alert(1)</script> < > & &lt; &gt; &amp; ' \\' 碁 \\ \\\\"
    seed = tmp_path / "x.yaml"
    seed.write_text(
        "format: bekwaam-standard/1\nframework: {code: x, title: X, kind: competence_model, language: nl}\n"
        "elements:\n  - code: A\n    type: competence\n    title: |-\n      " + nasty + "\n",
        encoding="utf-8",
    )
    with app.app_context():
        load_paths(db.session, [seed])
        db.session.commit()
    html = client.get("/standards/x/e/A").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &lt; &gt; &amp; &amp;lt; &amp;gt; &amp;amp; &#39; \\&#39; 碁 \\ \\\\"
        in html
    )
    api = client.get("/api/v1/frameworks/x/elements/A").get_json()
    assert api["title"] == nasty
