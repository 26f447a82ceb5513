"""The catalogue's cards of issue 18's evidence: the good-practice list at its fullest (every
nomination with the longest example, some to decide), an empty one, the notice to a Head of Service,
and the evidence pack's summary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from cards import good_practice_cards
from cards.base import CardDict
from cards.notice_cards import notice_card
from cards.registry import CardContext
from plf_core.good_practice import CONFIRMED, Nomination
from plf_core.good_practice_commands import MAX_SHOWN, GoodPracticeList, GoodPracticeNominated

DAY = date(2026, 12, 18)
EXAMPLE = (
    "Synthetic example: the worker saw the child alone at every visit, recorded their wishes in their own "
    "words and changed the plan with them; the manager's oversight is clear and timely. "
)


def _nomination(n: int, confirmed: bool) -> Nomination:
    return Nomination(
        1200 + n,
        "HOS4" if n % 2 else "G_practice",
        "Practice Learning Conversation / Self-Audit" if n % 2 else "Thematic Practice Review (CLA & Care Leavers)",
        f"DEMO-9001{n:02d}",
        "Children in Need & Protection North (demo)",
        1,
        "Children in Need & Protection (demo)",
        "blue" if n % 3 else "green",
        DAY,
        (EXAMPLE * 20)[:2000],
        "Hazel Testbury",
        "" if n % 2 else "Voice of the child and their wishes and feelings",
        CONFIRMED if confirmed else None,
        "Bramble Samplewell" if confirmed else "",
        DAY if confirmed else None,
    )


def evidence_cards() -> Iterator[tuple[str, CardDict]]:
    found = tuple(_nomination(n, n >= 6) for n in range(MAX_SHOWN + 5))
    full = GoodPracticeList(
        "Children in Need & Protection (demo)",
        "2026 Q4",
        "voice of the child",
        found,
        3,
        "good practice CNP voice of the child 2026-Q4",
        decides_all=True,
        note="You confirmed case DEMO-900100's example of good practice: it now counts as evidence.",
    )
    yield "evidence/good-practice", good_practice_cards.good_practice_list(full)
    empty = GoodPracticeList("the whole service", "", "", (), 0, "good practice")
    yield "evidence/good-practice-empty", good_practice_cards.good_practice_list(empty)
    notice = GoodPracticeNominated(
        1234,
        "DEMO-900123",
        "Children in Need & Protection North (demo)",
        "Thematic Practice Review (CLA & Care Leavers)",
        "Blue — Outstanding",
        "Hazel Testbury",
        "Children in Need & Protection (demo)",
    )
    yield "evidence/good-practice-nominated", notice_card(notice, CardContext(DAY))
    headline = [
        ("Audits due and returned", "118 of 144 planned"),
        ("Moderated", "31"),
        ("Weighted kappa", "0.62 (95% CI 0.41 to 0.83)"),
        ("Immediate concerns", "7"),
        ("Median minutes to acknowledge", "42.5"),
        ("Confirmed examples of good practice", "12"),
    ]
    url = "https://plf.example.org/links/evidence/" + "x" * 160 + ".html"
    yield "evidence/summary", good_practice_cards.evidence_summary("2026 Q3", headline, url, 7)
