"""The read-only JSON API."""


def test_frameworks_list(client, mini) -> None:
    data = client.get("/api/v1/frameworks").get_json()
    by_code = {f["code"]: f for f in data["frameworks"]}
    profile = by_code["mini-profile"]
    assert profile == {
        "uuid": "20e6a5bd-77a3-54f4-b4ad-9c17da1a52a9",  # identity.framework_uuid("mini-profile")
        "uri": "http://127.0.0.1:5000/standards/mini-profile",
        "code": "mini-profile",
        "title": "Mini profiel",
        "kind": "ecf_role_profile",
        "language": "nl",
        "level": "4",
        "level_scale": "VKS",
        "eqf_level": 4,
        "version": None,
        "validated_on": "2015-03-23",
        "publisher": None,
        "source": None,
        "element_count": 7,
    }


def test_framework_detail_is_a_nested_tree_with_level_descriptors(client, mini) -> None:
    data = client.get("/api/v1/frameworks/mini-profile").get_json()
    assert data["scales"][0]["code"] == "prof"
    first = data["elements"][0]
    assert set(first) >= {"code", "type", "title", "description", "attributes", "children"}
    assert first["code"] == "A.1"
    assert first["levels"] == [{"level": 2, "text": "Niveau twee tekst."}, {"level": 3, "text": "Niveau drie tekst."}]
    assert first["required_level"]["level"] == 3
    assert [c["title"] for c in first["children"]] == ["Doet iets goed;", "Doet nog iets."]
    assert first["alignments"][0] == {
        "direction": "outgoing",
        "relation": "exact",
        "framework": "mini-catalogue",
        "key": "A.1",
        "code": "A.1",
        "title": "Alignment",
        "note": None,
    }
    assert first["notes"][0]["kind"] == "inconsistency"
    assert data["elements"][1]["children"][0]["code"] == "K01"


def test_element_endpoint(client, mini) -> None:
    data = client.get("/api/v1/frameworks/mini-profile/elements/A.1/behaviour-1").get_json()
    assert data["title"] == "Doet iets goed;"
    assert data["parent"] == "A.1"
    assert data["framework"] == "mini-profile"


def test_search(client, mini) -> None:
    data = client.get("/api/v1/search?q=Enquete&framework=mini-profile").get_json()
    assert data["total"] == 1
    assert data["results"][0]["key"] == "A.1"
    assert data["results"][0]["framework"] == "mini-profile"


def test_search_spans_all_frameworks_ignoring_case_and_diacritics(client, mini) -> None:
    data = client.get("/api/v1/search?q=ENQUETE").get_json()
    found = {(r["framework"], r["key"]) for r in data["results"]}
    assert ("mini-profile", "A.1") in found
    assert ("competent-E110101", "basis-2") in found
    assert data["total"] == len(data["results"])


def test_unknown_codes_answer_json_404(client, mini) -> None:
    for path in ["/api/v1/frameworks/nope", "/api/v1/frameworks/mini-profile/elements/nope", "/api/v1/nothing"]:
        resp = client.get(path)
        assert resp.status_code == 404
        assert resp.is_json
        assert resp.get_json()["error"]["status"] == 404


def test_unknown_framework_error_names_the_code(client, mini) -> None:
    assert client.get("/api/v1/frameworks/nope").get_json()["error"]["message"] == "unknown framework code: nope"


def test_search_without_query_is_a_json_400(client, mini) -> None:
    resp = client.get("/api/v1/search")
    assert resp.status_code == 400
    assert resp.get_json()["error"]["message"] == "missing query parameter q"


def test_api_refuses_writes_with_json_405(client, mini) -> None:
    resp = client.post("/api/v1/frameworks")
    assert resp.status_code in (400, 405)
    assert resp.is_json
