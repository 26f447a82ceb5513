"""One set of figures for a period and a scope, defined once: `status`, the highlight report and
SLT's escalation all read these, so the same quarter never shows two different numbers.

- assigned: Practice Learning Conversations due within the period;
- returned: those returned (submitted) within the period, whenever they were due;
- outstanding: due within the period and not returned by its end (for a period not over yet: not
  returned yet); overdue: of the outstanding, those past their due date today;
- moderated: audits whose moderation was completed within the period;
- actions open: actions of audits in scope not yet done and due by the period's end; overdue: of
  those, past their deadline today.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figures:
    assigned: int = 0
    returned: int = 0
    outstanding: int = 0
    overdue: int = 0
    moderated: int = 0
    actions_open: int = 0
    actions_overdue: int = 0
