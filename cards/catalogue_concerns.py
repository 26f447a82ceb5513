"""The catalogue's cards of immediate concerns, at their largest: the box on a page (refused, with what was
typed), the urgent card at each level, the word to the person who raised it, the answer to "I'm dealing with
this", and `concerns` with as many as it lists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from cards.base import CardDict
from cards.concern_cards import concern_list, concern_screen
from cards.form_pages import AuditRef, PageView, readonly_card
from cards.notice_cards import CardContext, notice_card
from cards.page_dicts import page_card
from plf_core.concern_commands import MAX_LISTED, ConcernList
from plf_core.concern_notices import ConcernAcknowledged, ImmediateConcern
from plf_core.concern_ports import ConcernBox, ConcernRow
from plf_core.concerns import MAX_TEXT, ConcernScreen
from plf_core.forms.model import Contributor
from plf_core.forms.registry import get_form

DAY = date(2026, 12, 18)
AT = datetime(2026, 12, 17, 22, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
LONG = (
    "Visit notes on 3 December record bruising to the left forearm; no strategy discussion is recorded and "
    "the child was not seen alone. "
) * 20
PLC = get_form("practice_learning_conversation")
HOLDER = "Hazel Testbury (Service Manager)"


def _row(n: int, acknowledged: bool) -> ConcernRow:
    raised = AT - timedelta(hours=n)
    return ConcernRow(
        concern_id=100 + n,
        description=LONG[:MAX_TEXT],
        at_risk_now=n % 3 == 0,
        raised_at=raised,
        level=n % 3,
        case_ref=f"DEMO-9{n:05d}",
        team_name="Children in Need & Protection North (demo)",
        area_id=2,
        area_name="Children in Need (demo)",
        audit_id=1234,
        form_id=PLC.id,
        page_id=PLC.pages[2].id,
        raised_by_id=7,
        raised_by_name="Rowan Demoford",
        acknowledged_by_id=9 if acknowledged else None,
        acknowledged_by_name="Hazel Testbury" if acknowledged else "",
        acknowledged_at=raised + timedelta(minutes=37) if acknowledged else None,
    )


def _notice(level: int, reason: str) -> ImmediateConcern:
    where = f"{PLC.title} (audit 1234), page 3 of {len(PLC.pages)}"
    return ImmediateConcern(
        103, 1234, "DEMO-900123", "Children in Need & Protection North (demo)", "Rowan Demoford",
        "Thu 17 Dec 2026, 22:00", where, LONG[:MAX_TEXT], "yes" if level else "", level, reason,
    )  # fmt: skip


def concern_cards() -> Iterator[tuple[str, CardDict]]:
    context = CardContext(DAY, None)
    yield "concerns/urgent-to-the-practice-lead", notice_card(_notice(0, ""), context)
    waited = "nobody has said they have it after 60 minutes"
    yield "concerns/urgent-to-the-head-of-service", notice_card(_notice(1, waited), context)
    yield (
        "concerns/told-who-has-it",
        notice_card(
            ConcernAcknowledged(103, "DEMO-900123", "Hazel Testbury (Service Manager)", "22:37 on Thu 17 Dec"), context
        ),
    )
    ref = AuditRef(1234, 7, "DEMO-900123", "Team CNP-N · due Thu 31 Dec 2026")
    refused = ConcernBox(LONG[:MAX_TEXT], True, "Say what the concern is: nothing was sent.")
    page = PLC.pages[2]
    yield (
        "concerns/page-with-the-box-refused",
        page_card(PageView(PLC, ref, page.id, {}, frozenset({Contributor.PRACTITIONER}), concern=refused)),
    )
    sent = "Your concern has gone to Hazel Testbury (Practice Lead) and Rowan Lead (Service Manager)."
    yield (
        "concerns/read-only-page-after-raising",
        readonly_card(PageView(PLC, ref, page.id, {}, frozenset(), note=sent)),
    )
    yield (
        "concerns/dealing-with-it",
        concern_screen(
            ConcernScreen(_row(3, True), "You have this concern: the person who raised it has been told.", True, LONDON)
        ),
    )
    rows = tuple(_row(n, n % 2 == 0) for n in range(MAX_LISTED))
    yield "concerns/list", concern_list(ConcernList(rows, "every service area", 90, AT, LONDON, more=True))
    yield "concerns/list-empty", concern_list(ConcernList((), "your service area", 90, AT, LONDON))
