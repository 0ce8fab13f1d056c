"""What an operation hands back: the acknowledgement's answer and the changes to broadcast."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .changes import Change


@dataclass
class Outcome:
    answer: dict[str, Any]
    changes: list[Change] = field(default_factory=list)
