"""Every write of the certification app: sessions, candidates, imports. Each function either
does all it says or nothing (one transaction), and refuses with a readable error."""

from __future__ import annotations

import secrets
from datetime import date

from django.db import IntegrityError, transaction

from balise.certification import candidate_file
from balise.certification.errors import (
    CandidateAlreadyEnrolled,
    CandidateEntered,
    CentreClosed,
    SessionClosed,
    SessionStarted,
)
from balise.certification.models import Candidate, Centre, Session
from balise.organizations.learner_file import FileRefused, LineError, name_key
from balise.organizations.models import OrganizationLearner

# Without the characters people confuse when they copy a code: I, L, O and 0, 1 (as campaign codes).
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_DIGITS = "23456789"
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_ATTEMPTS = 20
SESSION_FIELDS = ("site", "room", "date", "time", "examiner", "notes")


def access_code_new() -> str:
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(4)) + "".join(secrets.choice(CODE_DIGITS) for _ in range(2))


def invigilator_password_new() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(6))


def session_create(centre: Centre, *, by, site: str, room: str, date, time, examiner: str, notes: str = "") -> Session:
    """A new session with an access code no other session has (23⁴·8² ≈ 18 million codes: a
    collision is rare, retried, and the unique index is the judge)."""
    if centre.closed_at is not None:
        raise CentreClosed()
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Session.objects.create(
                    centre=centre, site=site, room=room, date=date, time=time, examiner=examiner, notes=notes,
                    access_code=access_code_new(), invigilator_password=invigilator_password_new(), created_by=by,
                )
        except IntegrityError:
            continue
    raise RuntimeError(f"no free access code after {CODE_ATTEMPTS} attempts")


def _changeable(session: Session) -> None:
    if not session.is_open:
        raise SessionClosed()
    if session.candidates.filter(entered_at__isnull=False).exists():
        raise SessionStarted()


@transaction.atomic
def session_update(session: Session, **fields) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    _changeable(session)
    for name, value in fields.items():
        if name not in SESSION_FIELDS:
            raise TypeError(name)
        setattr(session, name, value)
    session.save(update_fields=list(fields))
    return session


@transaction.atomic
def session_delete(session: Session) -> None:
    session = Session.objects.select_for_update().get(pk=session.pk)
    _changeable(session)
    session.delete()


@transaction.atomic
def candidate_add(session: Session, *, organization_learner: OrganizationLearner | None = None, **fields) -> Candidate:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not session.is_open:
        raise SessionClosed()
    key = name_key(fields["first_name"], fields["last_name"])
    if Candidate.objects.filter(session=session, name_key=key, birth_date=fields["birth_date"]).exists():
        raise CandidateAlreadyEnrolled()
    return Candidate.objects.create(session=session, name_key=key, organization_learner=organization_learner, **fields)


@transaction.atomic
def candidate_remove(candidate: Candidate) -> None:
    candidate = Candidate.objects.select_for_update().select_related("session").get(pk=candidate.pk)
    if not candidate.session.is_open:
        raise SessionClosed()
    if candidate.entered_at is not None:
        raise CandidateEntered()
    candidate.delete()


def candidates_from_list(session: Session, learners: list[OrganizationLearner], *, sex: dict[int, str],
                         birth_place: dict[int, str]) -> list[Candidate]:
    """A school or a university enrols learners of its own list: names and birth date come from
    the list (the same the learner is reconciled with); what the list does not hold is given."""
    added = []
    with transaction.atomic():
        for learner in learners:
            added.append(candidate_add(
                session, organization_learner=learner, first_name=learner.first_name, last_name=learner.last_name,
                birth_date=learner.birth_date, sex=sex[learner.pk], birth_place=birth_place[learner.pk],
                results_email=learner.email, local_id=learner.identifier,
            ))
    return added


def candidates_import(centre: Centre, data: bytes, *, by, today: date) -> tuple[list[Session], int, list[LineError]]:
    """One file for one session or many: every line checked first; if any error remains, nothing
    is written and every error is returned; else the new sessions are created and every candidate
    enrolled, in one transaction. Returns (sessions touched, candidates enrolled, errors)."""
    read = candidate_file.read_candidates(data, today=today)
    errors = list(read.errors)
    numbers = {c.session_number for c in read.candidates if c.session_number is not None}
    existing = {s.pk: s for s in Session.objects.filter(centre=centre, pk__in=numbers)}
    enrolled = set(
        Candidate.objects.filter(session__in=existing.values()).values_list("session_id", "name_key", "birth_date")
    )
    for candidate in read.candidates:
        if candidate.session_number is None:
            continue
        session = existing.get(candidate.session_number)
        if session is None:
            errors.append(LineError(candidate.line, "", "session_unknown", value=str(candidate.session_number)))
        elif not session.is_open:
            errors.append(LineError(candidate.line, "", "session_finalised", value=str(candidate.session_number)))
        elif (session.pk, *candidate.person) in enrolled:
            errors.append(LineError(candidate.line, "", "already_enrolled",
                                    value=f"{candidate.last_name} {candidate.first_name}"[:40]))
    if errors:
        return [], 0, sorted(errors, key=lambda e: e.line)
    if centre.closed_at is not None and read.new_sessions:
        raise CentreClosed()
    with transaction.atomic():
        created = {key: session_create(centre, by=by, **{name: getattr(key, name) for name in SESSION_FIELDS})
                   for key in read.new_sessions}
        locked = {s.pk: s for s in Session.objects.select_for_update().filter(pk__in=existing)}
        if any(not s.is_open for s in locked.values()):
            raise SessionClosed()  # finalised between the check and the lock: nothing written
        Candidate.objects.bulk_create([
            Candidate(
                session=created[c.new_session] if c.new_session else locked[c.session_number],
                name_key=c.person[0], first_name=c.first_name, last_name=c.last_name, birth_date=c.birth_date,
                sex=c.sex, birth_place=c.birth_place, results_email=c.results_email, local_id=c.local_id,
                extra_time_percent=c.extra_time_percent, accessibility_needed=c.accessibility_needed,
            )
            for c in read.candidates
        ])
    return [*created.values(), *locked.values()], len(read.candidates), []


__all__ = ["FileRefused", "candidate_add", "candidate_remove", "candidates_from_list", "candidates_import",
           "session_create", "session_delete", "session_update"]
