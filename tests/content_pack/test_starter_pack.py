"""The shipped starter pack keeps what Balise promises a school or administration on day one."""

from pathlib import Path

import pytest

from balise.content_pack import check_pack, load_pack
from balise.content_pack.stats import pack_stats

STARTER = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def pack():
    return load_pack(STARTER)


def test_starter_pack_has_no_problem():
    assert [str(p) for p in check_pack(STARTER)] == []


def test_starter_pack_size_and_variety(pack):
    stats = pack_stats(pack)
    assert stats["areas"] == 5 and stats["competences"] == 16
    assert stats["skills"] >= 250 and stats["challenges"] >= 400
    assert set(stats["challenges_by_type"]) == {"qcu", "qcm", "qroc", "qrocm-ind", "qrocm-dep"}
    assert stats["timed"] >= 15
    assert stats["with_media"] >= 20
    assert stats["challenges_by_context"].get("fr-BE", 0) >= 15
    assert stats["challenges_by_language"] == {"fr": stats["challenges"], "en": stats["challenges"]}


def test_every_competence_has_three_tubes_and_levels_one_to_six(pack):
    for competence in pack.competences:
        tubes = [t for t in pack.tubes if t.competence_id == competence.id and not t.context]
        levels = {s.level for s in pack.skills if s.competence_id == competence.id}
        assert len(tubes) >= 3, competence.id
        assert set(range(1, 7)) <= levels, competence.id


def test_every_validated_challenge_was_reviewed_and_every_tube_has_a_bilingual_tutorial(pack):
    for challenge in pack.challenges:
        if challenge.status == "validated":
            assert challenge.reviewed_by and challenge.reviewed_on, challenge.id
    for tube in pack.tubes:
        languages = set()
        for tutorial in pack.tutorials:
            if tutorial.tube_id == tube.id:
                languages |= tutorial.languages
        assert {"fr", "en"} <= languages, tube.id


def test_questions_about_french_institutions_are_not_shown_in_belgium(pack):
    belgian = {c.id for c in pack.to_engine_framework("fr-BE").challenges}
    shared = {c.id for c in pack.to_engine_framework(None).challenges}
    assert "gdprRights6a" in shared and "gdprRights6a" not in belgian
    assert any(c.id.startswith("be") for c in pack.to_engine_framework("fr-BE").challenges)
