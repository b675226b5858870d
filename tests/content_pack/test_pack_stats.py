from collections import Counter

import yaml

from balise.content_pack import load_pack
from balise.content_pack.stats import SHARED, format_stats, pack_stats


def plain_challenges(root):
    """(challenge, tube) pairs read with plain PyYAML: an independent count of the fixture."""
    for path in sorted((root / "tubes").glob("*/*.yaml")):
        tube = yaml.safe_load(path.read_text(encoding="utf-8"))
        for skill in tube["skills"]:
            for challenge in skill.get("challenges", []):
                yield challenge, tube


def test_stats_count_validated_challenges_by_type_language_and_space(fixture_pack):
    stats = pack_stats(load_pack(fixture_pack))
    pairs = list(plain_challenges(fixture_pack))
    validated = [(c, t) for c, t in pairs if c["status"] == "validated"]
    assert stats["challenges"] == len(validated)
    assert stats["challenges_all"] == len(pairs) > len(validated)
    assert stats["challenges_by_type"] == dict(sorted(Counter(c["type"] for c, _ in validated).items()))
    assert stats["challenges_by_language"] == {"en": len(validated), "fr": len(validated)}
    by_space = Counter(c.get("space") or t.get("space") or SHARED for c, t in validated)
    assert stats["challenges_by_space"] == dict(sorted(by_space.items()))
    assert stats["timed"] == sum(1 for c, _ in validated if "timer" in c)
    assert stats["with_media"] == sum(1 for c, _ in validated if "illustration" in c or "attachments" in c)
    assert sum(stats["challenges_by_level"].values()) == stats["challenges"]


def test_stats_by_competence_add_up_to_the_totals(fixture_pack):
    stats = pack_stats(load_pack(fixture_pack))
    by_competence = stats["by_competence"].values()
    for key in ("tubes", "skills", "challenges", "tutorials"):
        assert sum(c[key] for c in by_competence) == stats[key]
    assert sum(a["challenges"] for a in stats["by_area"].values()) == stats["challenges"]
    assert stats["by_competence"]["1.2"]["levels"] == [1, 3]


def test_the_text_report_names_every_competence(fixture_pack):
    pack = load_pack(fixture_pack)
    report = format_stats(pack_stats(pack), "fr")
    for competence in pack.competences:
        assert f"{competence.id} {competence.name['fr']}" in report
    assert f"{len(pack.challenges)} in all" in report
