"""Reading an organization's list of learners from a CSV file, and comparing names.

Pure Python (no Django, no database): the file is read and checked whole, and every problem is
reported with its line, its column (as the file names it) and a reason code that the pages turn
into a sentence in the reader's language. Nothing here decides what is written: the import
service writes only a file without a single error.

The column names are those people already use — the reference platform's school (SIECLE) and
higher-education templates, in French — and their English equivalents; columns Balise does not
use (birth place, MEF code, status…) are ignored, so an export made for the reference platform
imports as it is.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

SCHOOL = "school"
HIGHER_EDUCATION = "higher_education"

MAX_BYTES = 10 * 1024 * 1024  # 10,000 lines weigh about 1 MB: ten times that is a mistake
MAX_LINES = 50_000
DELIMITERS = (";", ",", "\t")
IDENTIFIER = re.compile(r"^[A-Za-z0-9_-]+$")
EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
# Spreadsheets saved as .xlsx/.ods (zip) or .xls (OLE) rather than as CSV.
SPREADSHEET_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
OLDEST_BIRTH_YEAR = 1900


def _folded(text: str) -> str:
    """Lower case without accents: "Élève" and "eleve" are the same word."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def name_tokens(text: str) -> tuple[str, ...]:
    """The words of a name, compared without case or accents; hyphens, spaces, apostrophes and
    dots all separate words ("Jean-Pierre" = "jean pierre", "D'Artagnan" = "d artagnan")."""
    return tuple(word for word in re.split(r"[\W_]+", _folded(text)) if word)


def name_key(first_name: str, last_name: str) -> str:
    """The key a learner is found by: every word of both names, sorted. Equal keys mean the same
    words in any order and in either field (a compound name split differently, first and last
    names swapped); with the birth date also equal, that is the same person."""
    return " ".join(sorted(name_tokens(first_name) + name_tokens(last_name)))


def same_fields(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    """Stricter than the key: the first names have the same words, and so have the last names."""
    return sorted(name_tokens(first_a)) == sorted(name_tokens(first_b)) and sorted(name_tokens(last_a)) == sorted(
        name_tokens(last_b)
    )


def name_search_text(first_name: str, last_name: str) -> str:
    """What the list is searched in: the words of the names, and each name written without its
    separators ("N'Diaye" is found by "diaye" and by "ndiaye")."""
    words = list(name_tokens(last_name) + name_tokens(first_name))
    for name in (last_name, first_name):
        compact = "".join(name_tokens(name))
        if compact and compact not in words:
            words.append(compact)
    return " ".join(words)


def search_words(query: str) -> list[str]:
    return list(name_tokens(query))


@dataclass(frozen=True)
class Column:
    field: str
    required: bool
    names: tuple[str, ...]  # as users write them: French first, then English

    def matches(self, header: str) -> bool:
        return header_key(header) in {header_key(n) for n in self.names}


def header_key(header: str) -> str:
    """A header compared as a person reads it: no case, accents, stars, or "(jj/mm/aaaa)"."""
    text = re.sub(r"\(.*?\)", " ", header.replace("\ufeff", ""))
    return " ".join(t for t in re.split(r"[\W_]+", _folded(text)) if t)


_FIRST = Column("first_name", True, ("Premier prénom", "Prénom", "First name", "Given name", "first_name"))
_LAST = Column("last_name", True, ("Nom de famille", "Nom", "Last name", "Family name", "Surname", "last_name"))
_BIRTH = Column(
    "birth_date", True, ("Date de naissance", "Naissance", "Birth date", "Date of birth", "Birthdate", "birth_date")
)

COLUMNS = {
    SCHOOL: (
        Column(
            "identifier", True,
            ("Identifiant unique", "Identifiant national", "INE", "National id", "National identifier", "national_id"),
        ),
        _FIRST,
        _LAST,
        _BIRTH,
        Column("group", True, ("Division", "Classe", "Class", "class")),
    ),
    HIGHER_EDUCATION: (
        Column(
            "identifier", True,
            ("Numéro étudiant", "N° étudiant", "Student number", "Student id", "student_number"),
        ),
        _FIRST,
        _LAST,
        _BIRTH,
        Column("group", False, ("Groupe", "Group")),
        Column("email", False, ("Email", "E-mail", "Adresse e-mail", "Courriel", "Email address")),
        Column("diploma", False, ("Diplôme", "Diploma", "Degree")),
        Column("department", False, ("Composante", "Département", "Department")),
    ),
}
MAX_LENGTHS = {
    "identifier": 30, "first_name": 100, "last_name": 100, "group": 60, "email": 254, "diploma": 120,
    "department": 120,
}


class FileRefused(Exception):
    """The file as a whole cannot be read as a list: `code` says why, `details` with what."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code  # empty, too_large, spreadsheet, not_text, no_learners, missing_columns, duplicate_column, too_many_lines
        self.details = details


@dataclass(frozen=True)
class LineError:
    line: int
    column: str  # the header as the file writes it
    code: str  # required, too_long, date, date_range, identifier, email, duplicate, fields, encoding
    value: str = ""
    other_line: int | None = None  # for a duplicate: where the value first appears
    limit: int | None = None  # for too_long: the maximum


@dataclass(frozen=True)
class LearnerLine:
    line: int
    identifier: str
    first_name: str
    last_name: str
    birth_date: date
    group: str = ""
    email: str = ""
    diploma: str = ""
    department: str = ""


@dataclass
class LearnerFile:
    kind: str
    delimiter: str
    headers: list[str]
    learners: list[LearnerLine] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    lines_total: int = 0


def decode(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without the BOM spreadsheets write), else
    Windows-1252 (what French spreadsheets write when told "CSV" on Windows)."""
    if not data.strip():
        raise FileRefused("empty")
    if len(data) > MAX_BYTES:
        raise FileRefused("too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    if data.startswith(SPREADSHEET_SIGNATURES):
        raise FileRefused("spreadsheet")
    if b"\x00" in data[:4096]:
        raise FileRefused("not_text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_header(text: str, kind: str) -> tuple[str, list[str], dict[str, int]]:
    return read_header_of(text, COLUMNS[kind])


def read_header_of(text: str, columns: tuple[Column, ...]) -> tuple[str, list[str], dict[str, int]]:
    """The delimiter, the headers as written, and each field's column index; FileRefused names
    every required column missing (with the names accepted) or a column given twice."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    delimiter = _delimiter(first_line)
    headers = next(csv.reader([first_line], delimiter=delimiter), [])
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        for column in columns:
            if column.matches(header):
                if column.field in positions:
                    raise FileRefused(
                        "duplicate_column", column=header.strip(), other=headers[positions[column.field]].strip()
                    )
                positions[column.field] = index
    missing = [column for column in columns if column.required and column.field not in positions]
    if missing:
        raise FileRefused(
            "missing_columns",
            columns=[column.names[0] for column in missing],
            accepted={column.names[0]: list(column.names) for column in missing},
            found=[h.strip() for h in headers if h.strip()],
        )
    return delimiter, headers, positions


def date_read(value: str) -> date | None:
    """A date as spreadsheets write it (DD/MM/YYYY first), or None."""
    value = re.sub(r"[ T]00:00(:00)?$", "", value.strip())
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            parsed = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        # strptime reads "5/3/10" with %Y as the year 10: only four-digit years are dates here.
        if re.search(r"\d{4}", value):
            return parsed
    return None


def body_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The rows after the first line that hold a value, each with the line it starts on (csv
    gives a row's last physical line: a quoted field may span several lines)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    numbered: list[tuple[int, list[str]]] = []
    previous_end = 0
    for row in reader:
        numbered.append((previous_end + 1, row))
        previous_end = reader.line_num
    return [(line, row) for line, row in numbered[1:] if any(cell.strip() for cell in row)]


def looks_misencoded(value: str) -> bool:
    """UTF-8 read as Windows-1252 and saved again ("Ã©" for "é"): it reads back as UTF-8."""
    if value.isascii():
        return False
    try:
        return value.encode("cp1252").decode("utf-8") != value
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


def read_learners(
    data: bytes,
    kind: str,
    *,
    today: date,
    max_errors: int = 1000,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 1000,
) -> LearnerFile:
    """Every line of the file checked: the learners read, and every error (the first
    `max_errors` kept, all counted). `progress(lines_done, lines_total)` is called as it goes."""
    text = decode(data)
    delimiter, headers, positions = read_header(text, kind)
    body = body_rows(text, delimiter)
    if not body:
        raise FileRefused("no_learners")
    if len(body) > MAX_LINES:
        raise FileRefused("too_many_lines", limit=MAX_LINES)
    result = LearnerFile(kind=kind, delimiter=delimiter, headers=headers, lines_total=len(body))
    columns = {column.field: column for column in COLUMNS[kind]}
    seen: dict[str, int] = {}
    if progress:
        progress(0, len(body))

    def report(error: LineError) -> None:
        result.error_count += 1
        if len(result.errors) < max_errors:
            result.errors.append(error)

    for done, (line, row) in enumerate(body, start=1):
        if progress and done % progress_every == 0:
            progress(done, len(body))
        extra = [cell for cell in row[len(headers):] if cell.strip()]
        if extra:
            report(LineError(line, "", "fields", value=str(len(headers) + len(extra)), limit=len(headers)))
            continue
        values: dict[str, str] = {}
        ok = True
        for name, index in positions.items():
            header = headers[index].strip()
            value = " ".join(row[index].split()) if index < len(row) else ""
            if not value:
                if columns[name].required:
                    report(LineError(line, header, "required"))
                    ok = False
                values[name] = ""
                continue
            if len(value) > MAX_LENGTHS.get(name, 200):
                report(LineError(line, header, "too_long", value=value[:40], limit=MAX_LENGTHS[name]))
                ok = False
            elif name == "identifier" and not IDENTIFIER.match(value):
                report(LineError(line, header, "identifier", value=value[:40]))
                ok = False
            elif name == "email" and not EMAIL.match(value):
                report(LineError(line, header, "email", value=value[:40]))
                ok = False
            elif name in ("first_name", "last_name") and (looks_misencoded(value) or not name_tokens(value)):
                report(LineError(line, header, "encoding" if looks_misencoded(value) else "name", value=value[:40]))
                ok = False
            values[name] = value
        birth = None
        if values.get("birth_date"):
            header = headers[positions["birth_date"]].strip()
            birth = date_read(values["birth_date"])
            if birth is None:
                report(LineError(line, header, "date", value=values["birth_date"][:40]))
                ok = False
            elif not (date(OLDEST_BIRTH_YEAR, 1, 1) <= birth <= today):
                report(LineError(line, header, "date_range", value=values["birth_date"][:40]))
                ok = False
        identifier = values.get("identifier", "")
        if kind == SCHOOL:
            identifier = identifier.upper()  # an INE is the same in either case
        if identifier:
            if identifier in seen:
                report(
                    LineError(
                        line, headers[positions["identifier"]].strip(), "duplicate", value=identifier[:40],
                        other_line=seen[identifier],
                    )
                )
                ok = False
            else:
                seen[identifier] = line
        if ok and birth is not None:
            result.learners.append(
                LearnerLine(
                    line=line,
                    identifier=identifier,
                    first_name=values["first_name"],
                    last_name=values["last_name"],
                    birth_date=birth,
                    group=values.get("group", ""),
                    email=values.get("email", "").lower(),
                    diploma=values.get("diploma", ""),
                    department=values.get("department", ""),
                )
            )
    if progress:
        progress(len(body), len(body))
    return result
