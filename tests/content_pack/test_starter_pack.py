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
    assert stats["challenges_by_space"].get("fwb", 0) >= 15
    assert stats["challenges_by_language"] == {"fr": stats["challenges"], "en": stats["challenges"]}


def test_every_competence_has_three_tubes_and_levels_one_to_six(pack):
    for competence in pack.competences:
        tubes = [t for t in pack.tubes if t.competence_id == competence.id and not t.space]
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
    belgian = {c.id for c in pack.to_engine_framework("fwb").challenges}
    shared = {c.id for c in pack.to_engine_framework(None).challenges}
    assert "gdprRights6a" in shared and "gdprRights6a" not in belgian
    assert any(c.id.startswith("be") for c in pack.to_engine_framework("fwb").challenges)


def test_a_learner_of_the_fwb_space_meets_belgian_help_lines_not_frances(pack):
    """Space-specific tutorials: France's 3018 is no help in Belgium."""

    def tutorials_of(space):
        return [t for t in pack.tutorials if t.space in (None, space) and space not in t.excluded_spaces]

    def mentions(tutorials, text):
        return [t.id for t in tutorials if any(text in body for body in (t.text or {}).values())]

    assert mentions(tutorials_of(None), "3018") and not mentions(tutorials_of(None), "116 000")
    assert mentions(tutorials_of("fwb"), "116 000") and not mentions(tutorials_of("fwb"), "3018")
