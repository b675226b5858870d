"""Read a content pack into the model, noting every problem of form met on the way.

`read_pack` checks each record on its own (keys, types, translations, the rules of each
challenge type, media files, spaces, the competence a tube belongs to) and builds what it
can; the rules that look at the pack as a whole (duplicate ids, a skill without a validated
challenge…) are in `validate.py`. The format is described in docs/content-format.md.

One module per thing read (decision 0012): pack_file (pack.yaml), framework (framework.yaml
and the tube files down to skills), challenges and answers (a challenge, then what it accepts),
media (illustrations, attachments), tutorials; file_reader holds the checks they all share.
This module walks the pack's folder and keeps the names importable from here as before.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Pack
from ..problems import PackError, Problem
from .answers import CHOICE_TYPES, FIELD_KEYS, OPEN_TYPES
from .challenges import ACCESSIBILITY_KEYS, CHALLENGE_KEYS, IRT_KEYS, TOLERANCE_NAMES
from .file_reader import UNREADABLE, _FileReader
from .framework import (
    AREA_KEYS,
    COMPETENCE_KEYS,
    FRAMEWORK_KEYS,
    MAX_LEVEL,
    MIN_LEVEL,
    SKILL_KEYS,
    TUBE_KEYS,
    _Collected,
    _read_framework,
    _read_tube_file,
)
from .media import ATTACHMENT_KEYS, ILLUSTRATION_KEYS, ILLUSTRATION_SUFFIXES
from .pack_file import PACK_KEYS, SHARED_SPACE_NAME, SPACE_KEYS, _read_pack_file
from .tutorials import TUTORIAL_KEYS

# Every public name of the former single module, so `from balise.content_pack.reader import …`
# keeps working for each of them.
__all__ = [
    "ACCESSIBILITY_KEYS",
    "AREA_KEYS",
    "ATTACHMENT_KEYS",
    "CHALLENGE_KEYS",
    "CHOICE_TYPES",
    "COMPETENCE_KEYS",
    "SPACE_KEYS",
    "FIELD_KEYS",
    "FRAMEWORK_FILE",
    "FRAMEWORK_KEYS",
    "ILLUSTRATION_KEYS",
    "ILLUSTRATION_SUFFIXES",
    "IRT_KEYS",
    "LICENCE_FILE",
    "MAX_LEVEL",
    "MIN_LEVEL",
    "OPEN_TYPES",
    "PACK_FILE",
    "PACK_KEYS",
    "SHARED_SPACE_NAME",
    "SKILL_KEYS",
    "TOLERANCE_NAMES",
    "TUBES_DIR",
    "TUBE_KEYS",
    "TUTORIAL_KEYS",
    "UNREADABLE",
    "read_pack",
]

PACK_FILE = "pack.yaml"
FRAMEWORK_FILE = "framework.yaml"
LICENCE_FILE = "LICENSE"
TUBES_DIR = "tubes"


def read_pack(path: str | Path) -> tuple[Pack, list[Problem]]:
    """Read everything that can be read, with the problems of form found on the way.

    Raises PackError only when nothing sensible can be built: no pack.yaml, or no languages.
    The pack-wide rules (validate.py) are not applied here.
    """
    display_root = str(path)
    root = Path(path)
    problems: list[Problem] = []
    pack_file = root / PACK_FILE
    if not pack_file.is_file():
        raise PackError(
            [
                Problem(
                    str(Path(display_root) / PACK_FILE),
                    None,
                    None,
                    None,
                    "no pack.yaml: is this the folder of a content pack?",
                )
            ]
        )

    def file_reader(file: Path) -> _FileReader:
        return _FileReader(root, display_root, file, languages, spaces, problems)

    languages: tuple[str, ...] = ()
    spaces: set[str] = set()
    settings, languages = _read_pack_file(file_reader(pack_file))
    spaces.update(settings["spaces"])

    if not (root / LICENCE_FILE).is_file():
        problems.append(
            Problem(
                str(Path(display_root) / LICENCE_FILE),
                None,
                None,
                None,
                "the pack has no LICENSE file stating its licence",
            )
        )

    collected = _Collected()
    framework_file = root / FRAMEWORK_FILE
    if framework_file.is_file():
        _read_framework(file_reader(framework_file), collected)
    else:
        problems.append(
            Problem(
                str(Path(display_root) / FRAMEWORK_FILE),
                None,
                None,
                None,
                "no framework.yaml: the areas and competences are missing",
            )
        )
    competences = {competence.id: competence for competence in collected.competences}

    tubes_dir = root / TUBES_DIR
    for file in sorted(tubes_dir.rglob("*")) if tubes_dir.is_dir() else ():
        if file.is_dir():
            continue
        relative = file.relative_to(tubes_dir)
        if file.suffix != ".yaml" or len(relative.parts) != 2:
            problems.append(
                Problem(
                    str(Path(display_root) / TUBES_DIR / relative),
                    None,
                    None,
                    None,
                    "tube files go in tubes/<competence>/<tube id>.yaml",
                )
            )
            continue
        _read_tube_file(file_reader(file), competences, collected)

    pack = Pack(
        id=settings["id"],
        version=settings["version"],
        languages=languages,
        licence=settings["licence"],
        spaces=settings["spaces"],
        areas=tuple(collected.areas),
        competences=tuple(collected.competences),
        tubes=tuple(collected.tubes),
        skills=tuple(collected.skills),
        challenges=tuple(collected.challenges),
        tutorials=tuple(collected.tutorials),
        root=root,
    )
    return pack, problems
