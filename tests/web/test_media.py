"""Illustrations and attachments of the content pack: shown on the challenge page, served by
`content_media`, and nothing outside the pack's media folder is ever served."""

import html
import re
import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from balise.evaluation.models import Assessment
from solutions import challenge_ref

pytestmark = pytest.mark.django_db

# tests/fixtures/pack: searchEngines1b (1.1) has an illustration, fileFormats3a (1.2) an attachment.
ILLUSTRATED = "searchEngines1b"
ILLUSTRATION_ALT_FR = (
    "Page de résultats : d'abord une annonce « pools-booking.example », puis « namur.be · Piscines communales »."
)
WITH_ATTACHMENT = "fileFormats3a"


def page_of(client, learner, competence_id: str, challenge_id: str) -> tuple[str, str]:
    """The test page of `competence_id` showing `challenge_id` as its current question."""
    test_url = client.post(reverse("evaluation:start", args=[competence_id]))["Location"]
    Assessment.objects.filter(user=learner, competence_id=competence_id).update(
        current_challenge_id=challenge_id, current_shown_at=timezone.now()
    )
    page = client.get(test_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert f'name="challenge_id" value="{challenge_ref(test_url, challenge_id)}"' in text
    return test_url, text


def test_the_illustration_is_shown_with_its_alternative_text(learner_client, learner, content, settings):
    settings.CONTENT_PACK_DIR = content
    _url, page = page_of(learner_client, learner, "1.1", ILLUSTRATED)
    images = re.findall(r"<img\b[^>]*>", page)
    assert len(images) == 1
    src = re.search(r'src="([^"]+)"', images[0]).group(1)
    alt = html.unescape(re.search(r'alt="([^"]*)"', images[0]).group(1))
    assert alt == ILLUSTRATION_ALT_FR
    assert src == reverse("site:content_media", args=["results-page.svg"])
    response = learner_client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "attachment" not in response.get("Content-Disposition", "")  # shown, not downloaded
    assert b"".join(response.streaming_content) == (content / "media" / "results-page.svg").read_bytes()


def test_the_illustration_alt_follows_the_learners_language(learner_client, learner, content, settings):
    settings.CONTENT_PACK_DIR = content
    learner_client.post(reverse("site:language_change"), {"language": "en", "next": "/"})
    _url, page = page_of(learner_client, learner, "1.1", ILLUSTRATED)
    alt = html.unescape(re.search(r'<img\b[^>]*\balt="([^"]*)"', page).group(1))
    assert alt == 'Results page: first an advert "pools-booking.example", then "namur.be · Piscines communales".'
    # The pack has a version of this picture with its texts in English: the page shows it.
    src = re.search(r'<img\b[^>]*\bsrc="([^"]*)"', page).group(1)
    assert src == reverse("site:content_media", args=["results-page.en.svg"])
    assert b"Municipal pools" in b"".join(learner_client.get(src).streaming_content)


def test_attachments_have_a_working_download_link(learner_client, learner, content, settings):
    settings.CONTENT_PACK_DIR = content
    _url, page = page_of(learner_client, learner, "1.2", WITH_ATTACHMENT)
    links = re.findall(r'<ul class="attachments">.*?</ul>', page, re.S)
    assert links, "no attachment list on the page"
    anchors = re.findall(r'<a href="([^"]+)"([^>]*)>(.*?)</a>', links[0], re.S)
    assert len(anchors) == 1
    href, attributes, text = anchors[0]
    assert "download" in attributes.split()
    assert "Formats (CSV)" in text  # the attachment's name in the page's language
    assert href == reverse("site:content_media", args=["formats.csv"])
    response = learner_client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="formats.csv"'
    assert b"".join(response.streaming_content) == (content / "media" / "formats.csv").read_bytes()


SECRET = b"not for the learners' eyes"


@pytest.fixture
def pack_with_secrets(content, tmp_path, settings):
    """A copy of the fixture pack, with files the site must never serve around its media folder."""
    pack = tmp_path / "pack"
    shutil.copytree(content, pack)
    (pack / "secret.txt").write_bytes(SECRET)
    (pack / "media-private").mkdir()  # shares the media folder's name as a prefix
    (pack / "media-private" / "secret.txt").write_bytes(SECRET)
    (pack / "media" / "linked.txt").symlink_to(pack / "secret.txt")  # a link that leads out
    settings.CONTENT_PACK_DIR = pack
    return pack


def test_a_media_file_of_the_pack_is_served(client, pack_with_secrets):
    response = client.get("/content-media/formats.csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (pack_with_secrets / "media" / "formats.csv").read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "%2e%2e/secret.txt",
        "%2E%2E%2Fsecret.txt",
        "..%2fsecret.txt",
        "./../secret.txt",
        "formats.csv/../../secret.txt",
        "../media-private/secret.txt",
        "%2e%2e/media-private/secret.txt",
        "../../pack/secret.txt",
        "linked.txt",
        "..",
        ".",
        "missing.svg",
    ],
)
def test_content_media_refuses_paths_out_of_the_media_folder(client, pack_with_secrets, path):
    response = client.get("/content-media/" + path)
    assert response.status_code == 404
    assert SECRET not in response.content


def test_content_media_refuses_absolute_paths(client, pack_with_secrets):
    for absolute in [pack_with_secrets / "secret.txt", pack_with_secrets / "media-private" / "secret.txt"]:
        response = client.get("/content-media/" + str(absolute))  # /content-media//tmp/…/secret.txt
        assert response.status_code == 404, absolute
        assert SECRET not in response.content
    assert client.get("/content-media//etc/passwd").status_code == 404
    assert client.get("/content-media/%2Fetc%2Fpasswd").status_code == 404


def test_content_media_refuses_a_null_byte(pack_with_secrets):
    """A crafted URL is refused as any text holding NUL is (400, decision 0024), not a server error."""
    from django.test import Client

    response = Client(raise_request_exception=False).get("/content-media/formats.csv%00.svg")
    assert response.status_code == 400 and "Rien n" in response.content.decode()
