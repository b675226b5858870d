"""Load test: 200 learners taking tests at once, through gunicorn, on PostgreSQL.

    .venv/bin/python bench/bench_load.py [--users 200] [--spawn-rate 20] [--run-time 60s] [--workers 5]

One command, nothing left behind: it creates a fresh PostgreSQL database (127.0.0.1:5432,
user postgres), migrates, imports the starter pack (content/), creates the learner accounts,
collects static files, starts gunicorn with production settings on 127.0.0.1 on a free port,
runs locust (tests/load/locustfile.py) headless against it, stops gunicorn and drops the
database. Then it prints, from locust's CSV: requests, failures, median and p95 per request
kind and for all requests, and requests per second. Target: p95 under 150 ms and no error.
The server only ever listens on 127.0.0.1, and locust only ever targets it.
"""

import argparse
import csv
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LOCUSTFILE = ROOT / "tests" / "load" / "locustfile.py"
POSTGRES = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
ANSWER_REQUEST = "POST /tests/[id]/answer/"
TARGET_P95_MS = 150
# Settings that would turn on development or test behaviour: the server must run as in production.
NON_PRODUCTION_VARIABLES = ("BALISE_DEV", "DEBUG", "BALISE_TESTING", "PYTEST_VERSION", "REDIS_URL")


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(base_url: str, server: subprocess.Popen, timeout_seconds: float = 60) -> None:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer at {base_url} within {timeout_seconds} s")


def read_locust_stats(csv_prefix: Path) -> list[dict]:
    with open(f"{csv_prefix}_stats.csv", newline="") as stats_file:
        return list(csv.DictReader(stats_file))


def print_summary(rows: list[dict]) -> bool:
    """Print the figures; True when the target (p95 under 150 ms for every kind, no failure) is met."""
    print(f"{'request':<34} {'count':>7} {'fail':>5} {'median ms':>10} {'p95 ms':>7} {'req/s':>7}")
    for row in rows:
        label = "all requests" if row["Name"] == "Aggregated" else row["Name"]
        print(f"{label:<34} {row['Request Count']:>7} {row['Failure Count']:>5} {row['50%']:>10} "
              f"{row['95%']:>7} {float(row['Requests/s']):>7.1f}")
    total = next(row for row in rows if row["Name"] == "Aggregated")
    answers = next((row for row in rows if row["Name"] == ANSWER_REQUEST), None)
    failures = int(total["Failure Count"])
    answer_p95 = int(answers["95%"]) if answers else None
    print(f"\nrequests {total['Request Count']}, failures {failures}, "
          f"requests per second {float(total['Requests/s']):.1f}")
    print(f"answer POST: median {answers['50%'] if answers else '-'} ms, p95 {answer_p95} ms; "
          f"all requests: median {total['50%']} ms, p95 {total['95%']} ms")
    met = failures == 0 and answer_p95 is not None and answer_p95 < TARGET_P95_MS and int(total["95%"]) < TARGET_P95_MS
    print(f"target (p95 < {TARGET_P95_MS} ms for the answer POST and for all requests, no failure): "
          f"{'met' if met else 'MISSED'}")
    return met


def prepare_site(env: dict, learners: int, password: str) -> None:
    """Migrate, import the starter pack, create the learners and collect static files."""
    for command in (["migrate", "--noinput", "-v", "0"], ["content_import"],
                    ["load_test_learners", "--count", str(learners), "--password", password],
                    ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "-m", "django", *command], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)


@contextmanager
def gunicorn_on_loopback(env: dict, workers: int, log_path: Path):
    """gunicorn serving Balise on 127.0.0.1 on a free port; yields its base URL, stops it on exit."""
    base_url = f"http://127.0.0.1:{free_loopback_port()}"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [BIN / "gunicorn", "balise.site.wsgi", "--bind", base_url.removeprefix("http://"),
             "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_until_serving(base_url, server)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--run-time", default="60s")
    # Sync workers: each one is busy for the whole request, database round trips included, so a few
    # more than the 2 cores keep them busy while others wait on PostgreSQL; more than that only adds
    # contention with PostgreSQL and locust, which run on the same 2 cores. (Measured: docs/performance.md.)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--csv-dir", type=Path, default=ROOT / "var" / "load",
                        help="where locust's CSV files and the logs go")
    args = parser.parse_args()

    db_name = f"balise_load_{os.getpid()}"
    password = secrets.token_urlsafe(16)
    args.csv_dir.mkdir(parents=True, exist_ok=True)
    csv_prefix = args.csv_dir / "load"
    env = {name: value for name, value in os.environ.items() if name not in NON_PRODUCTION_VARIABLES}
    subprocess.run(["createdb", *POSTGRES, db_name], check=True)
    try:
        with tempfile.TemporaryDirectory() as static_root:
            env.update(
                DJANGO_SETTINGS_MODULE="balise.site.settings",
                SECRET_KEY=secrets.token_urlsafe(50),
                ALLOWED_HOSTS="127.0.0.1",
                DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db_name}",
                BALISE_INSECURE_HTTP="1",  # plain HTTP on loopback: no secure-only cookies, no SSL redirect
                STATIC_ROOT=static_root,
            )
            prepare_site(env, args.users, password)
            with gunicorn_on_loopback(env, args.workers, args.csv_dir / "gunicorn.log") as base_url, \
                    open(args.csv_dir / "locust.log", "w") as locust_log:
                print(f"gunicorn ({args.workers} workers) at {base_url}; locust: {args.users} learners, "
                      f"{args.spawn_rate}/s, {args.run_time}", flush=True)
                subprocess.run(
                    [BIN / "locust", "-f", LOCUSTFILE, "--headless", "--only-summary",
                     "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.run_time,
                     "--host", base_url, "--csv", csv_prefix],
                    env={**env, "BALISE_LOAD_PASSWORD": password, "BALISE_LOAD_LEARNERS": str(args.users)},
                    cwd=ROOT, check=False, stdout=locust_log, stderr=subprocess.STDOUT,
                )
    finally:
        subprocess.run(["dropdb", *POSTGRES, "--if-exists", "--force", db_name], check=False)
    print(f"CSV: {csv_prefix}_stats.csv; logs: {args.csv_dir}/gunicorn.log, locust.log\n")
    return 0 if print_summary(read_locust_stats(csv_prefix)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
