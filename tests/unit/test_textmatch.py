"""The offline suggestion engine: stemming and stop words per language, BM25 ranking, shared terms."""

from __future__ import annotations

from app.textmatch import Document, Index, analyse, language_of


def test_language_tags_choose_a_stemmer_and_fall_back_to_english() -> None:
    assert language_of("nl-BE") == "nl"
    assert language_of("hu") == "hu"
    assert language_of("fr") == "en"
    assert language_of(None) == "en"


def test_dutch_words_meet_across_inflection_and_stop_words_are_dropped() -> None:
    assert analyse("klachten", "nl") == analyse("klacht", "nl")
    assert analyse("de en het van een", "nl") == []
    assert analyse("enquêtes", "nl") == analyse("enquetes", "nl")  # folded after stemming


def test_hungarian_and_english_are_stemmed_with_their_own_stemmer() -> None:
    assert analyse("problémákra", "hu") == analyse("problémák", "hu")
    assert analyse("requests", "en") == analyse("request", "en")
    assert analyse("the and of", "en") == []


def test_ranking_prefers_the_document_sharing_rare_terms_and_shows_them() -> None:
    index = Index(
        [
            Document("webcare", "nl", {"title": "Voert webcare uit", "text": "reageert op klachten van klanten"}),
            Document("content", "nl", {"title": "Ontwikkelt online content", "text": "schrijft teksten voor klanten"}),
            Document("order", "nl", {"title": "Verzorgt het interne ordertraject", "text": "orders"}),
        ]
    )
    matches = index.rank("Berichten en klachten van internetgebruikers behandelen", "nl-BE")
    assert [m.id for m in matches] == ["webcare"]
    assert matches[0].shared == ["klachten"]
    assert matches[0].relative == 1.0


def test_field_weights_count_and_excluded_ids_are_skipped() -> None:
    docs = [
        Document("a", "en", {"title": "user support", "body": ""}, {"title": 3.0}),
        Document("b", "en", {"title": "other", "body": "user support"}),
    ]
    index = Index(docs)
    matches = index.rank("user support", "en")
    assert [m.id for m in matches] == ["a", "b"]
    assert matches[0].score > matches[1].score
    assert [m.id for m in index.rank("user support", "en", exclude=["a"])] == ["b"]


def test_min_terms_and_empty_queries() -> None:
    index = Index([Document("a", "en", {"t": "user support desk"}), Document("b", "en", {"t": "user"})])
    assert [m.id for m in index.rank("user support", "en", min_terms=2)] == ["a"]
    assert index.rank("the of", "en") == []
    assert Index().rank("anything", "en") == []


def test_the_language_of_a_vacancy_is_guessed_from_its_stop_words() -> None:
    from app.textmatch import guess_language

    assert guess_language("Je werkt in een team en je helpt de klanten met hun vragen.") == "nl"
    assert guess_language("You work in a team and help the customers with their questions.") == "en"
    assert guess_language("") == "nl"  # a tie: the first language
