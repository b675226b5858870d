"""Every answer of a certification is recorded exactly once, even when the server is killed in
the middle of the session and started again: a real gunicorn on its own SQLite database, a
candidate answering over HTTP, `kill -9` of every process, a restart, the same answer sent again
(refused: already recorded), the test finished; the database counted."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_PACK = ROOT / "tests" / "fixtures" / "pack"
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(not (BIN / "gunicorn").exists(), reason="gunicorn is installed with Balise")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect())

    def request(self, path, fields=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        try:
            with self.opener.open(self.base_url + path, data=data, timeout=30) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def token(self, path):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.request(path)[2]).group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env, port) -> subprocess.Popen:
    server = subprocess.Popen([BIN / "gunicorn", "balise.site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def kill_everything(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGKILL)  # the master and its workers, with no chance to clean up
    server.wait()


def test_answers_survive_a_killed_server_exactly_once(tmp_path):
    password = "a-long-enough-passphrase-42"
    env = {**{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BALISE_TESTING", "PYTEST_VERSION",
                                                             "REDIS_URL", "PYTEST_CURRENT_TEST")},
           "DJANGO_SETTINGS_MODULE": "balise.site.settings", "BALISE_DEV": "1", "BALISE_DATA_DIR": str(tmp_path),
           "ALLOWED_HOSTS": "127.0.0.1", "BALISE_INSECURE_HTTP": "1"}

    def manage(*command):
        subprocess.run([sys.executable, "-m", "django", *command], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)

    manage("migrate", "-v", "0")
    manage("space_import")
    manage("content_import", str(FIXTURE_PACK))
    # A certification needs level 1 in 5 competences: the fixture pack has 3, two are added.
    manage("shell", "-c", "from balise.content.models import Competence; a = Competence.objects.get(pk='1.1').area; "
                          "[Competence.objects.create(id=c, area=a, name={'fr': c}) for c in ('1.3', '2.2')]")
    exam = tmp_path / "exam.json"
    manage("load_test_candidates", "--candidates", "1", "--sessions", "1", f"--password={password}", f"--output={exam}")
    plan = json.loads(exam.read_text())
    me, session = plan["candidates"][0], plan["sessions"][0]
    port = free_port()
    server = start_server(env, port)
    try:
        candidate = Browser(f"http://127.0.0.1:{port}")
        invigilator = Browser(f"http://127.0.0.1:{port}")
        assert candidate.request("/accounts/login/", {"csrfmiddlewaretoken": candidate.token("/accounts/login/"),
                                                      "username": me["email"], "password": password})[0] == 302
        status, candidacy, _ = candidate.request("/certification/", {
            "csrfmiddlewaretoken": candidate.token("/certification/"), "session_number": me["session"],
            "access_code": me["access_code"], "last_name": me["last_name"], "first_name": me["first_name"],
            "birth_date": me["birth_date"]})
        assert status == 302, status
        candidate.request(candidacy, {"csrfmiddlewaretoken": candidate.token(candidacy), "accepted": "on"})
        invigilator.request("/certification/invigilation/", {
            "csrfmiddlewaretoken": invigilator.token("/certification/invigilation/"),
            "session_number": session["number"], "password": session["password"]})
        live = f"/certification/invigilation/{session['number']}/"
        page = invigilator.request(live)[2]
        action = re.search(r'action="(/certification/invigilation/\d+/candidates/\d+/)"', page).group(1)
        assert invigilator.request(action, {"csrfmiddlewaretoken": invigilator.token(live), "action": "authorise"})[0] == 302
        status, test_url, _ = candidate.request(candidacy + "start/", {"csrfmiddlewaretoken": candidate.token(candidacy)})
        assert status == 302 and "/tests/" in test_url

        def answer_form():
            page = candidate.request(test_url)[2]
            if 'name="challenge_id"' not in page:
                return None
            return {"csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1),
                    "challenge_id": re.search(r'name="challenge_id" value="([^"]+)"', page).group(1),
                    "focus_lost": "0", "action": "skip"}

        acknowledged = 0
        first = answer_form()
        if 'action="' + test_url + 'timer/"' in candidate.request(test_url)[2]:
            candidate.request(test_url + "timer/", first)
        assert candidate.request(test_url + "answer/", first)[0] in (200, 302)
        acknowledged += 1

        kill_everything(server)
        server = start_server(env, port)
        replayed = candidate.request(test_url + "answer/", first)  # the same answer, sent again after the restart
        assert replayed[0] == 409
        for _ in range(40):
            form = answer_form()
            if form is None:
                break
            if 'action="' + test_url + 'timer/"' in candidate.request(test_url)[2]:
                candidate.request(test_url + "timer/", form)
            assert candidate.request(test_url + "answer/", form)[0] in (200, 302)
            acknowledged += 1
        assert form is None, "the test did not end"
    finally:
        kill_everything(server)

    import sqlite3

    database = sqlite3.connect(tmp_path / "balise.sqlite3")
    stored, positions, distinct_questions, counted = database.execute(
        "SELECT count(*), count(DISTINCT a.position), count(DISTINCT a.challenge_id), max(s.answered_count) "
        "FROM evaluation_answer a JOIN evaluation_assessment s ON s.id = a.assessment_id "
        "WHERE s.purpose = 'certification'").fetchone()
    assert stored == acknowledged == positions == distinct_questions == counted
    assert database.execute("SELECT result IS NOT NULL FROM certification_candidate").fetchone() == (1,)
