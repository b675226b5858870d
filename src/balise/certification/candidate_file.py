"""Reading a centre's file of candidates: one CSV for one session or for many (each line names
its session by number, or by site, room, date and time: lines that share these make one new
session). Every line is checked and every error reported with its line and column; the caller
writes nothing while an error remains. No Django here: the file is text, the checks are rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from balise.organizations.learner_file import (
    EMAIL,
    OLDEST_BIRTH_YEAR,
    Column,
    FileRefused,
    LineError,
    body_rows,
    date_read,
    decode,
    looks_misencoded,
    name_key,
    name_tokens,
    read_header_of,
)

# 20 sessions of 30 candidates is an exam day of a large centre: a file ten times that is a mistake.
MAX_LINES = 5_000
MAX_SESSIONS = 200

COLUMNS = (
    Column("session", False, ("Numéro de session", "N° de session", "Session", "Session number", "session")),
    Column("site", False, ("Site", "Lieu", "site")),
    Column("room", False, ("Salle", "Room", "room")),
    Column("date", False, ("Date de la session", "Date de session", "Date de début", "Session date", "date")),
    Column("time", False, ("Heure de début", "Heure", "Start time", "Time", "time")),
    Column("examiner", False, ("Surveillant(s)", "Surveillants", "Surveillant", "Invigilators", "Invigilator",
                               "Examiner", "examiner")),
    Column("notes", False, ("Observations", "Notes", "notes")),
    Column("last_name", True, ("Nom de naissance", "Nom de famille", "Nom", "Birth name", "Last name", "last_name")),
    Column("first_name", True, ("Prénom", "First name", "Given name", "first_name")),
    Column("birth_date", True, ("Date de naissance", "Birth date", "Date of birth", "birth_date")),
    Column("sex", True, ("Sexe", "Sex", "sex")),
    Column("birth_place", True, ("Lieu de naissance", "Commune ou pays de naissance", "Birth place",
                                 "Place of birth", "birth_place")),
    Column("results_email", False, ("E-mail des résultats", "Email des résultats", "Adresse e-mail", "E-mail",
                                    "Results e-mail", "Email", "results_email")),
    Column("local_id", False, ("Identifiant local", "Identifiant", "Local id", "local_id")),
    Column("extra_time", False, ("Temps majoré (%)", "Temps majoré", "Extra time (%)", "Extra time", "extra_time")),
    Column("accessibility", False, ("Aménagement", "Besoin d'aménagement", "Accessibility adjustment",
                                    "Accessibility", "accessibility")),
)
SESSION_FIELDS = ("site", "room", "date", "time", "examiner", "notes")
MAX_LENGTHS = {
    "session": 12, "site": 120, "room": 60, "examiner": 200, "notes": 2000, "last_name": 100, "first_name": 100,
    "birth_place": 120, "results_email": 254, "local_id": 60,
}
SEXES = {"f": "F", "femme": "F", "female": "F", "feminin": "F", "féminin": "F", "m": "M", "h": "M", "homme": "M",
         "male": "M", "masculin": "M"}
YES = {"oui", "yes", "x", "1", "o", "y", "true", "vrai"}
NO = {"non", "no", "0", "n", "false", "faux", ""}


@dataclass(frozen=True)
class SessionKey:
    """A new session, as the lines that share it describe it."""

    site: str
    room: str
    date: date
    time: time
    examiner: str
    notes: str = ""


@dataclass(frozen=True)
class CandidateLine:
    line: int
    session_number: int | None  # an existing session of the centre
    new_session: SessionKey | None  # or a session the import creates
    last_name: str
    first_name: str
    birth_date: date
    sex: str
    birth_place: str
    results_email: str = ""
    local_id: str = ""
    extra_time_percent: int = 0
    accessibility_needed: bool = False

    @property
    def person(self) -> tuple[str, date]:
        return name_key(self.first_name, self.last_name), self.birth_date


@dataclass
class CandidateFile:
    headers: list[str]
    candidates: list[CandidateLine] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    lines_total: int = 0

    @property
    def new_sessions(self) -> list[SessionKey]:
        return list(dict.fromkeys(c.new_session for c in self.candidates if c.new_session))


def _session_time(value: str) -> time | None:
    value = value.strip().lower().replace("h", ":")
    if value.endswith(":"):
        value += "00"
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(value, pattern).time()
        except ValueError:
            continue
    return None


def _percent(value: str) -> int | None:
    value = value.strip().rstrip("%").strip().replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    if 0 < number < 1:  # a spreadsheet's percentage cell exports 1/3 as 0.33
        number *= 100
    return round(number) if 0 <= number <= 100 else None


def read_candidates(data: bytes, *, today: date) -> CandidateFile:
    """Every line checked; `errors` lists every problem (a line may have several)."""
    text = decode(data)
    delimiter, headers, positions = read_header_of(text, COLUMNS)
    if "session" not in positions and not all(name in positions for name in ("site", "room", "date", "time")):
        raise FileRefused(
            "missing_columns",
            columns=["Numéro de session"],
            accepted={"Numéro de session": ["Numéro de session", "Site + Salle + Date de la session + Heure de début"]},
            found=[h.strip() for h in headers if h.strip()],
        )
    body = body_rows(text, delimiter)
    if not body:
        raise FileRefused("no_candidates")
    if len(body) > MAX_LINES:
        raise FileRefused("too_many_candidates", limit=MAX_LINES)
    result = CandidateFile(headers=headers, lines_total=len(body))
    seen: dict[tuple, int] = {}

    def header(name: str) -> str:
        return headers[positions[name]].strip()

    for line, row in body:
        extra = [cell for cell in row[len(headers):] if cell.strip()]
        if extra:
            result.errors.append(LineError(line, "", "fields", value=str(len(headers) + len(extra)), limit=len(headers)))
            continue
        values = {name: (" ".join(row[index].split()) if index < len(row) else "") for name, index in positions.items()}
        values["notes"] = row[positions["notes"]].strip() if "notes" in positions and positions["notes"] < len(row) else ""
        errors: list[LineError] = []
        for name, value in values.items():
            if not value and any(c.field == name and c.required for c in COLUMNS):
                errors.append(LineError(line, header(name), "required"))
            elif len(value) > MAX_LENGTHS.get(name, 200):
                errors.append(LineError(line, header(name), "too_long", value=value[:40], limit=MAX_LENGTHS.get(name, 200)))
            elif name in ("first_name", "last_name") and value and (looks_misencoded(value) or not name_tokens(value)):
                errors.append(LineError(line, header(name), "encoding" if looks_misencoded(value) else "name", value=value[:40]))
        if errors:
            result.errors.extend(errors)
            continue
        birth = date_read(values["birth_date"])
        if birth is None:
            errors.append(LineError(line, header("birth_date"), "date", value=values["birth_date"][:40]))
        elif not (date(OLDEST_BIRTH_YEAR, 1, 1) <= birth <= today):
            errors.append(LineError(line, header("birth_date"), "date_range", value=values["birth_date"][:40]))
        sex = SEXES.get(values["sex"].lower())
        if sex is None:
            errors.append(LineError(line, header("sex"), "sex", value=values["sex"][:40]))
        email = values.get("results_email", "")
        if email and not EMAIL.match(email):
            errors.append(LineError(line, header("results_email"), "email", value=email[:40]))
        extra_time = _percent(values["extra_time"]) if values.get("extra_time") else 0
        if extra_time is None:
            errors.append(LineError(line, header("extra_time"), "percent", value=values["extra_time"][:40]))
        accessibility = values.get("accessibility", "").lower()
        if accessibility not in YES | NO:
            errors.append(LineError(line, header("accessibility"), "yes_no", value=values["accessibility"][:40]))
        number, new_session = None, None
        if values.get("session"):
            if not values["session"].isdigit():
                errors.append(LineError(line, header("session"), "session_number", value=values["session"][:40]))
            else:
                number = int(values["session"])
        else:
            missing = [name for name in ("site", "room", "date", "time") if not values.get(name)]
            for name in missing:
                if name in positions:
                    errors.append(LineError(line, header(name), "session_required"))
                else:
                    errors.append(LineError(line, "", "session_required"))
            if not missing:
                session_date, start = date_read(values["date"]), _session_time(values["time"])
                if session_date is None:
                    errors.append(LineError(line, header("date"), "date", value=values["date"][:40]))
                elif session_date < today:
                    errors.append(LineError(line, header("date"), "session_past", value=values["date"][:40]))
                if start is None:
                    errors.append(LineError(line, header("time"), "time", value=values["time"][:40]))
                if session_date and start and session_date >= today:
                    new_session = SessionKey(values["site"], values["room"], session_date, start,
                                             values.get("examiner", ""), values.get("notes", ""))
        if errors:
            result.errors.extend(errors)
            continue
        candidate = CandidateLine(
            line=line, session_number=number, new_session=new_session, last_name=values["last_name"],
            first_name=values["first_name"], birth_date=birth, sex=sex, birth_place=values["birth_place"],
            results_email=email.lower(), local_id=values.get("local_id", ""), extra_time_percent=extra_time,
            accessibility_needed=accessibility in YES - {""},
        )
        where = (number, new_session, *candidate.person)
        if where in seen:
            result.errors.append(LineError(line, header("last_name"), "duplicate_candidate",
                                           value=f"{candidate.last_name} {candidate.first_name}"[:40],
                                           other_line=seen[where]))
            continue
        seen[where] = line
        result.candidates.append(candidate)
    if len(result.new_sessions) > MAX_SESSIONS:
        raise FileRefused("too_many_sessions", limit=MAX_SESSIONS)
    return result
