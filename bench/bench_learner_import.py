"""Importing a school's list of learners from a CSV file, on SQLite and on PostgreSQL, side by side.

    .venv/bin/python bench/bench_learner_import.py --lines 10000 [--database sqlite|postgresql|both]

Each backend runs in its own process on a fresh database, with the real machinery: an
administrator uploads the file through Django's full HTTP stack (the request checks the file
and queues the import), then the database task worker (`db_worker`, as `make worker` runs it)
checks every line and writes the list in one transaction. Measured, for a file of N lines:
- upload_s: the upload request; worker_s: the worker's run; total_s: from the upload to the
  list written (the figure an administrator waits for);
- reimport_s: the same organization re-imports a file where 10 % of the learners changed class,
  2 % left and 2 % arrived (updates, additions, disablings);
- refused_s and errors: a file with a bad date on one line in ten, refused whole;
- list_ms and list_queries: the learners page (a page of 50, filtered by class) at N learners;
- peak_mb: the process's peak resident memory (Django included), baseline_mb before the imports.
The last line is one JSON object: lines, total_s and peak_mb (the slowest backend's), and each
backend's figures under "runs".
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_NAMES = [
    "Élodie",
    "Noé",
    "Zoé",
    "Inès",
    "Léa",
    "Chloé",
    "Jérôme",
    "Anaïs",
    "Maël",
    "François",
    "Lucas",
    "Yasmine",
]
LAST_NAMES = [
    "Lefèvre",
    "N'Diaye",
    "Martin-Dubois",
    "Petit",
    "Roux",
    "Müller",
    "Da Silva",
    "Lœuvre",
    "Garçon",
    "Benali",
]
HEADER = "Identifiant unique*;Premier prénom*;Nom de famille*;Date de naissance (jj/mm/aaaa)*;Division*;Code MEF*"


def school_file(lines: int, *, seed: int, bad_every: int = 0, changed=0.0, left=0.0, arrived=0.0) -> bytes:
    """A SIECLE-like file, as a French spreadsheet writes it (Windows-1252, semicolons, CRLF)."""
    rng = random.Random(seed)
    rows = [HEADER]
    kept = [i for i in range(lines) if rng.random() >= left]
    new = [lines + i for i in range(int(lines * arrived))]
    for position, i in enumerate(kept + new):
        person = random.Random(i)
        born = date(2010, 1, 1) + timedelta(days=person.randrange(1500))
        division = f"{person.randint(3, 6)}e {'ABCD'[person.randrange(4)]}"
        if rng.random() < changed:
            division = "2de " + "ABCD"[rng.randrange(4)]
        day = born.strftime("%d/%m/%Y") if not (bad_every and position % bad_every == 0) else "31/02/2011"
        rows.append(
            f"{i:09d}{'ABCDEFGHJK'[i % 10]}{'XYZ'[i % 3]};{person.choice(FIRST_NAMES)};"
            f"{person.choice(LAST_NAMES)};{day};{division};10010012110"
        )
    return ("\r\n".join(rows) + "\r\n").encode("cp1252")


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # kilobytes on Linux


def run_one_backend(lines: int) -> dict:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from balise.accounts.services import user_create
    from balise.organizations.models import LearnerImport, Membership, Organization, OrganizationLearner, Role
    from balise.spaces.models import Space

    call_command("migrate", verbosity=0)
    school = Organization.objects.create(
        name="Lycée de référence", type="school", space=Space.objects.get(slug="international"), manages_learners=True
    )
    admin = user_create(email="direction@example.org", full_name="Direction", password="x" * 12)
    Membership.objects.create(organization=school, user=admin, role=Role.ADMIN)
    client = Client()
    client.force_login(admin)
    files = {
        "first": school_file(lines, seed=1),
        "again": school_file(lines, seed=2, changed=0.10, left=0.02, arrived=0.02),
        "refused": school_file(lines, seed=3, bad_every=10),
    }
    baseline = rss_mb()

    def import_file(data: bytes) -> dict:
        started = time.perf_counter()
        response = client.post(
            f"/organizations/{school.pk}/learners/import/",
            {"file": SimpleUploadedFile("eleves.csv", data, "text/csv")},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        uploaded = time.perf_counter()
        learner_import = LearnerImport.objects.first()
        assert learner_import.status == "waiting"  # queued, not run inside the request
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        done = time.perf_counter()
        learner_import.refresh_from_db()
        return {
            "status": learner_import.status,
            "upload_s": round(uploaded - started, 3),
            "worker_s": round((learner_import.finished_at - learner_import.started_at).total_seconds(), 3),
            "total_s": round(done - started, 3),
            "created": learner_import.created_count,
            "updated": learner_import.updated_count,
            "disabled": learner_import.disabled_count,
            "errors": learner_import.error_count,
        }

    first = import_file(files["first"])
    assert first["status"] == "done" and first["created"] == lines, first
    again = import_file(files["again"])
    assert again["status"] == "done", again
    refused = import_file(files["refused"])
    assert refused["status"] == "refused", refused
    active = OrganizationLearner.objects.filter(organization=school, disabled_at=None).count()

    timings, queries = [], []
    for _ in range(20):
        statements = []

        def count(execute, sql, *args, statements=statements):
            statements.append(sql)
            return execute(sql, *args)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            page = client.get(f"/organizations/{school.pk}/learners/?group=4e+B&page=3")
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(statements))
        assert page.status_code == 200
    return {
        "backend": connection.vendor,
        "lines": lines,
        "file_kb": round(len(files["first"]) / 1024),
        "upload_s": first["upload_s"],
        "worker_s": first["worker_s"],
        "total_s": first["total_s"],
        "reimport_s": again["total_s"],
        "reimport": {k: again[k] for k in ("created", "updated", "disabled")},
        "refused_s": refused["total_s"],
        "errors": refused["errors"],
        "learners_on_list": active,
        "list_ms": round(statistics.median(timings), 1),
        "list_queries": max(queries),
        "baseline_mb": baseline,
        "peak_mb": rss_mb(),
    }


def postgres_available() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one_backend(args.lines)))
        return 0

    with tempfile.TemporaryDirectory() as data_dir:
        base_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "balise.site.settings",
            "BALISE_DEV": "1",
            # The real queue: the upload request only queues the import, db_worker runs it.
            "BALISE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "MEDIA_ROOT": str(Path(data_dir) / "media"),
            "LOG_LEVEL": "ERROR",
        }
        base_env.pop("DATABASE_URL", None)
        runs = []
        if args.database in ("sqlite", "both"):
            runs.append(("SQLite (WAL)", {**base_env, "BALISE_DATA_DIR": data_dir}, None))
        if args.database in ("postgresql", "both"):
            if not postgres_available():
                print("PostgreSQL does not answer at 127.0.0.1:5432", file=sys.stderr)
                return 1
            db_name = f"balise_bench_lists_{os.getpid()}"
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db_name], check=True)
            runs.append(
                ("PostgreSQL", {**base_env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}"}, db_name)
            )
        results = {}
        try:
            print(
                f"{args.lines} lines; import = upload request + db_worker run (checks every line, writes all or nothing)"
            )
            print(
                f"{'backend':<13} {'upload s':>8} {'worker s':>8} {'total s':>8} {'reimport s':>10} "
                f"{'refused s':>9} {'errors':>7} {'list ms':>8} {'queries':>7} {'peak MB':>8}"
            )
            for label, env, _db in runs:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", "--lines", str(args.lines)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if out.returncode:
                    print(out.stderr[-3000:], file=sys.stderr)
                    return out.returncode
                result = json.loads(out.stdout.strip().splitlines()[-1])
                results[result["backend"]] = result
                print(
                    f"{label:<13} {result['upload_s']:>8} {result['worker_s']:>8} {result['total_s']:>8} "
                    f"{result['reimport_s']:>10} {result['refused_s']:>9} {result['errors']:>7} "
                    f"{result['list_ms']:>8} {result['list_queries']:>7} {result['peak_mb']:>8}"
                )
        finally:
            for _label, _env, db_name in runs:
                if db_name:
                    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db_name], check=False)
    print("re-import: " + "; ".join(f"{name}: {r['reimport']}" for name, r in results.items()))
    print(
        "machine: 2 cores shared with other work; peak_mb is the whole process (Django included), "
        "baseline before the imports: " + ", ".join(f"{name} {r['baseline_mb']} MB" for name, r in results.items())
    )
    print(
        json.dumps(
            {
                "lines": args.lines,
                "total_s": max(r["total_s"] for r in results.values()),
                "peak_mb": max(r["peak_mb"] for r in results.values()),
                "runs": results,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
