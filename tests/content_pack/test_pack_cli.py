"""The `balise` console script, run as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

BALISE = str(Path(sys.executable).parent / "balise")


def balise(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([BALISE, *arguments], check=False, capture_output=True, text=True, timeout=60)


def test_check_passes_on_the_fixture_pack(fixture_pack):
    result = balise("content", "check", str(fixture_pack))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "no problems" in result.stderr


def test_check_prints_one_line_per_problem_and_fails(pack):
    pack.edit("tubes/1.1/searchEngines.yaml", "timer: 60", "timer: 0")
    pack.edit("tubes/1.2/fileFormats.yaml", "level: 3", "level: 10")
    result = balise("content", "check", str(pack.root))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    timer_line = pack.line_of("tubes/1.1/searchEngines.yaml", "timer: 0")
    level_line = pack.line_of("tubes/1.2/fileFormats.yaml", "level: 10")
    assert len(lines) == 2
    assert lines[0].startswith(f"{pack.file('tubes/1.1/searchEngines.yaml')}:{timer_line}: searchEngines1a.timer: ")
    assert lines[1].startswith(f"{pack.file('tubes/1.2/fileFormats.yaml')}:{level_line}: @fileFormats3.level: ")
    assert "2 problem(s)" in result.stderr


def test_check_fails_on_a_folder_that_is_not_a_pack(tmp_path):
    result = balise("content", "check", str(tmp_path))
    assert result.returncode == 1
    assert "no pack.yaml" in result.stdout


def test_stats_json_is_one_object_with_the_documented_keys(fixture_pack):
    result = balise("content", "stats", str(fixture_pack), "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    for key in (
        "areas",
        "competences",
        "tubes",
        "skills",
        "challenges",
        "challenges_all",
        "tutorials",
        "timed",
        "with_media",
    ):
        assert isinstance(stats[key], int), key
    for key in (
        "challenges_by_type",
        "challenges_by_language",
        "challenges_by_space",
        "by_competence",
    ):
        assert isinstance(stats[key], dict), key
    assert stats["challenges_by_space"]["fwb"] >= 1


def test_stats_as_text_and_on_a_pack_with_problems(pack):
    pack.edit("tubes/1.1/searchEngines.yaml", "timer: 60", "timer: 0")
    result = balise("content", "stats", str(pack.root))
    assert result.returncode == 0
    assert "validated by type:" in result.stdout
    assert "1 problem(s)" in result.stderr


def test_python_dash_m_balise_and_usage_errors(fixture_pack):
    result = subprocess.run(
        [sys.executable, "-m", "balise", "content", "check", str(fixture_pack)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert balise("content").returncode == 2
    assert balise("content", "nonsense", str(fixture_pack)).returncode == 2


def test_the_content_pack_tooling_imports_no_django():
    code = (
        "import sys, balise.cli, balise.content_pack.loader, balise.content_pack.stats; "
        "sys.exit(any(name.split('.')[0] in ('django', 'ninja') for name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
    assert result.returncode == 0, result.stderr
