"""Content packs: plain YAML files holding a framework, challenges and tutorials.

No Django here: `load_pack` gives frozen dataclasses (model.py) that the web layer imports
into its database and the engine reads through `Pack.to_engine_framework`. The format is
described in docs/content-format.md.
"""

from .loader import PackError, load_pack, read_pack
from .problems import Problem
from .validate import check_pack

__all__ = ["PackError", "Problem", "check_pack", "load_pack", "read_pack"]
