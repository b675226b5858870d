"""A campaign's CSV export at scale: first byte, whole file, peak memory, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_campaign_export.py --participants 100000 [--database sqlite|postgresql|both]

For each database, a fresh one is built in a process of its own: the starter pack, a school with
an administrator, a target profile of 30 tubes (with stages and badges), an assessment campaign
and N participants (users and participations; 80 % sent, with their stored results, the others in
progress). Then another process, which has built nothing, downloads the export through Django's
whole HTTP stack (the administrator's session, middleware, view) and reads the stream chunk by
chunk: the time to the first byte, the whole file, its rows, and the process's peak memory
(maximum resident set size, Django loaded included). The last line is one JSON object.
It also times the campaign's dashboard and participants pages (median of 7).
Targets (issue 9): first byte under 2 s, whole file under 30 s, peak under 200 MB; pages under 200 ms.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUBES = 30


def build(participants: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from balise.accounts.models import User
    from balise.campaigns.models import (
        Badge,
        BadgeCriterion,
        Campaign,
        CampaignTotals,
        Participation,
        Stage,
        TargetProfile,
        TargetProfileTube,
    )
    from balise.campaigns.services import campaign_create
    from balise.content.models import Skill, Tube
    from balise.content.services import content_pack_import
    from balise.organizations.models import Membership, Organization, Role
    from balise.spaces.selectors import space_default

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    content_pack_import(ROOT / "content")
    admin = User.objects.create_user(email="admin@bench.example", full_name="Bench Admin", password="bench-password-42")
    school = Organization.objects.create(name="Lycée du banc d'essai", type=Organization.Type.SCHOOL, space=space_default())
    Membership.objects.create(organization=school, user=admin, role=Role.ADMIN)
    tubes = list(Tube.objects.filter(space=None).order_by("competence_id", "id")[:TUBES])
    profile = TargetProfile.objects.create(name="Banc d'essai — 30 sujets")
    caps = {tube.id: 5 for tube in tubes}
    TargetProfileTube.objects.bulk_create(TargetProfileTube(target_profile=profile, tube=t, level_cap=5) for t in tubes)
    stages = [Stage.objects.create(target_profile=profile, threshold=t, title=f"Palier {t}") for t in (0, 25, 50, 75)]
    for index, chunk in enumerate([tubes[:10], tubes[10:20], tubes[20:]]):
        badge = Badge.objects.create(target_profile=profile, key=f"badge-{index}", title=f"Badge {index}")
        BadgeCriterion.objects.create(badge=badge, threshold=60).tubes.set(chunk)
    campaign = campaign_create(school, by=admin, owner=admin, type=Campaign.Type.ASSESSMENT, target_profile=profile,
                               name="Rentrée — banc d'essai", external_id_label="matricule")
    skills_per_tube: dict[str, int] = {}
    for tube_id, level in Skill.objects.filter(tube_id__in=caps).values_list("tube_id", "level"):
        if level <= caps[tube_id]:
            skills_per_tube[tube_id] = skills_per_tube.get(tube_id, 0) + 1
    competence_of = {t.id: t.competence_id for t in tubes}
    rng = random.Random(7)
    password = make_password(None)  # unusable: nobody logs in as these
    now = timezone.now()
    totals = {"shared": 0, "mastery_sum": 0, "sums": {"tubes": {}, "competences": {}, "stages": {}, "badges": {}}}
    for start in range(0, participants, 5000):
        size = min(5000, participants - start)
        users = User.objects.bulk_create(
            User(email=f"p{start + i}@bench.example", full_name=f"Nom{start + i} Prénom", password=password)
            for i in range(size)
        )
        rows = []
        for user in users:
            sent = rng.random() < 0.8
            tube_counts = {t: [n, rng.randint(0, n)] for t, n in skills_per_tube.items()} if sent else {}
            competences: dict[str, list[int]] = {}
            for tube_id, (n, ok) in tube_counts.items():
                pair = competences.setdefault(competence_of[tube_id], [0, 0])
                pair[0] += n
                pair[1] += ok
            total = sum(n for n, _ in tube_counts.values())
            mastery = (100 * sum(ok for _, ok in tube_counts.values()) // total) if total else None
            rows.append(Participation(
                campaign=campaign, user=user, participant_last_name=user.full_name, external_id=f"M{user.pk:07d}",
                status=Participation.Status.SHARED if sent else Participation.Status.STARTED,
                completed_at=now if sent else None, shared_at=now if sent else None,
                results={"tubes": tube_counts, "competences": competences} if sent else {},
                mastery_percent=mastery,
                stage=max((s for s in stages if mastery is not None and s.threshold <= mastery), key=lambda s: s.threshold, default=None),
                badge_keys=["badge-0"] if sent and mastery and mastery >= 60 else [],
            ))
        Participation.objects.bulk_create(rows)
        for row in rows:  # what each sending adds, as campaign_totals_add does
            if row.status == Participation.Status.SHARED:
                totals["shared"] += 1
                totals["mastery_sum"] += row.mastery_percent or 0
                for key in ("tubes", "competences"):
                    for item, (n, ok) in row.results[key].items():
                        pair = totals["sums"][key].setdefault(item, [0, 0])
                        pair[0] += n
                        pair[1] += ok
                stage_key = str(row.stage.pk if row.stage else "")
                totals["sums"]["stages"][stage_key] = totals["sums"]["stages"].get(stage_key, 0) + 1
    totals["sums"]["days"] = {timezone.localdate(now).isoformat(): totals["shared"]}
    CampaignTotals.objects.create(campaign=campaign, **totals)
    return {"campaign": campaign.pk, "organization": school.pk, "build_s": round(time.perf_counter() - started, 1)}


def export(organization: int, campaign: int) -> dict:
    import django

    django.setup()
    from django.test import Client

    from balise.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="admin@bench.example"))
    started = time.perf_counter()
    response = client.get(f"/organizations/{organization}/campaigns/{campaign}/export.csv")
    assert response.status_code == 200 and response.streaming, response.status_code
    first_byte = None
    size = lines = 0
    for chunk in response.streaming_content:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - started
    pages = {}
    for name, path in (("dashboard", ""), ("participants", "participants/")):
        times = []
        for _ in range(7):
            began = time.perf_counter()
            assert client.get(f"/organizations/{organization}/campaigns/{campaign}/{path}").status_code == 200
            times.append((time.perf_counter() - began) * 1000)
        pages[f"{name}_median_ms"] = round(sorted(times)[len(times) // 2], 1)
    return {
        **pages,
        "rows": lines - 1,  # without the header
        "first_byte_s": round(first_byte, 3),
        "total_s": round(total, 2),
        "mb": round(size / 1e6, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def postgres_available() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0


def child(args_list, env) -> dict:
    out = subprocess.run([sys.executable, __file__, *args_list], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"benchmark step failed: {' '.join(args_list)}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--export", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(build(args.participants)))
        return 0
    if args.export:
        print(json.dumps(export(*args.export)))
        return 0

    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "balise.site.settings", "BALISE_DEV": "1"}
    base.pop("DATABASE_URL", None)
    base.pop("REDIS_URL", None)
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    if "postgresql" in databases and not postgres_available():
        if args.database == "postgresql":
            raise SystemExit("PostgreSQL does not answer at 127.0.0.1:5432")
        databases.remove("postgresql")
    results = {}
    print(f"{'database':<11} {'participants':>12} {'rows':>8} {'build s':>8} {'first byte s':>13} {'total s':>8} "
          f"{'MB':>6} {'peak MB':>8} {'dashboard ms':>13} {'participants ms':>16}")
    with tempfile.TemporaryDirectory() as data_dir:
        for database in databases:
            env = {**base, "BALISE_DATA_DIR": str(Path(data_dir) / database)}
            name = f"balise_bench_export_{os.getpid()}"
            if database == "postgresql":
                subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
                env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
            try:
                built = child(["--build", "--participants", str(args.participants)], env)
                measured = child(["--export", str(built["organization"]), str(built["campaign"])], env)
            finally:
                if database == "postgresql":
                    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=False)
            results[database] = {"participants": args.participants, **built, **measured}
            print(f"{database:<11} {args.participants:>12} {measured['rows']:>8} {built['build_s']:>8} "
                  f"{measured['first_byte_s']:>13} {measured['total_s']:>8} {measured['mb']:>6} {measured['peak_mb']:>8} "
                  f"{measured['dashboard_median_ms']:>13} {measured['participants_median_ms']:>16}")
    worst = {
        "participants": args.participants,
        "rows": min(r["rows"] for r in results.values()),
        "first_byte_s": max(r["first_byte_s"] for r in results.values()),
        "total_s": max(r["total_s"] for r in results.values()),
        "peak_mb": max(r["peak_mb"] for r in results.values()),
        "dashboard_median_ms": max(r["dashboard_median_ms"] for r in results.values()),
        "participants_median_ms": max(r["participants_median_ms"] for r in results.values()),
    }
    print("targets: first byte < 2 s, whole file < 30 s, peak < 200 MB; dashboard and participants median < 200 ms"
          " (PostgreSQL); the JSON gives the worst database")
    print(json.dumps({**worst, "databases": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
