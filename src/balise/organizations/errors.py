"""What the organizations app refuses, and the sentences people read about it.

A refusal is stored or raised as a code (an import's errors are kept as codes in the database),
and turned into a sentence at display time, in the reader's language.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from balise.organizations.learner_file import FileRefused

__all__ = ["FileRefused", "ReconciliationRefused", "file_refusal_message", "line_error_message"]


class ReconciliationRefused(Exception):
    """A person joining a campaign was not found on the organization's list, or not safely.

    reason: "no_match" (nobody with these names and this birth date), "several_matches" (more
    than one: the list must be corrected), "already_reconciled" (the learner is linked to
    another account), "left" (the person's learner left the list at a later import)."""

    REASONS = ("no_match", "several_matches", "already_reconciled", "left")

    def __init__(self, reason: str, organization_name: str = ""):
        assert reason in self.REASONS, reason
        super().__init__(reason)
        self.reason = reason
        self.organization_name = organization_name

    @property
    def message(self) -> str:
        names = {"organization": self.organization_name}
        if self.reason == "several_matches":
            return _(
                "Several learners of %(organization)s have these names and this birth date: ask the "
                "organization's administrator to correct its list."
            ) % names
        if self.reason == "already_reconciled":
            return _(
                "This learner of %(organization)s is already linked to another Balise account. If it is "
                "yours, log in with that account; otherwise ask the organization's administrator."
            ) % names
        if self.reason == "left":
            return _("You are no longer on the list of %(organization)s: ask its administrator.") % names
        return _(
            "We could not find you on the list of %(organization)s. Write your first name, last name and "
            "birth date as the organization knows them, or ask its administrator."
        ) % names


def quoted(text: str) -> str:
    return _("“%(text)s”") % {"text": text}


def file_refusal_message(error: FileRefused) -> str:
    details = error.details
    if error.code == "empty":
        return _("The file is empty.")
    if error.code == "too_large":
        return _("The file is too large: at most %(limit)s MB.") % {"limit": details["limit_mb"]}
    if error.code == "spreadsheet":
        return _(
            "This is a spreadsheet, not a CSV file: in your spreadsheet, choose File, Save as, and the "
            "type CSV (separated by semicolons or commas)."
        )
    if error.code in ("not_text", "not_csv"):
        return _("This is not a CSV file: choose a file ending in .csv, saved from a spreadsheet as CSV.")
    if error.code == "no_learners":
        return _("The file has no learner: only its first line (the column names).")
    if error.code == "too_many_lines":
        return _("The file has too many lines: at most %(limit)s learners per file.") % {"limit": details["limit"]}
    if error.code == "duplicate_column":
        return _("The columns “%(column)s” and “%(other)s” give the same information: keep one.") % details
    if error.code == "missing_columns":
        names = []
        # One or two columns missing: their other accepted names help. More: the table of the
        # columns on the page lists them, and the first line quoted shows what went wrong.
        for name, accepted in details["accepted"].items():
            if len(accepted) > 1 and len(details["accepted"]) <= 2:
                names.append(_("%(column)s (or %(others)s)") % {
                    "column": quoted(name), "others": ", ".join(quoted(other) for other in accepted[1:]),
                })
            else:
                names.append(quoted(name))
        message = ngettext(
            "A column is missing: %(columns)s.", "Columns are missing: %(columns)s.", len(details["columns"])
        ) % {"columns": ", ".join(names) if len(names) > 2 else "; ".join(names)}
        if details.get("found"):
            message += " " + _("The first line of the file reads: %(found)s.") % {
                "found": ", ".join(quoted(name) for name in details["found"][:12])
            }
        return message
    if error.code == "busy":
        return _("An import of this organization's list is already under way: wait until it ends.")
    return _("This file cannot be read as a list of learners.")


def line_error_message(error: dict) -> str:
    """The reason of one error of an import (stored as a dict of learner_file.LineError)."""
    code, value = error.get("code"), error.get("value", "")
    if code == "required":
        return _("This value is required.")
    if code == "too_long":
        return _("Too long: at most %(limit)s characters.") % {"limit": error.get("limit")}
    if code == "date":
        return _("“%(value)s” is not a date: write it DD/MM/YYYY (or YYYY-MM-DD).") % {"value": value}
    if code == "date_range":
        return _("“%(value)s” is not a possible birth date (from 1900 to today).") % {"value": value}
    if code == "identifier":
        return _("“%(value)s”: only letters, digits, hyphens and underscores.") % {"value": value}
    if code == "email":
        return _("“%(value)s” is not an e-mail address.") % {"value": value}
    if code == "duplicate":
        return _("“%(value)s” is already on line %(line)s: each learner appears once.") % {
            "value": value, "line": error.get("other_line"),
        }
    if code == "fields":
        return _("This line has %(found)s values where the first line names %(expected)s columns.") % {
            "found": value, "expected": error.get("limit"),
        }
    if code == "encoding":
        return _("“%(value)s” looks wrongly encoded: save the file again as CSV UTF-8.") % {"value": value}
    if code == "name":
        return _("“%(value)s” has no letter.") % {"value": value}
    return _("This value cannot be read.")
