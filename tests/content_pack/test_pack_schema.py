"""The JSON Schemas in content/schema document the format: they accept the fixture pack and
reject what the format forbids."""

import copy
import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "content" / "schema"
CONTENT_DIR = SCHEMA_DIR.parent


def schema(name: str) -> dict:
    loaded = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def as_json(value):
    """YAML reads 2026-11-28 as a date; JSON has only strings."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def read(path: Path):
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


def errors(schema_name: str, document) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema(schema_name), format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(document)]


def test_the_schemas_accept_the_fixture_pack(fixture_pack):
    assert errors("pack.schema.json", read(fixture_pack / "pack.yaml")) == []
    assert errors("framework.schema.json", read(fixture_pack / "framework.yaml")) == []
    tube_files = sorted((fixture_pack / "tubes").glob("*/*.yaml"))
    assert tube_files
    for path in tube_files:
        assert errors("tube.schema.json", read(path)) == [], path


def test_the_schemas_accept_the_shipped_pack_settings_and_framework():
    assert errors("pack.schema.json", read(CONTENT_DIR / "pack.yaml")) == []
    framework = read(CONTENT_DIR / "framework.yaml")
    assert errors("framework.schema.json", framework) == []
    assert len(framework["areas"]) == 5
    assert sum(len(area["competences"]) for area in framework["areas"]) == 16


def first_challenge(tube: dict) -> dict:
    return tube["skills"][0]["challenges"][0]


def break_with_typo(tube):
    challenge = first_challenge(tube)
    challenge["solutoin"] = challenge.pop("solution")


def break_with_zero_timer(tube):
    first_challenge(tube)["timer"] = 0


def break_with_level_nine(tube):
    tube["skills"][0]["level"] = 9


def break_qcu_without_options(tube):
    del first_challenge(tube)["options"]


def break_validated_without_review(tube):
    del first_challenge(tube)["reviewed_by"]


def break_tutorial_without_text(tube):
    del tube["tutorials"][0]["text"]


def break_text_with_unknown_type(tube):
    first_challenge(tube)["type"] = "qcmu"


@pytest.mark.parametrize(
    "breaks",
    [
        break_with_typo,
        break_with_zero_timer,
        break_with_level_nine,
        break_qcu_without_options,
        break_validated_without_review,
        break_tutorial_without_text,
        break_text_with_unknown_type,
    ],
)
def test_the_tube_schema_rejects_broken_tubes(fixture_pack, breaks):
    tube = copy.deepcopy(read(fixture_pack / "tubes/1.1/searchEngines.yaml"))
    assert errors("tube.schema.json", tube) == []
    breaks(tube)
    assert errors("tube.schema.json", tube) != []


def test_the_framework_schema_rejects_an_unquoted_competence_id(fixture_pack):
    framework = read(fixture_pack / "framework.yaml")
    framework["areas"][0]["competences"][0]["id"] = 1.1
    assert errors("framework.schema.json", framework) != []
