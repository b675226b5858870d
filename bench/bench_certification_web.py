"""The certification in the web, on the starter pack's content, in one run:

    .venv/bin/python bench/bench_certification_web.py [--learners 1000] [--steps 320] [--seed 0]

- the simulation on the starter pack's bank (the space's challenges in French, the engine's default
  difficulty per level until calibrated): RMSE of θ, max exposure, share of the bank used, as our
  default against the reference's rules (ALGORITHMS.md §3);
- a step in the web (the policy's choice of the next question from the stored answers, with the
  candidate read and the exposure rates, then the result scored): median and p95 milliseconds;
- the PDF certificate: the first render of the process and the next ones (median), in seconds.

A fresh SQLite database in a temporary directory (migrate, spaces, starter pack). The last line is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=320, help="web steps timed (32 per simulated candidate)")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ.update({"DJANGO_SETTINGS_MODULE": "balise.site.settings", "BALISE_DEV": "1",
                           "BALISE_DATA_DIR": data_dir})
        os.environ.pop("DATABASE_URL", None)
        return run(arguments)


def run(arguments) -> int:
    import django

    django.setup()
    import numpy as np
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("space_import", verbosity=0)
    call_command("content_import", verbosity=0)

    from balise.accounts.services import user_create
    from balise.certification import services
    from balise.certification.models import Candidate, Centre
    from balise.certification.policy import CertificationPolicy, certification_bank, scored
    from balise.content.selectors import current_content_version
    from balise.engine.certification import DEFAULT_EXPOSURE, REFERENCE_EXPOSURE
    from balise.engine.irt import POPULATION_PRIOR, REFERENCE_PRIOR
    from balise.engine.simulate_certification import simulate_certification
    from balise.evaluation.models import Assessment, CompetenceScore
    from balise.organizations.models import Membership, Organization
    from balise.spaces.models import Space

    space = Space.objects.get(is_default=True)
    bank = certification_bank(current_content_version(), space.pk, "fr")
    rng = np.random.default_rng(arguments.seed)
    thetas = rng.normal(0.0, 1.0, arguments.learners)
    print(f"Starter pack bank: {len(bank)} challenges over {len(bank.competence_ids)} competences (French, default space)")
    print(f"{'':24} {'RMSE':>6} {'bias':>6} {'max exp.':>9} {'bank used':>10} {'mean length':>12}")
    simulations = {}
    for name, prior, exposure in (("ours (default)", POPULATION_PRIOR, DEFAULT_EXPOSURE),
                                  ("reference rules", REFERENCE_PRIOR, REFERENCE_EXPOSURE)):
        result = simulate_certification(bank, thetas, np.random.default_rng(arguments.seed + 1), prior=prior,
                                        exposure=exposure)
        simulations[name] = result
        print(f"{name:24} {result.rmse:6.3f} {result.bias:6.3f} {result.max_exposure:9.3f} "
              f"{result.bank_used_share:10.3f} {result.mean_length:12.1f}")

    # A step in the web: real rows, the policy as the answer request calls it.
    staff = user_create(email="centre@bench.example", full_name="Centre Bench", password="a-long-enough-passphrase-42")
    organization = Organization.objects.create(name="Bench school", type="school", space=space)
    Membership.objects.create(organization=organization, user=staff, role="admin")
    centre = Centre.objects.create(organization=organization)
    policy = CertificationPolicy()
    step_ms: list[float] = []
    candidates = max(1, arguments.steps // 32)
    for index in range(candidates):
        user = user_create(email=f"c{index}@bench.example", full_name=f"Camille Bench{index}", password="a-long-enough-passphrase-42")
        for competence in ("1.1", "1.2", "2.1", "2.4", "3.1"):
            CompetenceScore.objects.create(user=user, competence_id=competence, pix=9, level=1, completed_at=timezone.now())
        session = services.session_create(centre, by=staff, site="A", room=str(index), date=timezone.localdate(),
                                          time=timezone.now().time(), examiner="M. Bench")
        services.candidate_add(session, last_name=f"Bench{index}", first_name="Camille", birth_date=timezone.localdate().replace(year=2005),
                               sex="F", birth_place="Namur")
        candidate = services.candidate_enter(user, space=space, now=timezone.now(), session_number=str(session.pk),
                                             access_code=session.access_code, first_name="Camille",
                                             last_name=f"Bench{index}", birth_date=timezone.localdate().replace(year=2005))
        services.instructions_accept(candidate, now=timezone.now())
        services.candidate_authorise(candidate, now=timezone.now())
        assessment = services.certification_start(candidate, language="fr", now=timezone.now())
        true_theta = float(thetas[index % len(thetas)])
        answer_rng = np.random.default_rng(arguments.seed + index)
        challenge_id = assessment.current_challenge_id
        for _ in range(31):
            challenge = bank.challenges[bank.index_by_id[challenge_id]]
            correct = answer_rng.random() < 1.0 / (1.0 + np.exp(challenge.a * (challenge.b - true_theta)))
            assessment.answer_log = [*assessment.answer_log, [challenge_id, challenge.skill_id, "ok" if correct else "ko"]]
            assessment.__dict__.pop("_certification_candidate", None)  # each answer is a request: read afresh
            started = time.perf_counter()
            step = policy.next_step(assessment)
            result = scored(assessment)
            step_ms.append((time.perf_counter() - started) * 1000)
            if step.challenge_id is None:
                break
            challenge_id = step.challenge_id
        Assessment.objects.filter(pk=assessment.pk).update(answer_log=assessment.answer_log, state=Assessment.State.COMPLETED,
                                                           completed_at=timezone.now(), current_challenge=None)
        Candidate.objects.filter(pk=candidate.pk).update(result=result, ended_at=timezone.now(), authorised_at=None)
    step_ms.sort()
    step_median = statistics.median(step_ms)
    step_p95 = step_ms[int(0.95 * (len(step_ms) - 1))]
    print(f"Web step (choose + score), {len(step_ms)} steps: median {step_median:.2f} ms, p95 {step_p95:.2f} ms")

    # The PDF certificate of a published certification.
    session = Candidate.objects.first().session
    services.session_finalise(session, by=staff, comment="", reasons={}, now=timezone.now())
    services.session_publish(session, by=staff, now=timezone.now())
    code = Candidate.objects.filter(session=session).values_list("verification_code", flat=True).first()
    client = Client()
    times = []
    for _ in range(6):
        started = time.perf_counter()
        response = client.get(f"/verify/{code}/certificate.pdf")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.content.startswith(b"%PDF-"), response.status_code
    pdf_first, pdf_next = times[0], statistics.median(times[1:])
    print(f"PDF certificate: first render {pdf_first:.2f} s, then median {pdf_next:.2f} s ({len(response.content):,} bytes)")
    ours = simulations["ours (default)"]
    reference = simulations["reference rules"]
    print(json.dumps({
        "bank_size": len(bank), "learners": arguments.learners,
        "rmse": round(ours.rmse, 4), "max_exposure": round(ours.max_exposure, 4),
        "bank_used": round(ours.bank_used_share, 4),
        "reference_rmse": round(reference.rmse, 4), "reference_max_exposure": round(reference.max_exposure, 4),
        "reference_bank_used": round(reference.bank_used_share, 4),
        "web_step_median_ms": round(step_median, 3), "web_step_p95_ms": round(step_p95, 3),
        "pdf_first_s": round(pdf_first, 3), "pdf_next_s": round(pdf_next, 3),
    }))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
