from datetime import date

import pytest
import yaml

from balise.content_pack import PackError, load_pack, read_pack
from balise.engine.answers import FieldSolution, Solution
from balise.engine.framework import ChallengeType, Framework

SEARCH_ENGINES = "tubes/1.1/searchEngines.yaml"
FILE_FORMATS = "tubes/1.2/fileFormats.yaml"


def plain_yaml(root, relative: str):
    return yaml.safe_load((root / relative).read_text(encoding="utf-8"))


def test_the_fixture_pack_loads_with_every_record(fixture_pack):
    pack = load_pack(fixture_pack)
    tube_files = sorted((fixture_pack / "tubes").glob("*/*.yaml"))
    tubes = [plain_yaml(fixture_pack, str(path.relative_to(fixture_pack))) for path in tube_files]
    skills = [skill for tube in tubes for skill in tube["skills"]]
    framework = plain_yaml(fixture_pack, "framework.yaml")
    assert pack.id == plain_yaml(fixture_pack, "pack.yaml")["id"]
    assert pack.languages == ("fr", "en")
    assert [a.id for a in pack.areas] == [a["id"] for a in framework["areas"]]
    assert len(pack.competences) == sum(len(a["competences"]) for a in framework["areas"])
    assert sorted(t.id for t in pack.tubes) == sorted(t["id"] for t in tubes)
    assert sorted(s.id for s in pack.skills) == sorted(s["id"] for s in skills)
    assert sorted(c.id for c in pack.challenges) == sorted(c["id"] for s in skills for c in s["challenges"])
    assert len(pack.tutorials) == sum(len(t["tutorials"]) for t in tubes)
    assert pack.root == fixture_pack


def test_records_remember_their_file_and_line(fixture_pack):
    pack = load_pack(fixture_pack)
    challenge = next(c for c in pack.challenges if c.id == "searchEngines1b")
    lines = (fixture_pack / SEARCH_ENGINES).read_text(encoding="utf-8").splitlines()
    assert challenge.source.file == str(fixture_pack / SEARCH_ENGINES)
    assert lines[challenge.source.line - 1].strip() == "- id: searchEngines1b"


def test_a_choice_challenge_carries_its_options_flags_media_and_review(fixture_pack):
    pack = load_pack(fixture_pack)
    challenge = next(c for c in pack.challenges if c.id == "searchEngines1b")
    assert challenge.type is ChallengeType.QCU
    assert [o.id for o in challenge.options] == ["a", "b"]
    assert challenge.options[1].text == {
        "fr": "Le second, namur.be",
        "en": "The second one, namur.be",
    }
    assert challenge.illustration.file == "media/results-page.svg"
    assert set(challenge.illustration.alt) == {"fr", "en"}
    assert (challenge.skill_id, challenge.tube_id, challenge.competence_id, challenge.level) == (
        "@searchEngines1",
        "searchEngines",
        "1.1",
        1,
    )
    assert challenge.reviewed_on == date(2026, 11, 28)
    assert challenge.solutions["fr"] == Solution(
        type=ChallengeType.QCU, options=("a", "b"), correct_options=frozenset({"b"})
    )
    assert challenge.solutions["fr"] == challenge.solutions["en"]


def test_accepted_answers_may_differ_by_language(fixture_pack):
    pack = load_pack(fixture_pack)
    challenge = next(c for c in pack.challenges if c.id == "fileFormats1a")
    assert challenge.solutions["fr"].fields == (FieldSolution("answer", ("ods", ".ods")),)
    assert challenge.solutions["en"].fields == (FieldSolution("answer", ("xlsx", ".xlsx")),)
    assert challenge.solutions["en"].tolerances == frozenset({"t1"})


def test_a_qrocm_dep_gets_its_pool_and_a_single_id_solution_is_accepted(fixture_pack):
    pack = load_pack(fixture_pack)
    dep = next(c for c in pack.challenges if c.id == "searchEngines2b")
    assert dep.solutions["en"].pool[1] == ("DuckDuckGo", "Duck Duck Go")
    assert [f.id for f in dep.solutions["en"].fields] == ["first", "second"]
    archived = next(c for c in pack.challenges if c.id == "fileFormats3b")
    assert archived.solutions["fr"].correct_options == frozenset({"a"})


def test_space_is_inherited_from_the_tube(fixture_pack):
    pack = load_pack(fixture_pack)
    belgian = next(c for c in pack.challenges if c.id == "publicServicesBe2a")
    assert belgian.space == "fwb"
    assert next(t for t in pack.tubes if t.id == "publicServicesBe").space == "fwb"
    assert next(c for c in pack.challenges if c.id == "searchEngines1a").space is None


def test_tutorials_know_their_languages_and_skills(fixture_pack):
    pack = load_pack(fixture_pack)
    keywords = next(t for t in pack.tutorials if t.id == "tuto-searchEngines-keywords")
    operators = next(t for t in pack.tutorials if t.id == "tuto-searchEngines-operators")
    assert keywords.skill_ids == ("@searchEngines1",)
    assert operators.skill_ids == ("@searchEngines1", "@searchEngines2")  # the whole tube
    assert operators.languages == frozenset({"fr", "en"}) and operators.text is None
    assert keywords.kind == "text" and keywords.url is None and keywords.duration == 3


def test_engine_framework_has_only_validated_challenges_of_the_space(fixture_pack):
    pack = load_pack(fixture_pack)
    shared = pack.to_engine_framework()
    belgian = pack.to_engine_framework("fwb")
    assert isinstance(shared, Framework)
    validated = {c.id for c in pack.challenges if c.status == "validated"}
    without_space = {c.id for c in pack.challenges if c.space is None}
    assert {c.id for c in shared.challenges} == validated & without_space
    excluded_in_belgium = {c.id for c in pack.challenges if "fwb" in c.excluded_spaces}
    assert excluded_in_belgium == {"searchEngines1b"}
    assert {c.id for c in belgian.challenges} == validated - excluded_in_belgium
    assert "@publicServicesBe2" not in {s.id for s in shared.skills}
    assert "publicServicesBe" in {t.id for t in belgian.tubes}
    assert shared.version == f"{pack.id}@{pack.version}"


def test_engine_challenge_carries_timer_focus_accessibility_and_irt(fixture_pack):
    framework = load_pack(fixture_pack).to_engine_framework()
    by_id = {c.id: c for c in framework.challenges}
    assert by_id["searchEngines1a"].timed and not by_id["searchEngines1b"].timed
    assert by_id["searchEngines2a"].focused
    assert (by_id["searchEngines2a"].a, by_id["searchEngines2a"].b) == (1.2, -0.5)
    assert not by_id["fileFormats3a"].usable_without_sight
    assert by_id["fileFormats3a"].languages == frozenset({"fr", "en"})


def test_load_pack_refuses_a_pack_with_problems_but_read_pack_reads_it(pack):
    pack.edit(SEARCH_ENGINES, "solution: [a]\n        timer", "solution: [a, c]\n        timer")
    with pytest.raises(PackError) as raised:
        load_pack(pack.root)
    assert any(p.record_id == "searchEngines1a" for p in raised.value.problems)
    read, problems = read_pack(pack.root)
    assert "searchEngines1a" in {c.id for c in read.challenges} and problems


def test_a_folder_without_pack_yaml_cannot_be_read(tmp_path):
    with pytest.raises(PackError) as raised:
        load_pack(tmp_path)
    assert "pack.yaml" in str(raised.value)
