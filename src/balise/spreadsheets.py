"""What every CSV file Balise writes shares, so that a spreadsheet in French opens it as it is:
UTF-8 with a BOM, `;` between cells, CRLF lines, and no cell a spreadsheet would run as a formula.
No Django here."""

import csv

BOM = "\ufeff"
# A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """csv.writer writes into this, and each line is handed on at once."""

    def write(self, text: str) -> str:
        return text


def line_writer():
    """A csv writer whose `writerow` returns the line it wrote (with the file's conventions)."""
    return csv.writer(_Line(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
