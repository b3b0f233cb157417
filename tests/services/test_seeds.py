"""The real standards, as loaded by the suite's database set-up, say what the source documents say.

Counts come from the issue's 'done when'; texts are spot checks copied from shared/seeds/.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.standards.models import Framework
from app.standards.queries import EVERYONE, Tree, get_framework, load_tree


def tree(code: str) -> Tree:
    framework = get_framework(db.session, code, audience=EVERYONE)
    assert framework is not None, f"{code} is not loaded"
    return load_tree(db.session, framework)


def titles(nodes) -> list[str]:
    return [n.element.title for n in nodes]


def test_all_six_frameworks_are_loaded() -> None:
    codes = set(db.session.scalars(select(Framework.code)))
    assert codes >= {
        "competent-E110101",
        "mbo-commercie",
        "sbb-competentiemodel",
        "ecf-2.0",
        "ecf-profile-online-community-manager",
        "bk-0331-4",
    }


def test_competent_has_6_basic_and_10_specific_activities_verbatim() -> None:
    t = tree("competent-E110101")
    fw = t.framework
    assert fw.title == "Multimediasite beheren"
    assert str(fw.validated_on) == "2015-03-23"
    assert fw.attributes["isco_08"] == ["1222", "2513"]
    assert "Webmaster (m/v)" in fw.attributes["alternative_names"]
    assert len(fw.attributes["alternative_names"]) == 12
    activities = [n for n in t.roots if n.element.type == "activity"]
    basic = [n for n in activities if n.element.attributes["category"] == "basis"]
    specific = [n for n in activities if n.element.attributes["category"] == "specifiek"]
    assert (len(basic), len(specific)) == (6, 10)
    assert basic[1].element.title == "Online-enquêtes en -peilingen bij gebruikers van de site uitvoeren"
    assert titles(basic[0].children_of_type("behaviour")) == [
        "Beheert het algemene mailadres van de site",
        "Beantwoordt berichten binnen een redelijke termijn",
        "Stuurt berichten intern door naar de betrokken diensten",
        "Doet voorstellen aan de gebruiker voor het afhandelen van klachten",
        "Volgt de afhandeling van berichten door andere diensten op",
    ]
    assert titles(basic[0].children_of_type("knowledge")) == ["Kennis van communicatietechnieken"]
    assert (
        specific[-1].element.title
        == "Regels voor informatieverspreiding, communicatie en site-inhoud opstellen en toepassen"
    )
    assert titles(specific[2].children_of_type("knowledge")) == [
        "Kennis van betalingsplatformen",
        "Kennis van beheerssoftware voor E-commerce platformen",
        "Kennis van e-procurement (elektronisch beheer van aankopen)",
        "Kennis van regelgeving e-commerce",
    ]
    assert all("Info block" not in n.element.title for n in t)


P3_WORK_PROCESSES = (
    [f"B1-K1-W{i}" for i in range(1, 6)]
    + [f"B1-K2-W{i}" for i in range(1, 4)]
    + [f"P3-K1-W{i}" for i in range(1, 6)]
    + [f"P3-K2-W{i}" for i in range(1, 5)]
)


def test_mbo_profile_p3_comprises_its_core_tasks_with_17_complete_work_processes() -> None:
    t = tree("mbo-commercie")
    assert t.framework.eqf_level == 4
    p3 = t.by_key["P3"]
    assert p3.element.title == "E-commerce specialist"
    assert p3.element.attributes["comprises"] == ["B1-K1", "B1-K2", "P3-K1", "P3-K2"]
    assert len(P3_WORK_PROCESSES) == 17
    for code in P3_WORK_PROCESSES:
        node = t.by_key[code]
        el = node.element
        assert el.type == "work_process", code
        assert el.description and len(el.description) > 100, code  # Omschrijving
        assert el.attributes.get("resultaat"), code
        assert len(node.children_of_type("behaviour")) >= 3, code
        sbb = [a for a in node.alignments if a.framework_code == "sbb-competentiemodel"]
        assert len(sbb) >= 2, code
        assert node.required is not None and node.required.label == "voldoende", code
    for code in ["B1-K1", "B1-K2", "P3-K1", "P3-K2"]:
        core = t.by_key[code].element
        assert core.attributes.get("complexiteit") and core.attributes.get("verantwoordelijkheid_en_zelfstandigheid")
        assert t.by_key[code].children_of_type("knowledge_group"), code


def test_mbo_work_process_b1_k1_w1_verbatim() -> None:
    node = tree("mbo-commercie").by_key["B1-K1-W1"]
    assert node.element.title == "Brengt de marktpositie van de onderneming in kaart"
    assert node.element.description.startswith(
        "De beginnend beroepsbeoefenaar stelt zich op de hoogte van de marktpositie van de onderneming in het "
        "(internationale) commerciële vakgebied en werkveld."
    )
    assert node.element.attributes["resultaat"] == (
        "Relevante informatie over de marktpositie van de onderneming is verzameld, geïnterpreteerd en gedeeld. "
        "Collega's en een leidinggevende zijn op de hoogte gebracht."
    )
    assert titles(node.children_of_type("behaviour")) == [
        "gaat proactief op zoek naar relevante informatie;",
        "gebruikt informatiebronnen doelgericht en efficiënt;",
        "toetst informatie kritisch op (commerciële) bruikbaarheid, relevantie en juistheid;",
        "legt verzamelde informatie zorgvuldig en vindbaar vast;",
        "toont inzicht in (commerciële) doelen van en werkzaamheden in de onderneming;",
        "legt logische relaties tussen en trekt logische conclusies over de marktpositie van de onderneming.",
    ]
    assert [a.element_title for a in node.alignments] == [
        "Samenwerken en overleggen",
        "Formuleren en rapporteren",
        "Vakdeskundigheid toepassen",
        "Onderzoeken",
        "Beslissen en activiteiten initiëren",
    ]


@pytest.mark.parametrize(
    ("core_task", "count"),
    [
        ("B1-K1", 5),
        ("B1-K2", 3),
        ("P1-K1", 7),
        ("P2-K1", 5),
        ("P2-K2", 4),
        ("P3-K1", 5),
        ("P3-K2", 4),
        ("P4-K1", 5),
        ("P4-K2", 6),
        ("P5-K1", 4),
        ("P5-K2", 6),
        ("P5-K3", 7),
        ("P6-K1", 6),
        ("P6-K2", 4),
        ("P6-K3", 6),
    ],
)
def test_mbo_overview_lists_every_work_process(core_task: str, count: int) -> None:
    node = tree("mbo-commercie").by_key[core_task]
    assert [c.element.code for c in node.children_of_type("work_process")] == [
        f"{core_task}-W{i}" for i in range(1, count + 1)
    ]


def test_mbo_has_all_six_profiles() -> None:
    t = tree("mbo-commercie")
    assert [f"P{i}" in t.by_key for i in range(1, 7)] == [True] * 6
    assert t.by_key["P6"].element.title == "Junior manager internationale handel"


def test_sbb_model_has_25_competences() -> None:
    t = tree("sbb-competentiemodel")
    assert t.count("competence") == 25
    assert t.by_key["R"].element.title == 'Op de behoeften en verwachtingen van de "klant" richten'


def test_ecf_catalogue_has_5_areas_36_competences_and_5_levels() -> None:
    t = tree("ecf-2.0")
    assert t.count("area") == 5
    assert t.count("competence") == 36
    assert t.by_key["D.6"].element.title == "Channel Management"
    assert t.by_key["A.3"].element.attributes["title_hu"] == "Üzleti terv kidolgozása"
    levels = t.framework.scales[0].levels
    assert [(lv.code, lv.eqf_level) for lv in levels] == [
        ("e-1", "3"),
        ("e-2", "4-5"),
        ("e-3", "6"),
        ("e-4", "7"),
        ("e-5", "8"),
    ]


def test_ecf_profile_has_18_competences_with_levels_aligned_to_the_catalogue() -> None:
    t = tree("ecf-profile-online-community-manager")
    assert t.framework.language == "hu"
    competences = [n for n in t if n.element.type == "competence"]
    assert len(competences) == 18
    for node in competences:
        assert node.level_descriptors(), node.key
        assert [(a.relation, a.framework_code, a.element_key) for a in node.alignments if not a.incoming] == [
            ("exact", "ecf-2.0", node.element.code)
        ]
        assert node.required is not None
        assert node.required.value == max(d["level"] for d in node.level_descriptors())
    b3 = t.by_key["B.3"]
    assert [d["level"] for d in b3.level_descriptors()] == [2, 3]
    assert b3.level_descriptors()[0]["text"] == (
        "Teszt programokat szervez, az eredményeket rögzíti és jelenti, az eredményekről elemzést készít."
    )
    codes = {n.element.code for n in t if n.element.type == "knowledge_skill"}
    expected = {f"T0{i}" for i in range(1, 6)} | {f"B{i:02d}" for i in range(1, 13)} | {f"M0{i}" for i in range(1, 6)}
    assert codes == expected


def test_ecf_profile_records_inconsistencies_of_the_source() -> None:
    t = tree("ecf-profile-online-community-manager")
    notes = [note for node in t for note in node.notes] + t.framework_notes
    assert any(note.kind == "inconsistency" for note in notes)
    c1 = t.by_key["C.1"]
    assert {"code": "B12", "text": "Képes elmagyarázni"} in c1.element.attributes["knowledge_and_skills"]


def test_bk_has_17_competences_in_6_clusters_verbatim() -> None:
    t = tree("bk-0331-4")
    fw = t.framework
    assert (fw.level, fw.level_scale, fw.eqf_level) == ("4", "VKS", 4)
    clusters = [n for n in t.roots if n.element.type == "cluster"]
    assert len(clusters) == 6
    assert clusters[0].element.title == "Project en planning"
    competences = [c for cl in clusters for c in cl.children_of_type("competence")]
    assert [c.element.attributes["number"] for c in competences] == list(range(1, 18))
    first = competences[0]
    assert first.element.title == "Werkt in teamverband"
    assert titles(first.children_of_type("activity"))[:3] == [
        "Communiceert effectief en efficiënt",
        "Wisselt informatie uit",
        "Houdt zich aan de afspraken van het team",
    ]
    assert len(first.children_of_type("activity")) == 7
    assert len(first.children_of_type("knowledge")) == 6
    assert t.count("descriptor") > 20
