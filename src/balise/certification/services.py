"""Every write of the certification app: sessions, candidates, imports. Each function either
does all it says or nothing (one transaction), and refuses with a readable error."""

from __future__ import annotations

import hmac
import secrets
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction

from balise.accounts import throttle
from balise.accounts.time_allowance import TimeAllowance
from balise.certification import candidate_file
from balise.certification.errors import (
    CandidateAlreadyEnrolled,
    CandidateEntered,
    CentreClosed,
    CertificationPaused,
    EntryRefused,
    ExamInProgress,
    InvigilationRefused,
    InvigilationTooMany,
    PublicationRefused,
    SessionClosed,
    SessionStarted,
)
from balise.certification.models import Alert, Candidate, Centre, Incident, JuryDecision, Session
from balise.certification.policy import scored
from balise.codes import DIGITS, LETTERS, random_code, typed_code
from balise.content.selectors import current_content_version
from balise.engine.scoring import MIN_CERTIFIABLE_COMPETENCES
from balise.evaluation.models import Assessment
from balise.evaluation.pages import profile_chart_rows
from balise.evaluation.services.answering import advance
from balise.i18n.translation import content_language
from balise.organizations.learner_file import FileRefused, LineError, name_key
from balise.organizations.models import OrganizationLearner

CODE_ATTEMPTS = 20
SESSION_FIELDS = ("site", "room", "date", "time", "examiner", "notes")


def access_code_new() -> str:
    return random_code(4, 2)


def invigilator_password_new() -> str:
    return random_code(6, alphabet=(LETTERS + DIGITS).lower())


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
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("session").get(pk=candidate.pk)
    if not candidate.session.is_open:
        raise SessionClosed()
    if candidate.entered_at is not None:
        raise CandidateEntered()
    candidate.delete()


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


__all__ = ["FileRefused", "candidate_add", "candidate_remove", "candidates_import",
           "session_create", "session_delete", "session_update"]


# Entering a session, the invigilator's actions.

ENTRY_ATTEMPTS = 10  # per account and quarter of an hour: enough for typing mistakes, not for probing codes
INVIGILATION_ATTEMPTS = 10  # per session number and quarter of an hour
QUARTER = 15 * 60


def eligibility_count(user) -> int:
    """The person's competences at level 1 or more (a certification needs 5)."""
    return sum(1 for row in profile_chart_rows(user) if row.level >= 1)


def candidate_enter(user, *, space, session_number: str, access_code: str, first_name: str, last_name: str,
                    birth_date: date, now) -> Candidate:
    """The logged-in person enters a session: the number and the access code open it (in this
    space only), their names and birth date find their enrolment. Entering again — another
    device, a lost connection — is allowed and waits for the invigilator to let them resume."""
    # Counted before the transaction: a refusal rolls it back, and must still count.
    if not throttle.attempt_allowed("certification-entry:user", str(user.pk), limit=ENTRY_ATTEMPTS,
                                    window_seconds=QUARTER):
        raise EntryRefused("too_many")
    with transaction.atomic():
        return _candidate_seat(user, space=space, session_number=session_number, access_code=access_code,
                               first_name=first_name, last_name=last_name, birth_date=birth_date, now=now)


def _candidate_seat(user, *, space, session_number, access_code, first_name, last_name, birth_date, now) -> Candidate:
    code = typed_code(access_code)
    number = str(session_number).strip()
    session = (
        Session.objects.select_for_update(of=("self",)).filter(pk=int(number), access_code=code, centre__organization__space=space)
        .first() if number.isdigit() and len(number) < 12 else None
    )
    if session is None:
        raise EntryRefused("wrong_code")
    if not session.is_open:
        raise EntryRefused("session_finalised")
    key = name_key(first_name, last_name)
    candidate = Candidate.objects.filter(session=session, name_key=key, birth_date=birth_date).first()
    if candidate is None:
        raise EntryRefused("no_match")
    if candidate.user_id not in (None, user.pk):
        raise EntryRefused("seat_taken")
    if candidate.ended_at:
        raise EntryRefused("ended")
    if candidate.user_id is None:
        count = eligibility_count(user)
        if count < MIN_CERTIFIABLE_COMPETENCES:
            raise EntryRefused("not_eligible", count=count)
        if Candidate.objects.filter(session=session, user=user).exists():
            raise EntryRefused("seat_taken")
        candidate.user, candidate.entered_at = user, now
    elif candidate.authorised_at:
        candidate.authorised_at = None  # entering again: the invigilator lets them resume
        candidate.resumes += 1
    candidate.save(update_fields=["user", "entered_at", "authorised_at", "resumes"])
    return candidate


def instructions_accept(candidate: Candidate, *, now) -> Candidate:
    if candidate.instructions_accepted_at is None:
        Candidate.objects.filter(pk=candidate.pk, instructions_accepted_at=None).update(instructions_accepted_at=now)
        candidate.instructions_accepted_at = now
    return candidate


def invigilation_open(*, space, session_number: str, password: str) -> Session:
    """The invigilator's way in: the session number and its password (no account needed), for a
    session not finalised yet, of a centre of this space."""
    number = str(session_number).strip()
    if not (number.isdigit() and len(number) < 12):
        raise InvigilationRefused()
    if not throttle.attempt_allowed("invigilation:session", number, limit=INVIGILATION_ATTEMPTS, window_seconds=QUARTER):
        raise InvigilationTooMany()
    session = Session.objects.filter(pk=int(number), centre__organization__space=space,
                                     status=Session.Status.CREATED).select_related("centre__organization").first()
    typed = str(password).strip().lower().encode()
    if session is None or not hmac.compare_digest(typed, session.invigilator_password.encode()):
        raise InvigilationRefused()
    return session


def candidate_authorise(candidate: Candidate, *, now) -> bool:
    """Let a waiting candidate start (or resume). False if they are not waiting any more."""
    return bool(Candidate.objects.filter(
        pk=candidate.pk, entered_at__isnull=False, instructions_accepted_at__isnull=False, authorised_at=None,
        ended_at=None,
    ).update(authorised_at=now))


@transaction.atomic
def candidate_end(candidate: Candidate, *, now) -> bool:
    """The invigilator ends a candidate's test (they left, or the time is over): a test in
    progress is finished and scored from the answers it has (the engine's rule for a test cut
    short: the questions it would have asked next count as failed)."""
    ended = Candidate.objects.filter(pk=candidate.pk, entered_at__isnull=False, ended_at=None).update(
        ended_at=now, ended_by_invigilator=True, authorised_at=None)
    assessment = Assessment.objects.select_for_update(of=("self",)).filter(certification_candidate__pk=candidate.pk).first()
    if ended and assessment is not None and assessment.state == Assessment.State.STARTED:
        advance(assessment, now)  # the policy sees the end: nothing more to ask, the result is written
        assessment.save()
    return bool(ended)


@transaction.atomic
def certification_start(candidate: Candidate, *, language: str, now) -> Assessment:
    """The candidate's certification test, created the first time they are let in, resumed after:
    the space's content over every competence, in their language; a third more time on each timed
    question for a candidate with extra time (the session's total gets the exact percentage);
    never untimed, whatever the learner's own setting: the stakes are not a positioning test's."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("session__centre__organization").get(pk=candidate.pk)
    if not candidate.authorised_at or candidate.ended_at:
        raise CertificationPaused()
    if candidate.assessment_id:
        return candidate.assessment
    assessment = Assessment(
        user=candidate.user, purpose=Assessment.Purpose.CERTIFICATION, competence=None,
        strategy=settings.BALISE_POSITIONING_STRATEGY, language=content_language(language),
        space_id=candidate.session.centre.organization.space_id, seed=secrets.randbits(48),
        content_version=current_content_version(),
        time_allowance=TimeAllowance.EXTRA_THIRD if candidate.extra_time_percent else TimeAllowance.STANDARD,
        scope={"candidate": candidate.pk, "session": candidate.session_id},
    )
    assessment.save()
    candidate.assessment = assessment
    candidate.save(update_fields=["assessment"])
    advance(assessment, now)
    assessment.save()
    return assessment


# Finalisation by the centre, then the jury.


def unfinished(candidate: Candidate) -> bool:
    """A test ended before its last question: the centre says why at finalisation."""
    return bool(candidate.ended_by_invigilator and candidate.result and candidate.result.get("answered", 0) < 32)


@transaction.atomic
def session_finalise(session: Session, *, by, comment: str, reasons: dict[int, str], now) -> Session:
    """The centre confirms the session is over: no test in progress, a reason for each test
    ended early and a comment for the jury (the incidents are recorded as they happen). A
    candidate who entered and never started is ended (absent from the test)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not session.is_open:
        raise SessionClosed()
    candidates = list(session.candidates.select_related("assessment"))
    if any(c.assessment and c.assessment.state == Assessment.State.STARTED and not c.ended_at for c in candidates):
        raise ExamInProgress()
    for candidate in candidates:
        fields = []
        if candidate.entered_at and not candidate.ended_at:
            candidate.ended_at, candidate.authorised_at = now, None
            fields += ["ended_at", "authorised_at"]
        if unfinished(candidate):
            candidate.abort_reason = reasons.get(candidate.pk, "")
            fields.append("abort_reason")
        if fields:
            candidate.save(update_fields=fields)
    session.status, session.finalised_at, session.finalised_by = Session.Status.FINALISED, now, by
    session.examiner_comment = comment
    session.save(update_fields=["status", "finalised_at", "finalised_by", "examiner_comment"])
    return session


def incident_record(session: Session, *, candidate: Candidate | None, category: str, description: str,
                    recorded_by: str) -> Incident:
    if not session.is_open:
        raise SessionClosed()
    return Incident.objects.create(session=session, candidate=candidate, category=category, description=description,
                                   recorded_by=recorded_by)


def _decide(session, candidate, action, *, by, reason="", challenge_id=""):
    JuryDecision.objects.create(session=session, candidate=candidate, action=action, by=by, reason=reason,
                                challenge_id=challenge_id)


def certification_rescore(candidate: Candidate) -> dict:
    candidate.result = scored(candidate.assessment, candidate.neutralised)
    return candidate.result


@transaction.atomic
def jury_take(session: Session, *, by) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.FINALISED:
        raise SessionClosed()
    session.status, session.reviewer = Session.Status.IN_REVIEW, by
    session.save(update_fields=["status", "reviewer"])
    _decide(session, None, JuryDecision.Action.REVIEW, by=by)
    return session


@transaction.atomic
def jury_neutralise(candidate: Candidate, challenge_id: str, *, by, reason: str, restore: bool = False) -> Candidate | None:
    """Take a challenge the candidate was asked out of the certification (or restore it) and
    rescore; None, and nothing changed, for a challenge the test never asked (or no test)."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("assessment", "session").get(pk=candidate.pk)
    if candidate.session.status == Session.Status.PUBLISHED:
        raise SessionClosed()
    if not candidate.assessment_id or challenge_id not in {entry[0] for entry in candidate.assessment.answer_log}:
        return None
    kept = [c for c in candidate.neutralised if c != challenge_id]
    candidate.neutralised = kept if restore else [*kept, challenge_id]
    certification_rescore(candidate)
    candidate.save(update_fields=["neutralised", "result"])
    _decide(candidate.session, candidate, JuryDecision.Action.RESTORE if restore else JuryDecision.Action.NEUTRALISE,
            by=by, reason=reason, challenge_id=challenge_id)
    return candidate


@transaction.atomic
def jury_decide(candidate: Candidate, decision: str, *, by, reason: str) -> Candidate:
    """Cancel or reject a certification (with a reason), or reinstate it (decision "")."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("session").get(pk=candidate.pk)
    if candidate.session.status == Session.Status.PUBLISHED and decision == Candidate.Decision.REJECTED:
        raise SessionClosed()  # once published, a certificate is cancelled (revoked) or reinstated, not rejected
    candidate.decision, candidate.decision_reason = decision, reason
    candidate.save(update_fields=["decision", "decision_reason"])
    action = {Candidate.Decision.CANCELLED: JuryDecision.Action.CANCEL, Candidate.Decision.REJECTED: JuryDecision.Action.REJECT}
    _decide(candidate.session, candidate, action.get(decision, JuryDecision.Action.REINSTATE), by=by, reason=reason)
    return candidate


def verification_code_new() -> str:
    return "B-" + random_code(8, alphabet=LETTERS + DIGITS)


@transaction.atomic
def session_publish(session: Session, *, by, now) -> Session:
    """The results reach the candidates: each certification with a result gets its verification
    code. Refused while a candidate who sat the test has no result."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status not in (Session.Status.FINALISED, Session.Status.IN_REVIEW):
        raise SessionClosed()
    sat = list(session.candidates.filter(assessment__isnull=False))
    if any(c.result is None for c in sat):
        raise PublicationRefused()
    for candidate in sat:
        if candidate.verification_code is None:
            for _attempt in range(CODE_ATTEMPTS):
                code = verification_code_new()
                if not Candidate.objects.filter(verification_code=code).exists():
                    break
            candidate.verification_code = code
            candidate.save(update_fields=["verification_code"])
    session.status, session.published_at = Session.Status.PUBLISHED, now
    session.save(update_fields=["status", "published_at"])
    _decide(session, None, JuryDecision.Action.PUBLISH, by=by)
    return session


@transaction.atomic
def session_unpublish(session: Session, *, by, reason: str) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.PUBLISHED:
        raise SessionClosed()
    session.status, session.published_at = Session.Status.IN_REVIEW, None
    session.save(update_fields=["status", "published_at"])
    _decide(session, None, JuryDecision.Action.UNPUBLISH, by=by, reason=reason)
    return session


# A candidate's alert about the current question.


def alert_report(candidate: Candidate, *, reason: str) -> Alert | None:
    """The candidate says the current question does not work: one alert per question."""
    assessment = candidate.assessment
    if not assessment or assessment.state != Assessment.State.STARTED or not assessment.current_challenge_id:
        return None
    alert, _created = Alert.objects.get_or_create(candidate=candidate, challenge_id=assessment.current_challenge_id,
                                                  defaults={"reason": reason})
    return alert


@transaction.atomic
def alert_handle(alert: Alert, *, validate: bool, now) -> bool:
    """The invigilator validates (the question is taken out: replaced if still current, not
    counted if answered meanwhile) or dismisses an alert. False if it was handled already."""
    if not Alert.objects.filter(pk=alert.pk, status=Alert.Status.PENDING).update(
            status=Alert.Status.VALIDATED if validate else Alert.Status.DISMISSED, handled_at=now):
        return False
    if validate:
        candidate = Candidate.objects.select_for_update().get(pk=alert.candidate_id)
        candidate.neutralised = [*candidate.neutralised, alert.challenge_id]
        if candidate.result:
            certification_rescore(candidate)
        candidate.save(update_fields=["neutralised", "result"])
        assessment = Assessment.objects.select_for_update().filter(pk=candidate.assessment_id).first()
        if assessment and assessment.state == Assessment.State.STARTED and assessment.current_challenge_id == alert.challenge_id:
            advance(assessment, now)  # the engine chooses another question
            assessment.save()
    return True


@transaction.atomic
def candidates_from_list(session: Session, choices: list[dict]) -> list[Candidate]:
    """A school or a university enrols learners of its own list: names and birth date come from
    the list (those the learner is reconciled with), the identifier becomes the local id; sex and
    birth place, which the list does not hold, are given. `choices`: [{learner, sex, birth_place}].
    All or nothing: one learner already enrolled refuses the whole choice."""
    return [
        candidate_add(session, organization_learner=choice["learner"], first_name=choice["learner"].first_name,
                      last_name=choice["learner"].last_name, birth_date=choice["learner"].birth_date,
                      sex=choice["sex"], birth_place=choice["birth_place"], results_email=choice["learner"].email,
                      local_id=choice["learner"].identifier)
        for choice in choices
    ]
