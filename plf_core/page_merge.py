"""Two people on one page: a card made at one version saved over answers others changed since.

What they changed and this card did not is kept; what both changed, to different values, is a
conflict the later person sees with both values (theirs still typed in the box).
"""

from __future__ import annotations

from collections.abc import Mapping

from plf_core.forms.validation import Value


def merge_page(
    mine: set[str], base: Mapping[str, Value], stored: Mapping[str, Value], typed: Mapping[str, Value]
) -> tuple[dict[str, Value], dict[str, Value | None]]:
    """A card made at `base`, saved over `stored`: the fields this person did not change keep what is
    stored now; a field both changed, to different values, is a conflict (stored kept, for now)."""
    merged = dict(typed)
    conflicts: dict[str, Value | None] = {}
    for k in mine | set(stored):
        now, was, theirs_changed = stored.get(k), base.get(k), stored.get(k) != base.get(k)
        if not theirs_changed:
            continue
        if k not in mine or merged.get(k) == was:  # only they changed it
            _put(merged, k, now)
        elif merged.get(k) != now:  # both changed it, differently
            conflicts[k] = now
            _put(merged, k, now)
    return merged, conflicts


def conflict_message(who: str, theirs: Value | None) -> str:
    said = f"\u201c{str(theirs)[:300]}\u201d" if theirs not in (None, "") else "nothing (they cleared it)"
    return f"{who} changed this meanwhile to {said}. Yours is in the box: press Save to keep it."


def _put(values: dict[str, Value], key: str, value: Value | None) -> None:
    if value is None:
        values.pop(key, None)
    else:
        values[key] = value
