"""Reading the simulators' JSON input files, with errors that name the file and the field."""

import json
from pathlib import Path
from typing import Any


class InputFileError(ValueError):
    """A bad simulator input file; the message starts with the file and the path of the
    field, e.g. `FW.json: tubes[2].skills[0].level: expected an integer 1-8`."""


def load_json(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InputFileError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise InputFileError(f"{path}: line {error.lineno} column {error.colno}: invalid JSON: {error.msg}") from None
