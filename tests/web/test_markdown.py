"""Content texts are Markdown: formatting is rendered, raw HTML and unsafe links are not."""

import pytest

from balise.i18n.templatetags.balise import markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('`"annual report" filetype:pdf`', '<code>"annual report" filetype:pdf</code>'),
        ("`a & b`", "<code>a &amp; b</code>"),
        ('Say "hello" & go', 'Say "hello" &amp; go'),
        ("**bold** and *em*", "<strong>bold</strong> and <em>em</em>"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<b>x</b> `<b>`", "&lt;b&gt;x&lt;/b&gt; <code>&lt;b&gt;</code>"),
        ("[site](https://example.org)", '<a href="https://example.org">site</a>'),
    ],
)
def test_markdown_renders_formatting_and_shows_html_as_text(text, expected):
    assert expected in markdown(text)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " data:text/html,x",
        "vbscript:x",
        "javascript&#58;alert(1)",
        "&#106;avascript:alert(1)",
        "java&#9;script:alert(1)",
        "javascript&colon;alert(1)",
    ],
)
def test_unsafe_link_addresses_are_dropped(url):
    rendered = markdown(f"[click]({url}) ![pic]({url})")
    assert "href=" not in rendered and "src=" not in rendered
    assert "click" in rendered


def test_no_text_of_the_starter_pack_shows_an_escaped_entity():
    """What a learner read as &quot;x&quot; in 94 texts before: every text is rendered as the page does."""
    import re
    from pathlib import Path

    from balise.content_pack.loader import load_pack

    pack = load_pack(Path(__file__).resolve().parents[2] / "content")
    texts = []
    for challenge in pack.challenges:
        texts += list(challenge.instruction.values())
        for option in challenge.options:
            texts += list(option.text.values())
    for tutorial in pack.tutorials:
        texts += list((tutorial.text or {}).values())
    assert len(texts) > 1000
    double_escaped = [t for t in texts if re.search(r"&amp;(quot|amp|lt|gt|#\d+);", markdown(t))]
    assert not double_escaped, double_escaped[:3]
