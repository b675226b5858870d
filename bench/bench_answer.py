"""Server time and SQL queries per answer submission, on SQLite and on PostgreSQL, side by side.

    .venv/bin/python bench/bench_answer.py [--learners 30] [--pack content] [--kind both|positioning|campaign]

A positioning answer and a campaign answer are measured side by side: each learner takes two
positioning tests, or one campaign test over the same two competences (every tube, uncapped).

Each backend runs in its own process on a fresh database: migrate, import the pack, then
learners take positioning tests through Django's full HTTP stack (every middleware, session,
view, service, engine). The server time of each answer POST is measured around the request
handler (what a WSGI server would log, without the test client's own work); statements are counted with a database execute wrapper (BEGIN and COMMIT
included where the driver sends them as statements).
PostgreSQL (with Redis as the shared cache, as deployed at scale) is used when a server
answers at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _campaign_test_url(client, user, competences, index) -> str:
    """A campaign over every tube of these competences; the learner joins it by its code."""
    from balise.campaigns.models import Campaign, TargetProfile, TargetProfileTube
    from balise.campaigns.services import campaign_create
    from balise.content.models import Tube
    from balise.organizations.models import Organization
    from balise.spaces.selectors import space_default

    organization = Organization.objects.get_or_create(
        name="Bench", defaults={"type": Organization.Type.SCHOOL, "space": space_default()}
    )[0]
    profile = TargetProfile.objects.create(name=f"bench {index}")
    TargetProfileTube.objects.bulk_create(
        TargetProfileTube(target_profile=profile, tube=tube, level_cap=8)
        for tube in Tube.objects.filter(competence_id__in=competences, space=None)
    )
    campaign = campaign_create(
        organization, by=user, owner=user, type=Campaign.Type.ASSESSMENT, target_profile=profile, name="bench"
    )
    return client.post(f"/campagnes/{campaign.code}/")["Location"]


def run_one_backend(learners: int, pack: str, kind: str = "positioning", profile: str = "") -> dict:
    import cProfile

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from balise.accounts.services import user_create
    from balise.content.models import Challenge
    from balise.content.services import content_pack_import

    sys.path.insert(0, str(ROOT / "tests"))
    from solutions import answer_data, challenge_id_of_code, seed_of  # the same right/wrong answers as the tests

    call_command("migrate", verbosity=0)
    content_pack_import(ROOT / pack)
    competences = sorted(
        set(Challenge.objects.filter(status="validated", space=None).values_list("competence_id", flat=True))
    )
    rng = random.Random(7)
    times, queries, server_ms, requests = [], [], [], []
    profiler = cProfile.Profile()  # around the answers only, when --profile names a file
    for index in range(learners):
        user = user_create(email=f"bench{index}@example.org", full_name="Bench", password="x" * 12)
        client = Client()
        client.force_login(user)
        serve = client.handler.get_response

        def timed_response(request, serve=serve):
            # Server time: every middleware and the view, as a WSGI server would measure it,
            # without the test client's own work (encoding the form, the cookie jar).
            started = time.perf_counter()
            response = serve(request)
            server_ms.append((time.perf_counter() - started) * 1000)
            return response

        client.handler.get_response = timed_response
        ability = rng.randint(0, 6)
        chosen = rng.sample(competences, min(2, len(competences)))
        if kind == "campaign":
            starts = [lambda: _campaign_test_url(client, user, chosen, index)]  # noqa: B023
        else:
            starts = [lambda c=c: client.post(f"/competences/{c}/start/")["Location"] for c in chosen]  # noqa: B023
        for start in starts:
            url = start()
            page = client.get(url)
            while True:
                if page.status_code == 302:
                    break
                code = re.search(r'name="challenge_id" value="([^"]+)"', page.content.decode()).group(1)
                if 'action="' + url + 'timer/"' in page.content.decode():  # a timed question: start it
                    client.post(url + "timer/", {"challenge_id": code})
                    page = client.get(url)
                    code = re.search(r'name="challenge_id" value="([^"]+)"', page.content.decode()).group(1)
                challenge = Challenge.objects.select_related("skill").get(id=challenge_id_of_code(url, code))
                correct = challenge.skill.level <= ability if rng.random() > 0.1 else rng.random() < 0.2
                data = {"challenge_id": code, **answer_data(challenge, correct=correct, seed=seed_of(url))}
                statements = []

                # A bare execute wrapper counts statements without Django's debug cursor, whose
                # logging would slow down what is being measured.
                def count(execute, sql, *args, statements=statements):
                    statements.append(sql)
                    return execute(sql, *args)

                # An answer is done when the learner has the next page: the answer's response
                # (decision 0023), or before it the page its redirect led to (a second request).
                first = len(server_ms)
                if profile:
                    profiler.enable()
                with connection.execute_wrapper(count):
                    response = client.post(url + "answer/", data)
                    if response.status_code == 302 and response["Location"] == url:
                        response = client.get(url)
                if profile:
                    profiler.disable()
                times.append(sum(server_ms[first:]))
                requests.append(len(server_ms) - first)
                queries.append(len(statements))
                if response.status_code == 302:  # the result
                    break
                page = response
    if profile:
        profiler.dump_stats(profile)
    times.sort()
    return {
        "backend": connection.vendor,
        "kind": kind,
        "answers": len(times),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
        "queries_median": statistics.median(queries),
        "queries_max": max(queries),
        "requests_per_answer": round(statistics.mean(requests), 2),
    }


def machine_speed_ms() -> float:
    """A fixed piece of pure-Python work, timed: the machine is shared and its speed varies
    between runs, so each run prints this beside its figures (lower is faster)."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i % 7
        best = min(best, (time.perf_counter() - started) * 1000)
    return round(best, 1)


def postgres_available() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--pack", default="content")
    parser.add_argument("--kind", choices=["both", "positioning", "campaign"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--profile",
        default="",
        help="with --child: write cProfile's statistics of the answers (the test client's work included) to this file",
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one_backend(args.learners, args.pack, args.kind, args.profile)))
        return 0
    kinds = ["positioning", "campaign"] if args.kind == "both" else [args.kind]

    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "balise.site.settings", "BALISE_DEV": "1"}
    base_env.pop("DATABASE_URL", None)
    runs = []
    with tempfile.TemporaryDirectory() as data_dir:
        runs.append(("SQLite (WAL)", {**base_env, "BALISE_DATA_DIR": data_dir}))
        db_name = f"balise_bench_{os.getpid()}"
        if postgres_available():
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db_name], check=True)
            # The documented deployment at scale: PostgreSQL with Redis as the shared cache
            # (sessions read from Redis, written through to PostgreSQL).
            runs.append(
                (
                    "PostgreSQL+Redis",
                    {
                        **base_env,
                        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}",
                        "REDIS_URL": "redis://127.0.0.1:6379/13",
                    },
                )
            )
        try:
            print(
                f"{'backend':<17} {'test':<12} {'answers':>8} {'median ms':>10} {'p95 ms':>8} {'queries (median/max)':>22}"
                f" {'requests':>9}"
            )
            for label, env in runs:
                for kind in kinds:
                    if "DATABASE_URL" in env:  # a fresh PostgreSQL database for each run
                        name = env["DATABASE_URL"].rsplit("/", 1)[1]
                        subprocess.run(
                            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=False
                        )
                        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
                    else:
                        env = {**env, "BALISE_DATA_DIR": tempfile.mkdtemp(dir=data_dir)}
                    out = subprocess.run(
                        [
                            sys.executable,
                            __file__,
                            "--child",
                            "--learners",
                            str(args.learners),
                            "--pack",
                            args.pack,
                            "--kind",
                            kind,
                        ],
                        env=env,
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    result = json.loads(out.stdout.strip().splitlines()[-1])
                    print(
                        f"{label:<17} {kind:<12} {result['answers']:>8} {result['median_ms']:>10} {result['p95_ms']:>8} "
                        f"{result['queries_median']:>13}/{result['queries_max']:<8} {result['requests_per_answer']:>9}"
                    )
        finally:
            if len(runs) > 1:
                subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db_name], check=False)
    print(f"machine speed probe: {machine_speed_ms()} ms for a fixed Python loop (lower is faster)")
    print("targets: <= 10 queries and a median under 15 ms per answer")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
