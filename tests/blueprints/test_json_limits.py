"""JSON bodies have a size and a depth limit: malformed, oversized or too deep JSON is a 400 naming the
problem, never a 500 (finding 12 of issue 10: deeply nested JSON posted to /verify answered 500)."""

from __future__ import annotations

import io
import json

import pytest
from flask import Flask, request

from app import create_app
from app.authz import public
from app.json_limits import JSONLimitExceeded, loads_limited, nesting_depth
from tests.conftest import csrf_token

HOSTILE = "[" * 100_000 + "]" * 100_000  # far deeper than the interpreter's recursion limit


def nested(depth: int) -> str:
    """An object `depth` levels deep: {"a": {"a": ... {} ...}}."""
    return '{"a": ' * (depth - 1) + "{}" + "}" * (depth - 1)


# --- the pure limit ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "depth"), [("1", 0), ("{}", 1), ("[[1]]", 2), ('{"a": [{"b": 2}]}', 3)])
def test_nesting_depth_counts_arrays_and_objects(text: str, depth: int) -> None:
    assert nesting_depth(json.loads(text)) == depth


def test_loads_limited_refuses_documents_over_the_depth_limit() -> None:
    assert loads_limited(nested(32), max_bytes=10_000, max_depth=32) is not None
    with pytest.raises(JSONLimitExceeded) as exc:
        loads_limited(nested(33), max_bytes=10_000, max_depth=32)
    assert (exc.value.limit, exc.value.maximum) == ("depth", 32)
    with pytest.raises(JSONLimitExceeded):
        loads_limited(HOSTILE, max_bytes=1_000_000, max_depth=32)


def test_loads_limited_refuses_documents_over_the_size_limit_in_bytes() -> None:
    with pytest.raises(JSONLimitExceeded) as exc:
        loads_limited(json.dumps(["é" * 600]), max_bytes=1000, max_depth=32)  # 600 characters, 1,200+ bytes
    assert exc.value.limit == "bytes"


# --- the public /verify page ----------------------------------------------------------------------


def _post_verify(client, **data):
    return client.post("/verify", data={"csrf_token": csrf_token(client, "/verify"), **data})


def test_deeply_nested_json_pasted_into_verify_is_a_400_naming_the_depth(client) -> None:
    resp = _post_verify(client, json=HOSTILE)
    assert resp.status_code == 400
    assert "nested too deeply: at most 32 levels" in resp.get_data(as_text=True)


def test_deeply_nested_json_uploaded_to_verify_is_a_400_naming_the_depth(client) -> None:
    resp = _post_verify(client, credential=(io.BytesIO(HOSTILE.encode()), "credential.json"))
    assert resp.status_code == 400
    assert "nested too deeply: at most 32 levels" in resp.get_data(as_text=True)


def test_verify_checks_json_just_within_the_depth_limit_without_error(client) -> None:
    resp = _post_verify(client, json=nested(32))
    assert resp.status_code == 200


def test_verify_still_names_malformed_json(client) -> None:
    resp = _post_verify(client, json='{"a": ')
    assert resp.status_code == 400
    assert "not a JSON object" in resp.get_data(as_text=True)


# --- every endpoint that reads request.get_json() -----------------------------------------------------


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A bare app with one JSON endpoint, the way any JSON API route reads its body."""
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "INSTANCE_DIR": str(tmp_path_factory.mktemp("json-probe")),
            "WTF_CSRF_ENABLED": False,
            "JSON_MAX_BYTES": 4096,
        }
    )

    @application.post("/api/probe")
    @public
    def api_probe():
        return {"depth": nesting_depth(request.get_json())}

    @application.post("/probe")
    @public
    def page_probe():
        return {"depth": nesting_depth(request.get_json())}

    return application


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 1500 + "]" * 1500, "nested too deeply: at most 32 levels"),
        (nested(33), "nested too deeply: at most 32 levels"),
        ("[" + "1," * 3000 + "1]", "too large: at most 4 kB"),
        ('{"a": 1,\n "b": }', "not valid JSON: the error is at line 2, column 7"),
        (b"\xff\xfe{}", "not valid JSON: it is not UTF-8 text"),
    ],
    ids=["hostile-depth", "one-too-deep", "too-large", "malformed", "not-utf8"],
)
@pytest.mark.parametrize("path", ["/api/probe", "/probe"])
def test_bad_json_bodies_are_a_400_in_the_json_error_shape(probe: Flask, path: str, body, message: str) -> None:
    resp = probe.test_client().post(path, data=body, content_type="application/json")
    assert resp.status_code == 400
    error = resp.get_json()["error"]
    assert error["status"] == 400
    assert message in error["message"]


def test_good_json_bodies_within_the_limits_are_read(probe: Flask) -> None:
    resp = probe.test_client().post("/api/probe", json=json.loads(nested(32)))
    assert resp.status_code == 200 and resp.get_json() == {"depth": 32}
