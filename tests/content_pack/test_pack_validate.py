"""Each rule of `check_pack`: a fixture-pack copy broken in one place yields a problem that
names the file, the line, the record and the field."""

import pytest

from balise.content_pack import check_pack

SEARCH = "tubes/1.1/searchEngines.yaml"
FORMATS = "tubes/1.2/fileFormats.yaml"
BELGIAN = "tubes/2.1/publicServicesBe.yaml"

# fmt: off
# (name, file, old text, new text, text of the line reported, record id, field, message part)
BROKEN = [
    ("missing translation of an instruction", SEARCH,
     '          en: "You want the opening hours of your town\'s swimming pool. Which query works best?"\n',
     "", 'fr: "Vous cherchez les horaires', "searchEngines1a", "instruction",
     "missing translation 'en'"),
    ("missing translation of an option", SEARCH,
     '{id: c, fr: "piscine", en: "pool"}', '{id: c, fr: "piscine"}', '{id: c, fr: "piscine"}',
     "searchEngines1a", "options.c", "missing translation 'en'"),
    ("empty translation", SEARCH, 'title: {fr: "Choisir ses mots-clés", en: "Choosing keywords"}',
     'title: {fr: "Choisir ses mots-clés", en: " "}', 'title: {fr: "Choisir ses mots-clés"',
     "tuto-searchEngines-keywords", "title", "missing translation 'en'"),
    ("unknown language", SEARCH, 'en: "Type keywords into a search engine"',
     'de: "Suchbegriffe eingeben"', 'de: "Suchbegriffe eingeben"', "@searchEngines1",
     "description.de", "unknown language 'de'"),
    ("qcu solution not an option", SEARCH, "solution: [b]", "solution: [z]", "solution: [z]",
     "searchEngines1b", "solution", "'z' is not an option id"),
    ("qcu with two solutions", SEARCH, "solution: [a]\n        timer", "solution: [a, c]\n        timer",
     "solution: [a, c]", "searchEngines1a", "solution", "a qcu has exactly one right option, got 2"),
    ("qcm without a wrong option", SEARCH, "solution: [a, b]", "solution: [a, b, c]",
     "solution: [a, b, c]", "searchEngines2a", "solution", "at least one wrong option"),
    ("qcm with an unknown solution id", SEARCH, "solution: [a, b]", "solution: [a, x]",
     "solution: [a, x]", "searchEngines2a", "solution", "'x' is not an option id"),
    ("two options with one id", SEARCH, '{id: c, fr: "Wikipédia"', '{id: b, fr: "Wikipédia"',
     '{id: b, fr: "Wikipédia"', "searchEngines2a", "options.b", "two options have the id 'b'"),
    ("duplicate challenge id across files", FORMATS, "- id: fileFormats1a", "- id: searchEngines1a",
     "- id: searchEngines1a", "searchEngines1a", "id", "duplicate challenge id"),
    ("duplicate tutorial id across files", FORMATS, "id: tuto-fileFormats-video",
     "id: tuto-searchEngines-keywords", "id: tuto-searchEngines-keywords",
     "tuto-searchEngines-keywords", "id", "duplicate tutorial id"),
    ("skill level above 8", FORMATS, "level: 3", "level: 9", "level: 9", "@fileFormats3", "level",
     "from 1 to 8"),
    ("skill level 0", FORMATS, "level: 3", "level: 0", "level: 0", "@fileFormats3", "level",
     "from 1 to 8"),
    ("skill id that does not match its level", FORMATS, "level: 3", "level: 4", '- id: "@fileFormats3"',
     "@fileFormats3", "id", "expected '@fileFormats4'"),
    ("skill without a validated challenge", BELGIAN, "status: validated", "status: draft",
     '- id: "@publicServicesBe2"', "@publicServicesBe2", "challenges", "no validated challenge"),
    ("illustration without alt text", SEARCH,
     '            en: "Results page: first an advert \\"pools-booking.example\\", then \\"namur.be · Piscines communales\\"."\n',
     "", 'fr: "Page de résultats', "searchEngines1b", "illustration.alt",
     "missing translation 'en'"),
    ("illustration without any alt", SEARCH, "          alt:\n", "          old:\n",
     "file: media/results-page.svg", "searchEngines1b", "illustration.alt", "alt text"),
    ("illustration file that does not exist", SEARCH, "file: media/results-page.svg",
     "file: media/results-page-2.svg", "file: media/results-page-2.svg", "searchEngines1b",
     "illustration.file", "does not exist"),
    ("illustration version in an unknown language", SEARCH, "files: {en: media/results-page.en.svg}",
     "files: {de: media/results-page.svg}", "files: {de:",
     "searchEngines1b", "illustration.files.de", "unknown language 'de'"),
    ("illustration version that does not exist", SEARCH, "files: {en: media/results-page.en.svg}",
     "files: {en: media/results-page.en.png}", "files: {en:",
     "searchEngines1b", "illustration.files.en", "does not exist"),
    ("illustration outside media", SEARCH, "file: media/results-page.svg",
     "file: media/../pack.yaml", "file: media/../pack.yaml", "searchEngines1b",
     "illustration.file", "under media/"),
    ("attachment that does not exist", FORMATS,
     '        attachments:\n          - {file: media/formats.csv, name: {fr: "Formats (CSV)", en: "Formats (CSV)"}}\n        fields:',
     '        attachments:\n          - {file: media/budget.csv, name: {fr: "Formats (CSV)", en: "Formats (CSV)"}}\n        fields:',
     "file: media/budget.csv", "fileFormats1b", "attachments.file", "does not exist"),
    ("negative timer", SEARCH, "timer: 60", "timer: -5", "timer: -5", "searchEngines1a", "timer",
     "positive whole number of seconds"),
    ("excluded space that is not declared", SEARCH, "excluded_spaces: [fwb]",
     "excluded_spaces: [fr-ca]", "excluded_spaces: [fr-ca]", "searchEngines1b", "excluded_spaces",
     "unknown space 'fr-ca'"),
    ("excluded spaces that are not a list", SEARCH, "excluded_spaces: [fwb]",
     "excluded_spaces: fwb", "excluded_spaces: fwb", "searchEngines1b", "excluded_spaces",
     "expected a list of space slugs"),
    ("fractional timer", SEARCH, "timer: 60", "timer: 1.5", "timer: 1.5", "searchEngines1a",
     "timer", "positive whole number"),
    ("timer in quotes", SEARCH, "timer: 60", 'timer: "60"', 'timer: "60"', "searchEngines1a",
     "timer", "positive whole number"),
    ("unknown space", BELGIAN, "space: fwb", "space: fr-ch", "space: fr-ch",
     "publicServicesBe", "space", "unknown space 'fr-ch'"),
    ("unknown competence", FORMATS, 'competence: "1.2"', 'competence: "9.9"', 'competence: "9.9"',
     "fileFormats", "competence", "unknown competence '9.9'"),
    ("competence id not quoted", SEARCH, 'competence: "1.1"', "competence: 1.1", "competence: 1.1",
     "searchEngines", "competence", "in quotes"),
    ("tube in another competence's folder", FORMATS, 'competence: "1.2"', 'competence: "1.1"',
     'competence: "1.1"', "fileFormats", "competence", "its file is in tubes/1.2/"),
    ("validated challenge without reviewer", SEARCH,
     'irt: {a: 1.2, b: -0.5}\n        reviewed_by: "fixture reviewer"\n', "irt: {a: 1.2, b: -0.5}\n",
     "- id: searchEngines2a", "searchEngines2a", "reviewed_by", "needs 'reviewed_by'"),
    ("validated challenge without review date", BELGIAN, "        reviewed_on: 2026-11-28\n", "",
     "- id: publicServicesBe2a", "publicServicesBe2a", "reviewed_on", "needs 'reviewed_on'"),
    ("review date that is not a date", BELGIAN, "reviewed_on: 2026-11-28", "reviewed_on: yesterday",
     "reviewed_on: yesterday", "publicServicesBe2a", "reviewed_on", "expected a date"),
    ("qroc with two fields", FORMATS, 'accepted: {fr: ["ods", ".ods"], en: ["xlsx", ".xlsx"]}',
     ('accepted: {fr: ["ods", ".ods"], en: ["xlsx", ".xlsx"]}\n'
      '          - {id: other, label: {fr: "Autre", en: "Other"}, accepted: ["x"]}'),
     ("fields:", "- id: fileFormats1a"), "fileFormats1a", "fields",
     "a qroc has exactly one field, got 2"),
    ("open field without accepted answers", FORMATS, ', accepted: ["txt", ".txt"]', "",
     '{id: text, label: {fr: "Texte brut"', "fileFormats3a", "fields.text.accepted",
     "needs its accepted answers"),
    ("open field with an empty list of answers", FORMATS, 'accepted: ["txt", ".txt"]', "accepted: []",
     "accepted: []", "fileFormats3a", "fields.text.accepted", "non-empty list"),
    ("accepted answers missing in one language", FORMATS,
     'accepted: {fr: ["ods", ".ods"], en: ["xlsx", ".xlsx"]}', 'accepted: {fr: ["ods", ".ods"]}',
     'accepted: {fr: ["ods", ".ods"]}', "fileFormats1a", "fields.answer.accepted",
     "missing translation 'en'"),
    ("answer not in quotes", FORMATS, 'accepted: ["3"]', "accepted: [3]", "accepted: [3]",
     "fileFormats1b", "fields.answer.accepted", "write it in quotes"),
    ("qrocm-dep pool smaller than its fields", SEARCH,
     'pool: [["Qwant"], ["DuckDuckGo", "Duck Duck Go"], ["Ecosia"], ["Google"], ["Bing"]]',
     'pool: [["Qwant", "Ecosia"]]', 'pool: [["Qwant", "Ecosia"]]', "searchEngines2b", "pool",
     "1 answer group(s) in 'fr' for 2 fields"),
    ("qrocm-dep answer in two groups", SEARCH, '["Ecosia"], ["Google"]', '["Ecosia"], ["Qwant"]',
     '["Ecosia"], ["Qwant"]', "searchEngines2b", "pool", "'Qwant' is in two groups"),
    ("options in an open challenge", FORMATS, "        tolerances: [t1]\n        attachments:",
     "        tolerances: [t1]\n        options: [{id: a, fr: x, en: x}]\n        attachments:",
     "options: [{id: a, fr: x, en: x}]", "fileFormats3a", "options", "'options' is for qcu and qcm"),
    ("unknown tolerance", FORMATS, "tolerances: [t1]\n        attachments",
     "tolerances: [t4]\n        attachments", "tolerances: [t4]", "fileFormats3a", "tolerances",
     "expected a list among t1, t2, t3"),
    ("tutorial without text or url", FORMATS,
     '    url: {fr: "https://fr.wikipedia.org/wiki/Format_de_fichier", en: "https://en.wikipedia.org/wiki/File_format"}\n',
     "", "- id: tuto-fileFormats-video", "tuto-fileFormats-video", None, "needs a 'text'"),
    ("tutorial link that is not an address", FORMATS, '{fr: "https://fr.wikipedia.org/wiki/Format_de_fichier"',
     '{fr: "fr.wikipedia.org/wiki/Format_de_fichier"', 'fr: "fr.wikipedia.org', "tuto-fileFormats-video",
     "url.fr", "is not a web address"),
    ("tube without a tutorial in a language", FORMATS,
     ', en: "https://en.wikipedia.org/wiki/File_format"}', "}", "id: fileFormats", "fileFormats",
     "tutorials", "no tutorial in en"),
    ("tutorial for a skill of another tube", SEARCH, 'skills: ["@searchEngines1"]',
     'skills: ["@fileFormats1"]', 'skills: ["@fileFormats1"]', "tuto-searchEngines-keywords",
     "skills", "not skills of the tube searchEngines: @fileFormats1"),
    ("unknown key, a typo", SEARCH, "solution: [b]", "solutoin: [b]", "solutoin: [b]",
     "searchEngines1b", "solutoin", "unknown key 'solutoin' (did you mean 'solution'?)"),
    ("unknown key in a field", FORMATS, "numeric: true", "numerical: true", "numerical: true",
     "fileFormats1b", "fields.answer.numerical", "unknown key 'numerical'"),
    ("key written twice", BELGIAN, "        status: validated\n",
     "        status: validated\n        status: draft\n", "status: draft", "publicServicesBe2a",
     "status", "written twice"),
    ("tube id that differs from its file name", FORMATS, "id: fileFormats\n", "id: fileFormat\n",
     "id: fileFormat", "fileFormat", "id", "differs from its file name 'fileFormats.yaml'"),
    ("unknown challenge type", SEARCH, "type: qcm", "type: qcmu", "type: qcmu", "searchEngines2a",
     "type", "unknown type 'qcmu'"),
    ("unknown status", SEARCH, "status: validated\n        instruction: {fr: \"Citez",
     "status: valid\n        instruction: {fr: \"Citez", "status: valid", "searchEngines2b",
     "status", "unknown status 'valid'"),
    ("text not in quotes read as a boolean", SEARCH, '{id: b, fr: "DuckDuckGo", en: "DuckDuckGo"}',
     '{id: b, fr: "DuckDuckGo", en: No}', 'en: No}', "searchEngines2a", "options.b.en",
     "got false: write it in quotes"),
    ("accessibility flag that is not a boolean", FORMATS, "without_sight: false",
     "without_sight: maybe", "without_sight: maybe", "fileFormats3a",
     "accessibility.without_sight", "expected true or false"),
    ("irt discrimination not positive", SEARCH, "irt: {a: 1.2, b: -0.5}", "irt: {a: 0, b: -0.5}",
     "irt: {a: 0, b: -0.5}", "searchEngines2a", "irt.a", "must be positive"),
    ("competence without a name", "framework.yaml",
     '        name: {fr: "Interagir", en: "Interacting"}\n', "", '- id: "2.1"', "2.1", "name",
     "missing 'name'"),
    ("area with an unknown space", "framework.yaml", '  - id: "2"\n', '  - id: "2"\n    space: de\n',
     "space: de", "2", "space", "unknown space 'de'"),
    ("key of a pack written before spaces", BELGIAN, "space: fwb", "context: fwb", "context: fwb",
     "publicServicesBe", "context", "renamed 'space'"),
    ("a space's own tutorial that excludes spaces", BELGIAN, "  - id: tuto-publicServicesBe-ebox\n",
     "  - id: tuto-publicServicesBe-ebox\n    excluded_spaces: [fwb]\n", "excluded_spaces: [fwb]",
     "tuto-publicServicesBe-ebox", "excluded_spaces", "cannot exclude spaces"),
    ("tutorial of another space than its tube's", BELGIAN, "  - id: tuto-publicServicesBe-ebox\n",
     "  - id: tuto-publicServicesBe-ebox\n    space: other\n", "space: other",
     "tuto-publicServicesBe-ebox", "space", "unknown space 'other'"),
    ("space conflicting with the tube's", BELGIAN, "        status: validated\n",
     "        status: validated\n        space: shared\n", "space: shared", "publicServicesBe2a",
     "space", "differs from its tube's 'fwb'"),
]


@pytest.mark.parametrize(
    "file, old, new, reported_line, record_id, field, message",
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_each_rule_reports_file_line_record_and_field(pack, file, old, new, reported_line,
                                                     record_id, field, message):
    pack.edit(file, old, new)
    problems = check_pack(pack.root)
    expected_line = pack.line_of(file, reported_line)
    matching = [
        p for p in problems
        if p.file == pack.file(file) and p.line == expected_line and p.record_id == record_id
        and p.field == field and message in p.message
    ]
    assert matching, "\n".join(str(p) for p in problems) or "no problem reported"
    assert str(matching[0]).startswith(f"{pack.file(file)}:{expected_line}: {record_id}")


def test_a_space_slug_no_platform_could_have(pack):
    pack.edit("pack.yaml", "  fwb:\n", "  fwb:\n  Bad_Slug:\n    name: {fr: x, en: x}\n")
    problems = check_pack(pack.root)
    assert [(p.line, p.field) for p in problems if "cannot be a space slug" in p.message] == [
        (pack.line_of("pack.yaml", "  Bad_Slug:"), "spaces")
    ]


def test_the_fixture_pack_has_no_problem(fixture_pack):
    assert check_pack(fixture_pack) == []


def test_a_tube_without_skills(pack):
    (pack.root / "tubes/2.1/emptyTube.yaml").write_text(
        'id: emptyTube\ncompetence: "2.1"\nname: {fr: "Vide", en: "Empty"}\n'
        'description: {fr: "Rien.", en: "Nothing."}\n'
        "tutorials:\n  - {id: tuto-empty, kind: text, duration: 1, title: {fr: t, en: t},"
        " text: {fr: t, en: t}}\n",
        encoding="utf-8",
    )
    problems = check_pack(pack.root)
    assert [str(p) for p in problems] == [
        f"{pack.file('tubes/2.1/emptyTube.yaml')}:1: emptyTube.skills: the tube has no skills"
    ]


def test_invalid_yaml_is_reported_with_its_line(pack):
    pack.edit(SEARCH, "solution: [b]", "solution: [b")
    problems = check_pack(pack.root)
    syntax = [p for p in problems if p.file == pack.file(SEARCH)]
    assert len(syntax) == 1 and "not valid YAML" in syntax[0].message
    assert syntax[0].line is not None and syntax[0].line >= pack.line_of(SEARCH, "solution: [b")


def test_a_tube_file_in_the_wrong_place(pack):
    (pack.root / SEARCH).rename(pack.root / "tubes/searchEngines.yaml")
    problems = check_pack(pack.root)
    assert any(p.file == pack.file("tubes/searchEngines.yaml")
               and "tubes/<competence>/<tube id>.yaml" in p.message for p in problems)


def test_a_pack_without_licence(pack):
    (pack.root / "LICENSE").unlink()
    assert [p.message for p in check_pack(pack.root)] == [
        "the pack has no LICENSE file stating its licence"
    ]


def test_a_pack_without_pack_yaml_gives_one_problem(tmp_path):
    problems = check_pack(tmp_path)
    assert len(problems) == 1 and "no pack.yaml" in problems[0].message


def test_problems_are_sorted_by_file_and_line(pack):
    pack.edit(SEARCH, "timer: 60", "timer: 0")
    pack.edit(SEARCH, "solution: [b]", "solution: [z]")
    pack.edit(FORMATS, "level: 3", "level: 12")
    problems = check_pack(pack.root)
    assert [(p.file, p.line) for p in problems] == sorted((p.file, p.line) for p in problems)
    assert len(problems) == 3


def test_an_empty_tube_file(pack):
    (pack.root / "tubes/1.1/emptyTube.yaml").write_text("", encoding="utf-8")
    assert [str(p) for p in check_pack(pack.root)] == [
        f"{pack.file('tubes/1.1/emptyTube.yaml')}:1: expected a tube (a mapping), got nothing"
    ]


def test_pack_yaml_without_languages_stops_the_check_with_every_settings_problem(pack):
    (pack.root / "pack.yaml").write_text("id: p\nversion: 1\nlicence: CC-BY-SA-4.0\n")
    assert [(p.line, p.field) for p in check_pack(pack.root)] == [
        (1, "languages"),
        (2, "version"),
    ]
