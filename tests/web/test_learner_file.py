"""Reading a list of learners from a CSV file, without a database: the formats French
spreadsheets write, every error with its line and column, and the names compared for
reconciliation."""

from datetime import date

import pytest

from balise.organizations.learner_file import (
    HIGHER_EDUCATION,
    SCHOOL,
    FileRefused,
    decode,
    name_key,
    name_search_text,
    name_tokens,
    read_learners,
    same_fields,
)

TODAY = date(2026, 12, 7)
SIECLE_HEADER = (
    "Identifiant unique*;Premier prénom*;Deuxième prénom;Troisième prénom;Nom de famille*;Nom d'usage;Sexe*;"
    "Date de naissance (jj/mm/aaaa)*;Code commune naissance**;Libellé commune naissance**;Code département naissance*;"
    "Code pays naissance*;Statut*;Code MEF*;Division*"
)


def siecle(*lines: str) -> str:
    return "\r\n".join([SIECLE_HEADER, *lines]) + "\r\n"


def test_a_siecle_export_from_a_french_spreadsheet_reads_whole():
    text = siecle(
        "123456789AB;Élodie;Marie;;Lefèvre;;F;05/03/2012;75056;;075;100;ST;10010012110;5e B",
        "223456789ab;Noé;;;N'Diaye-Martin;;M;2012-11-30;;Dakar;099;341;ST;10010012110;5e A",
    )
    for data in (text.encode("cp1252"), text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        result = read_learners(data, SCHOOL, today=TODAY)
        assert result.error_count == 0, result.errors
        first, second = result.learners
        assert (first.identifier, first.first_name, first.last_name, first.birth_date, first.group) == (
            "123456789AB", "Élodie", "Lefèvre", date(2012, 3, 5), "5e B",
        )
        # The INE in capitals (the same pupil either way), the ISO date, the line numbers.
        assert (second.identifier, second.birth_date, second.line) == ("223456789AB", date(2012, 11, 30), 3)


def test_english_columns_and_commas_for_higher_education():
    data = (
        "Student number,First name,Last name,Birth date,Group,Email,Diploma,Department\n"
        "ETU-001,Ana,Silva,1.2.2004,L1 G2,Ana.Silva@Example.org,Licence,Sciences\n"
    ).replace("1.2.2004", "01/02/2004").encode()
    [learner] = read_learners(data, HIGHER_EDUCATION, today=TODAY).learners
    assert (learner.identifier, learner.group, learner.email, learner.diploma, learner.department) == (
        "ETU-001", "L1 G2", "ana.silva@example.org", "Licence", "Sciences",
    )


def test_the_reference_platforms_higher_education_template_reads():
    data = (
        "Premier prénom;Deuxième prénom;Troisième prénom;Nom de famille;Nom d'usage;Date de naissance (jj/mm/aaaa);"
        "Email;Numéro étudiant;Composante;Équipe pédagogique;Groupe;Diplôme;Régime\n"
        "Léa;;;Dubois;;12/07/2003;;20231234;UFR Lettres;;TD3;Licence;FI\n"
    ).encode("cp1252")
    [learner] = read_learners(data, HIGHER_EDUCATION, today=TODAY).learners
    assert (learner.identifier, learner.department, learner.group) == ("20231234", "UFR Lettres", "TD3")


def test_every_error_is_reported_with_its_line_and_column():
    data = siecle(
        "A1;Élodie;;;Lefèvre;;F;31/02/2012;;;;;;;5e B",  # no such date
        ";Noé;;;Martin;;M;01/01/2012;;;;;;;5e A",  # no identifier
        "A3;;;;Durand;;M;01/01/1850;;;;;;;",  # no first name, a date before 1900, no class
        "A1;Zoé;;;Petit;;F;2013-01-01;;;;;;;5e A",  # the identifier of line 2 again
        "A5;Jean Ã©;;;Roux;;M;01/01/2012;;;;;;;5e A",  # UTF-8 read once as Windows-1252
        "A6;Luc;;;Blanc;;M;01/01/12;;;;;;;5e A",  # a two-digit year
    ).encode()
    result = read_learners(data, SCHOOL, today=TODAY)
    found = [(e.line, e.column, e.code) for e in result.errors]
    assert found == [
        (2, "Date de naissance (jj/mm/aaaa)*", "date"),
        (3, "Identifiant unique*", "required"),
        (4, "Premier prénom*", "required"),
        (4, "Division*", "required"),
        (4, "Date de naissance (jj/mm/aaaa)*", "date_range"),
        (5, "Identifiant unique*", "duplicate"),
        (6, "Premier prénom*", "encoding"),
        (7, "Date de naissance (jj/mm/aaaa)*", "date"),
    ]
    assert result.errors[5].other_line == 2
    assert result.error_count == 8


def test_errors_beyond_the_cap_are_counted_not_kept():
    lines = [f"A{i};Prénom;;;Nom;;F;pas une date;;;;;;;5e" for i in range(50)]
    result = read_learners(siecle(*lines).encode(), SCHOOL, today=TODAY, max_errors=10)
    assert (len(result.errors), result.error_count) == (10, 50)


def test_a_quoted_field_over_two_lines_keeps_the_line_numbers_true():
    data = (
        'Numéro étudiant;Prénom;Nom;Date de naissance;Groupe\n'
        'E1;"Anne\nMarie";Durand;01/01/2001;G1\n'
        'E2;Paul;Martin;bad;G1\n'
    ).encode()
    result = read_learners(data, HIGHER_EDUCATION, today=TODAY)
    assert [(e.line, e.code) for e in result.errors] == [(4, "date")]


def test_a_line_with_more_values_than_columns_is_an_error_of_the_line():
    data = "Numéro étudiant;Prénom;Nom;Date de naissance\nE1;Anne;Durand;01/01/2001;en trop\n".encode()
    [error] = read_learners(data, HIGHER_EDUCATION, today=TODAY).errors
    assert (error.line, error.column, error.code, error.value, error.limit) == (2, "", "fields", "5", 4)


@pytest.mark.parametrize(
    "data, code",
    [
        (b"", "empty"),
        (b"  \r\n", "empty"),
        (b"PK\x03\x04 an xlsx", "spreadsheet"),
        (b"\xd0\xcf\x11\xe0 an xls", "spreadsheet"),
        (b"\x00\x01\x02binary", "not_text"),
        ("Numéro étudiant;Prénom;Nom;Date de naissance\n".encode(), "no_learners"),
        ("Numéro étudiant;Prénom;Nom;Date de naissance\n;;;\n".encode(), "no_learners"),
    ],
)
def test_a_file_that_is_not_a_list_says_why(data, code):
    with pytest.raises(FileRefused) as refusal:
        read_learners(data, HIGHER_EDUCATION, today=TODAY)
    assert refusal.value.code == code


def test_missing_columns_are_named_with_what_the_file_has():
    with pytest.raises(FileRefused) as refusal:
        read_learners("Nom;Prénom;Date\nA;B;01/01/2000\n".encode(), SCHOOL, today=TODAY)
    assert refusal.value.code == "missing_columns"
    assert refusal.value.details["columns"] == ["Identifiant unique", "Date de naissance", "Division"]
    assert refusal.value.details["found"] == ["Nom", "Prénom", "Date"]


def test_a_column_given_twice_is_refused():
    with pytest.raises(FileRefused) as refusal:
        read_learners("INE;Identifiant unique;Prénom;Nom;Date de naissance;Classe\n".encode(), SCHOOL, today=TODAY)
    assert (refusal.value.code, refusal.value.details["column"]) == ("duplicate_column", "Identifiant unique")


def test_a_file_too_large_is_refused_before_reading():
    with pytest.raises(FileRefused) as refusal:
        decode(b"x" * (10 * 1024 * 1024 + 1))
    assert refusal.value.code == "too_large"


def test_names_compare_without_case_accents_hyphens_or_apostrophes():
    assert name_tokens("Jean-Pierre D'ARTAGNAN") == ("jean", "pierre", "d", "artagnan")
    assert name_key("Jean-Pierre", "D’Artagnan") == name_key("jean pierre", "d artagnan") == name_key("Pierre Jean", "d'Artagnan")
    assert name_key("Élodie", "Lefèvre") == name_key("ELODIE", "LEFEVRE")
    assert name_key("Zoë", "Lœuvre") == name_key("zoe", "loeuvre")
    # First and last names exchanged have the same key; same_fields tells them apart.
    assert name_key("Martin", "Louis") == name_key("Louis", "Martin")
    assert not same_fields("Martin", "Louis", "Louis", "Martin")
    assert same_fields("Marie-Claire", "Dupont", "Claire Marie", "dupont")
    assert name_key("Anne", "Durand") != name_key("Anne-Sophie", "Durand")


def test_the_search_text_holds_the_words_and_each_name_without_separators():
    assert name_search_text("Noé", "N'Diaye") == "n diaye noe ndiaye"
    assert name_search_text("Zoé", "Petit") == "petit zoe"
