"""Capacity: the highest answer rate the server holds at p95 < 150 ms, found in one run.

    .venv/bin/python bench/bench_capacity.py [--max-rate 300] [--step-seconds 15] [--learners 300]
                                             [--start-rate 10] [--rate-step 10] [--workers 3] [--quick]

One command, nothing left behind but its logs: it creates a fresh PostgreSQL database
(`--database-url`, default postgres://postgres@127.0.0.1:5432/balise_capacity), empties its Redis
database (`--redis-url`, default redis://127.0.0.1:6379/5), migrates, imports the starter pack,
creates the learners, starts gunicorn as `make serve` does (production settings,
`balise.site.gunicorn_config`, `--preload`, 3 sync workers) on 127.0.0.1 on a free port, and then:

1. **logs every learner in** (a login page, then the form: Argon2 on purpose), a few at a time,
   and reports that ramp apart: it is not the answer loop;
2. lets each learner start a positioning test (the competences page, the start form, the first
   question);
3. runs **steps of increasing answer rates**, open loop: the answers of a step are sent on a fixed
   schedule (rate × seconds answers, evenly spaced), each by a learner not already waiting, never
   waiting for the previous answer. An answer's latency runs from its *scheduled* time to the
   moment the learner has the next page (the redirect followed, if the server answers with one),
   so a generator or server falling behind is counted, not hidden. A learner whose test ends
   starts another one (those requests load the server too; they are reported apart).
   The run stops at the first step whose p95 reaches 150 ms or that has an error.

The load generator is one Python process: asyncio with a minimal HTTP/1.0 client over
raw sockets (no keep-alive: gunicorn's sync workers close each connection anyway), HTML read by
regular expressions. It measures its own CPU time (getrusage) and reports it as a share of one
core, beside the gunicorn workers' share and the whole machine's busy share (other work on the
shared machine included), and the CPU the server (workers and their PostgreSQL backends) spent
per answer: the figure that tells what the two cores could hold with nothing else on them.

It prints a table per step, and as its last line one JSON object (answers_per_s_held,
p95_ms_at_held, login_ramp_s, generator_cpu_share, requests_per_answer, …).
Only ever against its own server on 127.0.0.1.
"""

import argparse
import asyncio
import json
import os
import random
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import (  # noqa: E402  (the bench directory is not a package)
    NON_PRODUCTION_VARIABLES,
    POSTGRES,
    gunicorn_on_loopback,
    load_average,
    prepare_site,
)

ROOT = Path(__file__).resolve().parents[1]
TARGET_P95_MS = 150
LOAD_TEST_EMAIL = "learner-{index:04d}@load.balise.test"  # as `load_test_learners` names them
REQUEST_TIMEOUT_S = 30
SKIP_PROBABILITY = 0.1
TYPED_WORDS = ["mot de passe", "cookie", "navigateur", "fichier", "réseau", "sauvegarde", "lien", "pdf"]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHALLENGE_INPUT = re.compile(r'name="challenge_id" value="([^"]+)"')
START_ACTION = re.compile(r'action="(/competences/[^/"]+/start/)"')
INPUT_TAG = re.compile(r"<input\b([^>]*)>")
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
RESULT_PATH = re.compile(r"/tests/[^/]+/result/$")


# --- A minimal HTTP client: what the generator spends per request is what it costs us.


@dataclass
class Response:
    status: int
    headers: dict
    text: str


class Client:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.requests = 0

    async def request(self, method: str, path: str, cookies: dict, form: list | None = None) -> Response:
        self.requests += 1
        return await asyncio.wait_for(self._exchange(method, path, cookies, form), REQUEST_TIMEOUT_S)

    async def _exchange(self, method, path, cookies, form) -> Response:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            body = urlencode(form).encode() if form is not None else b""
            head = [f"{method} {path} HTTP/1.0", f"Host: {self.host}"]
            if cookies:
                head.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in cookies.items()))
            if form is not None:
                head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            raw = await reader.read(-1)  # HTTP/1.0: the server closes the connection after the body
        finally:
            writer.close()
        head_bytes, _, body_bytes = raw.partition(b"\r\n\r\n")
        lines = head_bytes.decode("latin-1").split("\r\n")
        headers: dict = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "set-cookie":
                cookie_name, _, rest = value.strip().partition("=")
                cookies[cookie_name] = rest.split(";", 1)[0]
            else:
                headers[name] = value.strip()
        return Response(int(lines[0].split()[1]), headers, body_bytes.decode("utf-8", "replace"))


def path_of(location: str) -> str:
    return urlsplit(location).path or location


# --- Learners


@dataclass
class Learner:
    index: int
    rng: random.Random
    cookies: dict = field(default_factory=dict)
    test_path: str = ""
    page: str = ""  # the HTML of the question it is on


class Unexpected(Exception):
    """The server answered something a browser would not expect here (counted as an error)."""


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise Unexpected(f"{what}: {response.status} {response.headers.get('location', '')}")
    return response


def answer_form(page: str, rng: random.Random) -> list:
    """What a learner submits on a question page: one option, a few boxes, or typed words."""
    csrf = CSRF_INPUT.search(page)
    code = CHALLENGE_INPUT.search(page)
    if not (csrf and code):
        raise Unexpected("a question page without its form")
    fields = [("csrfmiddlewaretoken", csrf.group(1)), ("challenge_id", code.group(1)), ("focus_lost", "0")]
    if rng.random() < SKIP_PROBABILITY:
        return [*fields, ("action", "skip")]
    inputs = [dict(ATTRIBUTE.findall(attributes)) for attributes in INPUT_TAG.findall(page)]
    options = [i for i in inputs if i.get("name") == "answer"]
    if options and options[0].get("type") == "radio":
        chosen = [("answer", rng.choice(options)["value"])]
    elif options:
        chosen = [("answer", o["value"]) for o in rng.sample(options, rng.randint(1, min(3, len(options))))]
    else:
        chosen = [
            (i["name"], str(rng.randint(1, 100)) if i.get("inputmode") == "decimal" else rng.choice(TYPED_WORDS))
            for i in inputs
            if i.get("name", "").startswith("field-")
        ]
    return [*fields, *chosen, ("action", "answer")]


class Run:
    def __init__(self, client: Client, password: str):
        self.client = client
        self.password = password
        self.other_ms: list[float] = []  # starting tests, timers: load, but not the answer loop
        self.answer_requests = 0

    async def log_in(self, learner: Learner) -> float:
        started = time.perf_counter()
        page = expect(await self.client.request("GET", "/accounts/login/", learner.cookies), 200, "login page")
        form = [
            ("csrfmiddlewaretoken", CSRF_INPUT.search(page.text).group(1)),
            ("username", LOAD_TEST_EMAIL.format(index=learner.index)),
            ("password", self.password),
        ]
        done = expect(await self.client.request("POST", "/accounts/login/", learner.cookies, form), 302, "login")
        if not path_of(done.headers["location"]).endswith("/competences/"):
            raise Unexpected(f"login led to {done.headers['location']}")
        return (time.perf_counter() - started) * 1000

    async def start_a_test(self, learner: Learner) -> bool:
        """Start one of the competences it has not taken yet; False when none is left."""
        started = time.perf_counter()
        page = expect(await self.client.request("GET", "/competences/", learner.cookies), 200, "competences")
        offered = START_ACTION.findall(page.text)  # a competence taken is not offered again
        if not offered:
            return False
        start = learner.rng.choice(offered)
        form = [("csrfmiddlewaretoken", CSRF_INPUT.search(page.text).group(1))]
        response = expect(await self.client.request("POST", start, learner.cookies, form), 302, "start")
        learner.test_path = path_of(response.headers["location"])
        learner.page = expect(await self.client.request("GET", learner.test_path, learner.cookies), 200, "test").text
        self.other_ms.append((time.perf_counter() - started) * 1000)
        await self.past_a_timer(learner)
        return True

    async def past_a_timer(self, learner: Learner) -> None:
        """A timed question is announced first: the learner presses "I am ready"."""
        if f'action="{learner.test_path}timer/"' not in learner.page:
            return
        started = time.perf_counter()
        csrf, code = CSRF_INPUT.search(learner.page).group(1), CHALLENGE_INPUT.search(learner.page).group(1)
        form = [("csrfmiddlewaretoken", csrf), ("challenge_id", code)]
        await self._expect_test(await self.client.request("POST", learner.test_path + "timer/", learner.cookies, form))
        learner.page = expect(await self.client.request("GET", learner.test_path, learner.cookies), 200, "test").text
        self.other_ms.append((time.perf_counter() - started) * 1000)

    async def _expect_test(self, response: Response) -> None:
        if response.status != 302 or path_of(response.headers.get("location", "")) == "":
            raise Unexpected(f"timer: {response.status}")

    async def answer(self, learner: Learner) -> bool:
        """Answer the question on its page; True when that ended the test.

        The answer is done when the learner has the next page: the answer's response itself
        (decision 0023), or the page its redirect leads to (the result, or before 0023 the
        next question)."""
        form = answer_form(learner.page, learner.rng)
        response = await self.client.request("POST", learner.test_path + "answer/", learner.cookies, form)
        self.answer_requests += 1
        if response.status == 200 and CHALLENGE_INPUT.search(response.text):
            learner.page = response.text
            return False
        location = path_of(response.headers.get("location", ""))
        if response.status != 302 or location not in (learner.test_path, learner.test_path + "result/"):
            raise Unexpected(f"answer: {response.status} {location!r}")
        page = expect(await self.client.request("GET", location, learner.cookies), 200, "after the answer")
        self.answer_requests += 1
        if RESULT_PATH.search(location):
            return True
        learner.page = page.text
        return False


# --- Measuring


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def cpu_seconds_by_process(pids: list[int]) -> dict[int, float]:
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return seconds


def cpu_seconds_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU these processes spent since `before` (a process started meanwhile: all of its own;
    one that ended meanwhile is lost, so the figure errs low, never negative)."""
    now = cpu_seconds_by_process(pids)
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())


def workers_of(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def postgres_backends_of(db_name: str) -> list[int]:
    """The PostgreSQL processes serving this database (the workers' persistent connections)."""
    out = subprocess.run(
        ["psql", *POSTGRES, "-Atc", f"SELECT pid FROM pg_stat_activity WHERE datname = '{db_name}'"],
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(pid) for pid in out.stdout.split()]


def machine_busy_and_total() -> tuple[int, int]:
    """Jiffies the whole machine spent busy, and in all (every process, other agents' too)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Step:
    rate: float
    seconds: float
    latencies_ms: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    no_idle_learner: int = 0
    wall_s: float = 0.0
    generator_cpu: float = 0.0
    workers_cpu: float = 0.0
    postgres_cpu: float = 0.0
    machine_busy: float = 0.0
    send_lag_ms: list = field(default_factory=list)

    @property
    def answers(self) -> int:
        return len(self.latencies_ms)

    @property
    def achieved(self) -> float:
        return self.answers / self.seconds

    @property
    def held(self) -> bool:
        return not self.errors and not self.no_idle_learner and percentile(self.latencies_ms, 0.95) < TARGET_P95_MS

    @property
    def server_cpu_ms_per_answer(self) -> float:
        """CPU the gunicorn workers and their PostgreSQL backends spent per answer (the test
        starts and results of the step included): what a core can serve, whoever else runs."""
        return 1000 * (self.workers_cpu + self.postgres_cpu) / max(self.achieved, 1e-9)

    def row(self) -> str:
        p50, p95, p99 = (percentile(self.latencies_ms, s) for s in (0.50, 0.95, 0.99))
        errors = len(self.errors) + self.no_idle_learner
        return (
            f"{self.rate:>7.0f} {self.achieved:>9.1f} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f} {errors:>6} "
            f"{100 * self.generator_cpu:>9.1f} {100 * self.workers_cpu:>8.1f} {100 * self.postgres_cpu:>8.1f} "
            f"{100 * self.machine_busy:>8.1f} {self.server_cpu_ms_per_answer:>8.1f}"
        )


STEP_HEADER = (
    f"{'rate':>7} {'achieved':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} "
    f"{'generator':>9} {'workers':>8} {'postgres':>8} {'machine':>8} {'server':>8}\n"
    f"{'asked/s':>7} {'answers/s':>9} {'':>7} {'':>7} {'':>7} {'':>6} "
    f"{'':>9} {'':>8} {'':>8} {'all':>8} {'CPU ms':>8}\n"
    f"{'':>7} {'':>9} {'':>7} {'':>7} {'':>7} {'':>6} "
    f"{'(CPU in % of one core; the machine has ' + str(os.cpu_count()) + ')':>44} {'/answer':>8}"
)


async def run_step(run: Run, idle: deque, rate: float, seconds: float, master_pid: int, db_name: str) -> Step:
    """Send rate × seconds answers on a fixed schedule, each by an idle learner; wait for all."""
    step = Step(rate=rate, seconds=seconds)
    loop = asyncio.get_running_loop()
    workers, backends = workers_of(master_pid), postgres_backends_of(db_name)
    cpu_before, workers_before, machine_before = own_cpu_seconds(), cpu_seconds_by_process(workers), machine_busy_and_total()
    postgres_before = cpu_seconds_by_process(backends)
    wall_before = time.perf_counter()

    async def one_answer(learner: Learner, scheduled: float) -> None:
        try:
            finished = await run.answer(learner)
            step.latencies_ms.append((loop.time() - scheduled) * 1000)
            if finished and not await run.start_a_test(learner):
                return  # every competence taken: this learner leaves
            await run.past_a_timer(learner)
            idle.append(learner)
        except (TimeoutError, Unexpected, OSError) as error:
            step.errors.append(f"{type(error).__name__}: {error}")

    count = int(rate * seconds)
    first = loop.time() + 0.05
    tasks = []
    for number in range(count):
        scheduled = first + number / rate
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        step.send_lag_ms.append(max(0.0, -delay) * 1000)
        if not idle:
            step.no_idle_learner += 1  # every learner is still waiting: the server is far behind
            continue
        tasks.append(asyncio.create_task(one_answer(idle.popleft(), scheduled)))
    await asyncio.gather(*tasks)
    step.wall_s = time.perf_counter() - wall_before
    step.generator_cpu = (own_cpu_seconds() - cpu_before) / step.wall_s
    step.workers_cpu = cpu_seconds_since(workers_before, workers_of(master_pid)) / step.wall_s
    # The workers' connections are reopened after CONN_MAX_AGE (60 s): ask again which serve it.
    step.postgres_cpu = cpu_seconds_since(postgres_before, postgres_backends_of(db_name)) / step.wall_s
    busy_after, total_after = machine_busy_and_total()
    # In one core's units, like the others: 200 % is a 2-core machine entirely busy.
    cores = os.cpu_count() or 1
    step.machine_busy = cores * (busy_after - machine_before[0]) / max(1, total_after - machine_before[1])
    return step


async def bounded(coroutines, limit: int):
    """Run these at most `limit` at a time (a ramp, not a stampede); their results in order."""
    gate = asyncio.Semaphore(limit)

    async def gated(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(gated(c) for c in coroutines), return_exceptions=True)


async def measure(base_url: str, master_pid: int, password: str, args, db_name: str) -> dict:
    split = urlsplit(base_url)
    client = Client(split.hostname, split.port)
    run = Run(client, password)
    learners = [Learner(index=i, rng=random.Random(i)) for i in range(args.learners)]

    # 1. The logins, apart: Argon2 costs ~50 ms of CPU each on purpose.
    cpu_before, started = own_cpu_seconds(), time.perf_counter()
    login_ms = await bounded([run.log_in(learner) for learner in learners], args.login_concurrency)
    ramp_s = time.perf_counter() - started
    failed = [r for r in login_ms if isinstance(r, BaseException)]
    login_ms = [r for r in login_ms if not isinstance(r, BaseException)]
    login = {
        "learners": len(learners),
        "seconds": round(ramp_s, 2),
        "per_s": round(len(login_ms) / ramp_s, 1),
        "p50_ms": round(percentile(login_ms, 0.5), 1),
        "p95_ms": round(percentile(login_ms, 0.95), 1),
        "errors": len(failed),
        "generator_cpu_share": round((own_cpu_seconds() - cpu_before) / ramp_s, 3),
    }
    print(
        f"logins: {login['learners']} learners in {login['seconds']} s ({login['per_s']}/s, "
        f"{args.login_concurrency} at a time), p50 {login['p50_ms']} ms, p95 {login['p95_ms']} ms, "
        f"errors {login['errors']}" + (f" (first: {failed[0]!r})" if failed else ""),
        flush=True,
    )
    if failed:
        return {"login": login, "steps": [], "error": "logins failed"}

    # 2. Each learner on the first question of a test.
    started = await bounded([run.start_a_test(learner) for learner in learners], args.login_concurrency)
    idle = deque(learner for learner, ok in zip(learners, started, strict=True) if ok is True)
    problems = [s for s in started if isinstance(s, BaseException)]
    print(f"tests started: {len(idle)} of {len(learners)}" + (f" (first problem: {problems[0]!r})" if problems else ""))
    if problems:
        return {"login": login, "steps": [], "error": "tests could not start"}

    # 3. The steps.
    print(f"\nsteps of {args.step_seconds:g} s; latency from each answer's scheduled time to its next page\n")
    print(STEP_HEADER, flush=True)
    steps: list[Step] = []
    rate = args.start_rate
    while rate <= args.max_rate + 1e-9:
        before = run.answer_requests
        step = await run_step(run, idle, rate, args.step_seconds, master_pid, db_name)
        step.requests_per_answer = (run.answer_requests - before) / max(1, step.answers)
        steps.append(step)
        print(step.row(), flush=True)
        if not step.held:
            for error in step.errors[:3]:
                print(f"    error: {error}")
            if step.no_idle_learner:
                print(f"    {step.no_idle_learner} answers not sent: every learner was still waiting")
            break
        rate += args.rate_step
    held = [s for s in steps if s.held]
    best = max(held, key=lambda s: s.rate) if held else None
    answers = sum(s.answers for s in steps)
    return {
        "login": login,
        "steps": steps,
        "best": best,
        "requests_per_answer": round(run.answer_requests / max(1, answers), 3),
        "other_requests_p95_ms": round(percentile(run.other_ms, 0.95), 1),
        "learners_left": len(idle),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-rate", type=float, default=300, help="the highest answer rate tried (answers/s)")
    parser.add_argument("--start-rate", type=float, default=10)
    parser.add_argument("--rate-step", type=float, default=10)
    parser.add_argument("--step-seconds", type=float, default=15)
    # Each learner answers again as soon as its page is there, so a few hundred learners carry
    # any rate here; more only lengthens the login ramp (50 ms of Argon2 each).
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--login-concurrency", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/balise_capacity")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--log-dir", type=Path, default=ROOT / "var" / "capacity")
    parser.add_argument("--quick", action="store_true", help="a short run for a smoke test: 2 steps of 2 s")
    args = parser.parse_args()
    if args.quick:
        args.learners, args.start_rate, args.rate_step, args.step_seconds = min(args.learners, 12), 5, 5, 2
        args.max_rate = min(args.max_rate, 10)

    db_name = urlsplit(args.database_url).path.lstrip("/")
    password = secrets.token_urlsafe(16)
    args.log_dir.mkdir(parents=True, exist_ok=True)
    env = {name: value for name, value in os.environ.items() if name not in NON_PRODUCTION_VARIABLES}
    subprocess.run(["dropdb", *POSTGRES, "--if-exists", "--force", db_name], check=False)
    subprocess.run(["createdb", *POSTGRES, db_name], check=True)
    import redis  # Django's Redis cache backend needs it: installed with the web dependencies

    redis.Redis.from_url(args.redis_url).flushdb()  # no session or cached page of an earlier run
    try:
        with tempfile.TemporaryDirectory() as static_root:
            env.update(
                DJANGO_SETTINGS_MODULE="balise.site.settings",
                SECRET_KEY=secrets.token_urlsafe(50),
                ALLOWED_HOSTS="127.0.0.1",
                DATABASE_URL=args.database_url,
                REDIS_URL=args.redis_url,
                BALISE_INSECURE_HTTP="1",  # plain HTTP on loopback: no secure-only cookies, no SSL redirect
                STATIC_ROOT=static_root,
            )
            prepare_site(env, args.learners, password)
            with gunicorn_on_loopback(env, args.workers, args.log_dir) as base_url:
                log_text = (args.log_dir / "gunicorn.log").read_text()
                master_pid = int(re.search(r"Listening at: \S+ \((\d+)\)", log_text).group(1))
                load_before = load_average()
                print(
                    f"gunicorn ({args.workers} workers) at {base_url}, PostgreSQL {db_name}, Redis {args.redis_url}; "
                    f"{args.learners} learners; load average before (1, 5, 15 min): {load_before}; "
                    f"{os.cpu_count()} cores",
                    flush=True,
                )
                result = asyncio.run(measure(base_url, master_pid, password, args, db_name))
    finally:
        subprocess.run(["dropdb", *POSTGRES, "--if-exists", "--force", db_name], check=False)
    steps, best = result["steps"], result.get("best")
    summary = {
        "answers_per_s_held": best.rate if best else 0,
        "p95_ms_at_held": round(percentile(best.latencies_ms, 0.95), 1) if best else None,
        "p50_ms_at_held": round(percentile(best.latencies_ms, 0.50), 1) if best else None,
        "login_ramp_s": result["login"]["seconds"],
        "logins_per_s": result["login"]["per_s"],
        "generator_cpu_share": round(best.generator_cpu, 3) if best else None,
        "generator_cpu_share_max": round(max((s.generator_cpu for s in steps), default=0), 3),
        "workers_cpu_share_at_held": round(best.workers_cpu, 3) if best else None,
        "postgres_cpu_share_at_held": round(best.postgres_cpu, 3) if best else None,
        "machine_busy_at_held": round(best.machine_busy, 3) if best else None,
        "server_cpu_ms_per_answer_at_held": round(best.server_cpu_ms_per_answer, 2) if best else None,
        "requests_per_answer": result.get("requests_per_answer"),
        "errors": sum(len(s.errors) + s.no_idle_learner for s in steps) + result["login"]["errors"],
        "first_missed_rate": next((s.rate for s in steps if not s.held), None),
        "steps": [
            {
                "rate": s.rate,
                "achieved": round(s.achieved, 1),
                "p50_ms": round(percentile(s.latencies_ms, 0.5), 1),
                "p95_ms": round(percentile(s.latencies_ms, 0.95), 1),
                "p99_ms": round(percentile(s.latencies_ms, 0.99), 1),
                "errors": len(s.errors) + s.no_idle_learner,
                "generator_cpu_share": round(s.generator_cpu, 3),
                "workers_cpu_share": round(s.workers_cpu, 3),
                "postgres_cpu_share": round(s.postgres_cpu, 3),
                "machine_busy": round(s.machine_busy, 3),
                "server_cpu_ms_per_answer": round(s.server_cpu_ms_per_answer, 2),
                "send_lag_p95_ms": round(percentile(s.send_lag_ms, 0.95), 1),
            }
            for s in steps
        ],
        "learners": args.learners,
        "workers": args.workers,
        "load_average_before": load_before,
        "load_average_after": load_average(),
    }
    if "error" in result:
        summary["error"] = result["error"]
    print(
        f"\nheld: {summary['answers_per_s_held']} answers/s at p95 {summary['p95_ms_at_held']} ms "
        f"(target p95 < {TARGET_P95_MS} ms, no error); requests per answer {summary['requests_per_answer']}; "
        f"load average after: {summary['load_average_after']}; starting a test or a timer (apart): p95 "
        f"{result.get('other_requests_p95_ms')} ms"
    )
    print(json.dumps(summary))
    return 0 if best and "error" not in result else 1


if __name__ == "__main__":
    raise SystemExit(main())
