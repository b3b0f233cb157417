"""Loading seed files into the database: idempotent, in place, all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.standards.loader import load_paths
from app.standards.models import Alignment, Element, Framework, RequiredLevel, SourceNote
from app.standards.seedfile import SeedValidationError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "standards"
MINI = [FIXTURES / "mini-catalogue.yaml", FIXTURES / "mini-profile.yaml"]


def snapshot() -> dict[str, object]:
    """Every row the loader writes, with its values, so that 'unchanged' can be proven."""
    s = db.session
    return {
        "frameworks": sorted(s.execute(select(Framework.id, Framework.code, Framework.title, Framework.content_hash))),
        "elements": sorted(
            s.execute(select(Element.id, Element.key, Element.title, Element.parent_id, Element.sort_order))
        ),
        "alignments": sorted(s.execute(select(Alignment.id, Alignment.source_id, Alignment.target_id))),
        "required": sorted(s.execute(select(RequiredLevel.id, RequiredLevel.element_id, RequiredLevel.scale_level_id))),
        "notes": sorted(s.execute(select(SourceNote.id, SourceNote.text))),
    }


def element(framework: str, key: str) -> Element:
    return db.session.execute(
        select(Element).join(Element.framework).where(Framework.code == framework, Element.key == key)
    ).scalar_one()


def test_load_creates_the_tree_with_levels_alignments_and_notes(app) -> None:
    reports = load_paths(db.session, MINI)
    assert [r.summary() for r in reports] == [
        "mini-catalogue: created with 3 elements",
        "mini-profile: created with 7 elements",
    ]
    comp = element("mini-profile", "A.1")
    assert comp.description == "Beschrijving met enquêtes en peilingen."
    assert element("mini-profile", "A.1/level-3").parent_id == comp.id
    alignment = db.session.scalars(select(Alignment).where(Alignment.source_id == comp.id)).one()
    assert (alignment.relation, alignment.target_id) == ("exact", element("mini-catalogue", "A.1").id)
    required = db.session.scalars(select(RequiredLevel).where(RequiredLevel.element_id == comp.id)).one()
    assert (required.scale_level.value, required.note) == (3, "hoogste niveau")
    note = db.session.scalars(select(SourceNote).where(SourceNote.element_id == comp.id)).one()
    assert note.kind == "inconsistency"


def test_second_load_changes_nothing(app) -> None:
    load_paths(db.session, MINI)
    db.session.flush()
    before = snapshot()
    reports = load_paths(db.session, MINI)
    assert all(not r.changed for r in reports), [r.summary() for r in reports]
    assert [r.summary() for r in reports] == [
        "mini-catalogue: unchanged (3 elements)",
        "mini-profile: unchanged (7 elements)",
    ]
    assert snapshot() == before


def test_edited_title_updates_in_place_and_keeps_references(app, tmp_path: Path) -> None:
    load_paths(db.session, MINI)
    target = element("mini-catalogue", "A.1")
    target_id = target.id
    edited = tmp_path / "mini-catalogue.yaml"
    edited.write_text(
        MINI[0].read_text(encoding="utf-8").replace("title: Alignment", "title: Alignment (revised)"), encoding="utf-8"
    )
    reports = load_paths(db.session, [edited])
    assert reports[0].summary() == "mini-catalogue: 0 created, 1 updated, 0 retired, 2 unchanged"
    db.session.expire_all()
    same = element("mini-catalogue", "A.1")
    assert same.id == target_id
    assert same.title == "Alignment (revised)"
    source = element("mini-profile", "A.1")
    assert db.session.scalars(select(Alignment.target_id).where(Alignment.source_id == source.id)).one() == target_id


def test_removed_element_is_retired_not_deleted(app, tmp_path: Path) -> None:
    load_paths(db.session, MINI)
    edited = tmp_path / "mini-catalogue.yaml"
    edited.write_text(
        MINI[0]
        .read_text(encoding="utf-8")
        .replace("      - {code: A.2, type: competence, title: Service levels}\n", ""),
        encoding="utf-8",
    )
    reports = load_paths(db.session, [edited])
    assert reports[0].retired == 1
    mini = select(Framework.id).where(Framework.code == "mini-catalogue").scalar_subquery()
    remaining = select(func.count()).select_from(Element).where(Element.key == "A.2", Element.framework_id == mini)
    assert db.session.scalar(remaining) == 1
    assert element("mini-catalogue", "A.2").retired_at is not None


def _counts() -> tuple[int, int, int]:
    s = db.session
    return (
        s.scalar(select(func.count()).select_from(Framework)),
        s.scalar(select(func.count()).select_from(Element)),
        s.scalar(select(func.count()).select_from(Alignment)),
    )


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ("type: competence\n    title: Stemt", "type: gizmo\n    title: Stemt", "'gizmo' is not one of"),
        ("code: K01, type: knowledge_skill", "code: A.1, type: knowledge_skill", "duplicate code 'A.1'"),
        ("mini-catalogue:A.1", "mini-catalogue:Q.7", "has no element 'Q.7'"),
        ("      3: Niveau drie tekst.", "      6: Niveau zes tekst.", "level 6 is out of range"),
        ("title: Mini profiel", "title: [Mini profiel", "malformed YAML"),
    ],
)
def test_bad_input_leaves_the_database_untouched(app, tmp_path: Path, replace: str, by: str, message: str) -> None:
    before = _counts()
    text = MINI[1].read_text(encoding="utf-8")
    assert replace in text
    bad = tmp_path / "mini-profile.yaml"
    bad.write_text(text.replace(replace, by), encoding="utf-8")
    with pytest.raises(SeedValidationError) as info:
        load_paths(db.session, [MINI[0], bad])  # the first file is valid: it must not be written either
    assert message in str(info.value)
    assert str(bad) in str(info.value)
    assert _counts() == before


def test_cli_load_reports_and_is_idempotent(runner, tmp_path: Path) -> None:
    files = []
    for path in MINI:
        files.append(tmp_path / path.name)
        shutil.copy(path, files[-1])
    first = runner.invoke(args=["standards", "load", *map(str, files)])
    assert first.exit_code == 0, first.output
    assert "mini-profile: created with 7 elements" in first.output
    second = runner.invoke(args=["standards", "load", *map(str, files)])
    assert second.exit_code == 0
    assert "mini-profile: unchanged (7 elements)" in second.output
    listing = runner.invoke(args=["standards", "list"])
    assert "mini-profile" in listing.output and "EQF 4" in listing.output


def test_cli_load_refuses_bad_file_with_location_and_nonzero_exit(runner, tmp_path: Path) -> None:
    before = _counts()
    bad = tmp_path / "broken.yaml"
    bad.write_text(
        MINI[1].read_text(encoding="utf-8").replace("type: behaviour, title: Doet iets goed;", "type: behaviour")
    )
    result = runner.invoke(args=["standards", "load", str(MINI[0]), str(bad)])
    assert result.exit_code != 0
    assert f"{bad}:" in result.output
    assert "/elements/0/children/0" in result.output
    assert "nothing was loaded" in result.output
    assert _counts() == before


def test_cli_load_refuses_missing_file(runner) -> None:
    result = runner.invoke(args=["standards", "load", "does/not/exist.yaml"])
    assert result.exit_code != 0
    assert "no such file: does/not/exist.yaml" in result.output
