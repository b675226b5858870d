"""Exam day: candidates in sessions answering at human pace, with each session's invigilator
following the live page, through gunicorn on PostgreSQL (+ Redis), in one run:

    .venv/bin/python bench/bench_exam_day.py --candidates 500 --sessions 20 [--run-time 300s]
        [--spawn-rate 10] [--think-time 20,60] [--workers 3]

A fresh PostgreSQL database (127.0.0.1:5432, user postgres): migrate, the starter pack, the exam
day (`load_test_candidates`); gunicorn with production settings on 127.0.0.1; locust headless
(tests/load/exam_day.py): each candidate logs in, enters, accepts the instructions, waits to be let
in, then answers every 20–60 s; 20 invigilators refresh every 1.5 s and let candidates in. Then
the database is counted: answers stored, answers the clients were told were recorded but are
missing (lost), a question answered twice (duplicated). As in an exam room, the invigilators let candidates in
once the room has arrived (the arrival's length + 30 s), and latencies are counted from then on
(locust's --reset-stats): the arrival (500 logins, whose Argon2 hashing is slow on purpose) is a
ramp of its own, reported by the login rows. Prints locust's and gunicorn's figures per
request and, last, one JSON object: answers, answer_p95_ms, invigilator_p95_ms, errors, lost,
duplicated (targets: p95 < 150 ms for an answer and for an invigilator refresh, 0 errors, 0 lost,
0 duplicated).
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_load import (
    BIN,
    NON_PRODUCTION_VARIABLES,
    POSTGRES,
    ROOT,
    gunicorn_on_loopback,
    load_average,
    median_and_p95,
    read_locust_stats,
)

EXAM_LOCUSTFILE = ROOT / "tests" / "load" / "exam_day.py"
ANSWER = "POST /tests/[id]/answer/"
REFRESH = "GET /certification/invigilation/[id]/ (refresh)"
COUNT_SQL = """
SELECT
  (SELECT count(*) FROM evaluation_answer a JOIN evaluation_assessment s ON s.id = a.assessment_id
    WHERE s.purpose = 'certification'),
  (SELECT count(*) FROM (SELECT a.assessment_id, a.position FROM evaluation_answer a
    JOIN evaluation_assessment s ON s.id = a.assessment_id WHERE s.purpose = 'certification'
    GROUP BY a.assessment_id, a.position HAVING count(*) > 1) twice),
  (SELECT coalesce(sum(s.answered_count), 0) FROM evaluation_assessment s WHERE s.purpose = 'certification'),
  (SELECT count(*) FROM (SELECT a.assessment_id, a.challenge_id FROM evaluation_answer a
    JOIN evaluation_assessment s ON s.id = a.assessment_id WHERE s.purpose = 'certification'
    GROUP BY a.assessment_id, a.challenge_id HAVING count(*) > 1) same_question)
"""


ID_SEGMENT = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27})(?=/|$)")


def server_times_of(access_log: Path) -> dict[str, list[int]]:
    """gunicorn's milliseconds per request, under the locustfile's names (ids as [id], the
    locustfile's "(…)" labels dropped), to set beside the client's."""
    times: dict[str, list[int]] = {}
    for line in access_log.read_text().splitlines():
        method, path, _status, milliseconds = line.split()
        if path == "/healthz":
            continue
        times.setdefault(f"{method} {ID_SEGMENT.sub('/[id]', path)}", []).append(int(milliseconds))
        times.setdefault("Aggregated", []).append(int(milliseconds))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--run-time", default="420s")
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--think-time", default="20,60")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--csv-dir", type=Path, default=ROOT / "var" / "exam-day")
    args = parser.parse_args()

    db_name = f"balise_exam_{os.getpid()}"
    password = secrets.token_urlsafe(16)
    args.csv_dir.mkdir(parents=True, exist_ok=True)
    csv_prefix = args.csv_dir / "exam"
    exam_file = args.csv_dir / "exam.json"
    env = {name: value for name, value in os.environ.items() if name not in NON_PRODUCTION_VARIABLES}
    subprocess.run(["createdb", *POSTGRES, db_name], check=True)
    try:
        with tempfile.TemporaryDirectory() as static_root, tempfile.TemporaryDirectory() as data_dir:
            env.update(
                DJANGO_SETTINGS_MODULE="balise.site.settings", SECRET_KEY=secrets.token_urlsafe(50),
                ALLOWED_HOSTS="127.0.0.1", DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db_name}",
                BALISE_INSECURE_HTTP="1", STATIC_ROOT=static_root, BALISE_DATA_DIR=data_dir,
                REDIS_URL=args.redis_url,
            )
            for command in (["migrate", "--noinput", "-v", "0"], ["space_import"], ["content_import"],
                            ["load_test_candidates", "--candidates", str(args.candidates), "--sessions",
                             str(args.sessions), f"--password={password}", f"--output={exam_file}"],
                            ["collectstatic", "--noinput", "-v", "0"]):
                subprocess.run([sys.executable, "-m", "django", *command], env=env, cwd=ROOT, check=True,
                               stdout=subprocess.DEVNULL)
            with gunicorn_on_loopback(env, args.workers, args.csv_dir) as base_url, \
                    open(args.csv_dir / "locust.log", "w") as locust_log:
                users = args.candidates + args.sessions
                print(f"gunicorn ({args.workers} workers) at {base_url}; {args.candidates} candidates in "
                      f"{args.sessions} sessions, {args.spawn_rate}/s, {args.run_time}, think time {args.think_time} s; "
                      f"load average before: {load_average()}", flush=True)
                subprocess.run(
                    # Figures once everyone has arrived (the arrival of 500 logins is its own ramp, whose
                    # Argon2 hashing is slow on purpose): locust restarts its counts then.
                    [BIN / "locust", "-f", EXAM_LOCUSTFILE, "--headless", "--only-summary", "--reset-stats", "-u", str(users),
                     "-r", str(args.spawn_rate), "-t", args.run_time, "--host", base_url, "--csv", csv_prefix],
                    env={**env, "BALISE_LOAD_PASSWORD": password, "BALISE_EXAM_FILE": str(exam_file),
                         "BALISE_EXAM_ACK_FILE": str(args.csv_dir / "acknowledged.json"),
                         "BALISE_EXAM_START_DELAY": str(round(users / args.spawn_rate + 30)),
                         "BALISE_LOAD_THINK_TIME": args.think_time, "PYTHONPATH": str(ROOT / "tests" / "load")},
                    cwd=ROOT, check=False, stdout=locust_log, stderr=subprocess.STDOUT,
                )
            counts = subprocess.run(["psql", *POSTGRES, "-d", db_name, "-At", "-F", " ", "-c", COUNT_SQL],
                                    check=True, capture_output=True, text=True).stdout.split()
    finally:
        subprocess.run(["dropdb", *POSTGRES, "--if-exists", "--force", db_name], check=False)
    stored, same_position, answered_counted, same_question = (int(value) for value in counts)
    rows = read_locust_stats(csv_prefix)
    server_times = server_times_of(args.csv_dir / "access.log")
    print(f"load average after: {load_average()}\n")
    print(f"{'request':<58} {'count':>7} {'fail':>5} {'median':>7} {'p95':>6}  {'gunicorn p95':>12}")
    for row in rows:
        server = median_and_p95(server_times.get(re.sub(r" \(.*\)$", "", row["Name"])) or [0])[1]
        print(f"{row['Name']:<58} {row['Request Count']:>7} {row['Failure Count']:>5} {row['50%']:>7} "
              f"{row['95%']:>6}  {server:>12}")
    by_name = {row["Name"]: row for row in rows}
    answers_told = json.loads((args.csv_dir / "acknowledged.json").read_text())["answers"]
    figures = {
        "answers": stored,
        "answer_p95_ms": int(by_name.get(ANSWER, {}).get("95%", 0) or 0),
        "invigilator_p95_ms": int(by_name.get(REFRESH, {}).get("95%", 0) or 0),
        "errors": int(by_name.get("Aggregated", {}).get("Failure Count", 0)),
        "lost": max(0, answers_told - stored),
        "duplicated": same_position + same_question + max(0, stored - answered_counted),
        "answers_acknowledged": answers_told,
        "load_average": load_average(),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
