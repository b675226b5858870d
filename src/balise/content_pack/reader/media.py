"""A challenge's illustration (with its per-language versions) and attachments.

The path rule itself (an existing file under media/) is `_FileReader.media_path`, shared.
"""

from __future__ import annotations

from ..model import PackAttachment, PackIllustration
from ..yaml_source import LineMap
from .file_reader import _FileReader

ILLUSTRATION_KEYS = {"file", "files", "alt"}
ATTACHMENT_KEYS = {"file", "name"}
ILLUSTRATION_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif")


def _read_illustration(reader: _FileReader, raw: LineMap, cid: str) -> PackIllustration | None:
    if "illustration" not in raw:
        return None
    value = reader.mapping(
        raw["illustration"],
        raw.line_of("illustration"),
        cid,
        "illustration",
        "{file: media/…, alt: {fr: …, en: …}}",
    )
    if value is None:
        return None
    reader.keys(value, cid, "illustration", ILLUSTRATION_KEYS, ("file",))
    file = reader.media_file(value, cid, "illustration", ILLUSTRATION_SUFFIXES)
    if "alt" not in value:
        reader.problem(
            value.line,
            cid,
            "illustration.alt",
            "an illustration needs an alt text in each language",
        )
    alt = reader.texts(value, "alt", cid, "illustration.alt", required=False)
    files = _read_illustration_files(reader, value, cid)
    return PackIllustration(file, alt, files) if file else None


def _read_illustration_files(reader: _FileReader, value: LineMap, cid: str) -> dict[str, str]:
    """Optional versions of the picture per language (its texts translated); `file` serves the others."""
    if "files" not in value:
        return {}
    mapping = reader.mapping(
        value["files"], value.line_of("files"), cid, "illustration.files", "{fr: media/….fr.svg, en: media/….en.svg}"
    )
    if mapping is None:
        return {}
    files = {}
    for language, path in mapping.items():
        field = f"illustration.files.{language}"
        if language not in reader.languages:
            reader.problem(
                mapping.line_of(language),
                cid,
                field,
                f"unknown language '{language}'; the pack's languages are {', '.join(reader.languages)}",
            )
            continue
        checked = reader.media_path(path, mapping.line_of(language), cid, field, ILLUSTRATION_SUFFIXES)
        if checked:
            files[language] = checked
    return files


def _read_attachments(reader: _FileReader, raw: LineMap, cid: str) -> tuple[PackAttachment, ...]:
    attachments = []
    for item in reader.list_of_mappings(raw, "attachments", cid, "{file: media/…, name: {…}}"):
        reader.keys(item, cid, "attachments", ATTACHMENT_KEYS, ("file", "name"))
        file = reader.media_file(item, cid, "attachments")
        name = reader.texts(item, "name", cid, "attachments.name", required=False)
        if file:
            attachments.append(PackAttachment(file, name))
    return tuple(attachments)
