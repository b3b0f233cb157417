"""Translation layers: loaded beside a standard (idempotent, in place), never touching its source text; an
unknown key, field, standard or language is refused with nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from app.extensions import db
from app.standards.models import Element, Framework
from app.standards.seedfile import SeedValidationError
from app.standards.translations.layerfile import is_layer_file
from app.standards.translations.loader import load_layer_paths
from app.standards.translations.models import ElementTranslation

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "seeds" / "translations" / "ecf-profile-online-community-manager.en.yaml"
SOURCE = ROOT / "seeds" / "standards" / "ecf-profile-online-community-manager.yaml"
CODE = "ecf-profile-online-community-manager"


def rows() -> list[tuple]:
    return sorted(
        db.session.execute(
            select(
                ElementTranslation.id,
                ElementTranslation.element_id,
                ElementTranslation.field,
                ElementTranslation.text,
                ElementTranslation.created_at,
            )
        )
    )


def translation(key: str | None, field: str) -> ElementTranslation:
    query = select(ElementTranslation).join(Framework, ElementTranslation.framework_id == Framework.id)
    query = query.where(Framework.code == CODE, ElementTranslation.field == field)
    if key is None:
        return db.session.scalars(query.where(ElementTranslation.element_id.is_(None))).one()
    element = select(Element.id).join(Element.framework).where(Framework.code == CODE, Element.key == key)
    return db.session.scalars(query.where(ElementTranslation.element_id == element.scalar_subquery())).one()


def layer_file(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(LAYER.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "layer.en.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_english_layer_of_the_ecf_profile_is_loaded_unofficial_by_the_bekwaam_team(app) -> None:
    a3 = translation("A.3", "title")
    assert (a3.text, a3.language, a3.status, a3.translator) == (
        "Business plan development",
        "en",
        "unofficial",
        "Bekwaam team",
    )
    assert translation("A.3/level-3", "title").text.startswith("Contributes with specialist knowledge")
    assert translation("B11", "title").text == "Able to analyse"
    assert (
        translation("A.3", "attributes.knowledge_and_skills.0.text").text
        == "Can word texts clearly, concisely and correctly"
    )
    assert translation(None, "title").text == "Online Community Manager"
    assert translation(None, "attributes.tasks.4").text == "Moderating forums."
    # every competence, level descriptor and catalogue item of the profile has its title translated
    wanted = db.session.scalars(
        select(Element.id)
        .join(Element.framework)
        .where(Framework.code == CODE, Element.type.in_(["competence", "level_descriptor", "knowledge_skill", "area"]))
    ).all()
    translated = set(
        db.session.scalars(select(ElementTranslation.element_id).where(ElementTranslation.field == "title"))
    )
    assert set(wanted) <= translated


def test_loading_the_layer_again_changes_nothing(app) -> None:
    before = rows()
    [report] = load_layer_paths(db.session, [LAYER])
    assert not report.changed and report.summary() == f"{CODE} (en translations): unchanged ({len(before)} texts)"
    assert rows() == before


def test_the_source_text_stays_as_the_seed_has_it(app) -> None:
    seed = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    a3 = seed["elements"][0]["children"][0]
    element = db.session.scalars(
        select(Element).join(Element.framework).where(Framework.code == CODE, Element.key == "A.3")
    ).one()
    assert (element.title, element.description) == (a3["title"], a3["description"])
    assert element.attributes["knowledge_and_skills"][0]["text"] == a3["attributes"]["knowledge_and_skills"][0]["text"]
    framework = db.session.scalars(select(Framework).where(Framework.code == CODE)).one()
    assert framework.title == "Online Közösség Menedzser"


def test_an_edited_translation_is_updated_in_place_and_a_dropped_one_removed(app, tmp_path) -> None:
    before = translation("A.3", "title")
    created_at, ident = before.created_at, before.id

    def change(data):
        data["elements"]["A.3"]["title"] = "Developing the business plan"
        del data["elements"]["B11"]

    [report] = load_layer_paths(db.session, [layer_file(tmp_path, change)])
    assert (report.updated, report.removed, report.created) == (1, 2, 0)  # B11's title and its group
    after = translation("A.3", "title")
    assert (after.id, after.created_at, after.text) == (ident, created_at, "Developing the business plan")
    with pytest.raises(Exception):  # noqa: B017 - no row any more
        translation("B11", "title")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["elements"].update({"Z.9": {"title": "Nothing"}}), "unknown element key 'Z.9'"),
        (lambda d: d["elements"]["A.3"].update({"levels": {5: "Leads"}}), "unknown element key 'A.3/level-5'"),
        (
            lambda d: d["elements"]["A.3"]["attributes"].update({"mission": "Not there"}),
            "A.3 has no source text at 'attributes.mission'",
        ),
        (
            lambda d: d["elements"]["B11"].update({"description": "None in the source"}),
            "B11 has no source text at 'description'",
        ),
        (lambda d: d.update({"framework": "no-such-standard"}), "unknown standard 'no-such-standard'"),
        (lambda d: d.update({"language": "hu"}), "'hu' is the source language of the standard"),
        (lambda d: d.update({"status": "approved"}), "'approved' is not one of"),
        (lambda d: d["elements"]["A.3"].update({"remark": "x"}), "Additional properties are not allowed"),
    ],
)
def test_a_layer_that_does_not_fit_its_standard_is_refused_and_nothing_written(app, tmp_path, change, message) -> None:
    before = rows()

    def edit(data):
        data["elements"]["A.3"]["title"] = "Changed, but never written"
        change(data)

    with pytest.raises(SeedValidationError) as refused:
        load_layer_paths(db.session, [layer_file(tmp_path, edit)])
    assert any(message in str(e) for e in refused.value.errors), refused.value.errors
    assert rows() == before


def test_an_unknown_key_is_reported_with_its_line(app, tmp_path) -> None:
    path = layer_file(tmp_path, lambda d: d["elements"].update({"Z.9": {"title": "Nothing"}}))
    with pytest.raises(SeedValidationError) as refused:
        load_layer_paths(db.session, [path])
    [error] = refused.value.errors
    lines = path.read_text(encoding="utf-8").split("\n")
    assert error.line is not None
    assert any(line.strip().startswith("Z.9:") for line in lines[error.line - 2 : error.line])  # its entry


def test_flask_standards_load_takes_a_layer_file_and_refuses_a_bad_one(app, runner, tmp_path) -> None:
    assert is_layer_file(LAYER) and not is_layer_file(SOURCE)
    ok = runner.invoke(args=["standards", "load", str(SOURCE), str(LAYER)])
    assert ok.exit_code == 0, ok.output
    assert f"{CODE} (en translations): unchanged" in ok.output
    bad = layer_file(tmp_path, lambda d: d["elements"].update({"Z.9": {"title": "Nothing"}}))
    refused = runner.invoke(args=["standards", "load", str(bad)])
    assert refused.exit_code != 0
    assert "unknown element key 'Z.9'" in refused.output and "nothing was loaded" in refused.output
    assert db.session.scalar(select(func.count(ElementTranslation.id))) == len(rows())


def test_a_layer_translates_the_current_version_and_an_older_one_keeps_its_translations(app) -> None:
    from tests.factories import build_second_version

    old, new = build_second_version(CODE)
    before = db.session.scalar(select(func.count()).where(ElementTranslation.framework_id == old.id))
    assert before and not db.session.scalar(select(func.count()).where(ElementTranslation.framework_id == new.id))
    [report] = load_layer_paths(db.session, [LAYER])
    assert report.created > 200
    assert db.session.scalar(select(func.count()).where(ElementTranslation.framework_id == new.id)) == report.created
    assert db.session.scalar(select(func.count()).where(ElementTranslation.framework_id == old.id)) == before
