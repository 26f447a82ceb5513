"""The bot's turn handler: activities and card actions in, workflow use cases, cards out.

Every activity refreshes the sender's conversation reference. Each turn is one unit of
work: the workflow's writes, its outbox notices and the access log commit together, and
the dispatcher is then woken to deliver the notices.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment, InvokeResponse, TurnContextProtocol
from microsoft_agents.hosting.core import ActivityHandler, MessageFactory

from bot.actions import ActionRequest, BadAction, parse_action
from bot.links import SignedLinks
from bot.pace import Pace, reply
from cards import workflow as workflow_cards
from cards.base import CardDict
from cards.screens import ScreenContext, screen_card
from plf_core import card_actions, chat, unknown_senders
from plf_core.clock import Clock
from plf_core.errors import Conflict, Contended, NotAllowed, NotFound, PlfError, Refused, ValidationFailed
from plf_core.people import Actor
from plf_core.ports import AbstractUnitOfWork, Conversations, People, UnitOfWorkFactory
from plf_core.turn import Turn
from plf_core.workflow import PageScreen, ReviewScreen

CONTENDED_TRIES = 3
AnyScreen = object  # what a use case answers: cards.screens has a card for each kind

log = logging.getLogger(__name__)
CARD = "application/vnd.microsoft.card.adaptive"
#: An unchanged conversation reference is written again after this long (seconds).
REMEMBER_FOR_S = 300.0


def attachment(card: CardDict) -> Attachment:
    return Attachment(content_type=CARD, content=card)


def card_response(card: CardDict) -> InvokeResponse:
    return InvokeResponse(status=200, body={"statusCode": 200, "type": CARD, "value": card})


def error_response(status: int, code: str, message: str) -> InvokeResponse:
    return InvokeResponse(
        status=200,
        body={
            "statusCode": status,
            "type": "application/vnd.microsoft.error",
            "value": {"code": code, "message": message},
        },
    )


class ActorCache:
    """Who is who, remembered briefly: every activity needs it, and the directory rarely changes.

    An entry lives `ttl` seconds, so a directory import reaches every instance within that time."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[float, Actor | None]] = {}

    async def get(self, people: People, aad: str) -> Actor | None:
        now = time.monotonic()
        entry = self._entries.get(aad)
        if entry is not None and entry[0] > now:
            return entry[1]
        actor = await people.actor_by_aad(aad)
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[aad] = (now + (self.ttl if actor else min(self.ttl, 5.0)), actor)
        return actor


class RefreshUsers:
    """Each person's Teams user ids, for the refresh.userIds of the cards they share, remembered
    `ttl` seconds: every card action needs them and they change only when someone installs."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl = ttl
        self._entries: dict[int, tuple[float, tuple[str, ...]]] = {}

    async def get(self, conversations: Conversations, people: set[int]) -> tuple[str, ...]:
        now = time.monotonic()
        users: set[str] = set()
        missing = []
        for person in people:
            entry = self._entries.get(person)
            if entry is None or entry[0] <= now:
                missing.append(person)
            else:
                users.update(entry[1])
        if missing:
            found = await conversations.teams_user_ids(missing)
            if len(self._entries) > 10_000:
                self._entries.clear()
            for person in missing:
                self._entries[person] = (now + self.ttl, tuple(found.get(person, ())))
                users.update(found.get(person, ()))
        return tuple(sorted(users))

    def forget(self, person_id: int) -> None:
        self._entries.pop(person_id, None)


def typed_by_button(value: object) -> str:
    """A button that types a command (imBack): Teams sends it as text; the Agents Playground sends the
    button's data instead ({"msteams": {"type": "imBack", "value": "status"}}), read here the same way."""
    msteams = value.get("msteams") if isinstance(value, dict) else None
    if isinstance(msteams, dict) and msteams.get("type") == "imBack" and isinstance(msteams.get("value"), str):
        return str(msteams["value"]).strip()
    return ""


class PlfAgent(ActivityHandler):
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        settings: chat.ChatSettings,
        clock: Clock,
        notices_written: Callable[[], Awaitable[None]] | None = None,
        links: SignedLinks | None = None,
        pace: Pace | None = None,
    ) -> None:
        """`pace`: the dispatcher's, so that replies and notices together keep within Teams' limits."""
        self.pace = pace
        self.uow = uow
        #: for card saves: a unit of work that holds its writes and makes them in one statement at its end
        #: (store.write_batch); the same as `uow` unless the composition root gives one
        self.saves = uow
        self.clock = clock
        self.links = links
        self.settings = settings
        self.notices_written = notices_written
        self.actors = ActorCache()
        self.refresh_users = RefreshUsers()
        #: aad -> (until, (serviceUrl, conversation id)) this instance has stored recently
        self._remembered: dict[str, tuple[float, tuple[str, str]]] = {}

    # --- every activity -------------------------------------------------------------------

    async def on_turn(self, turn_context: TurnContextProtocol[Any]) -> None:
        try:
            await self._remember_sender(turn_context.activity)
        except Exception:  # never lose the person's action over the bookkeeping
            log.exception("could not store the conversation reference", extra={"activity_id": turn_context.activity.id})
        await super().on_turn(turn_context)

    async def _remember_sender(self, activity: Activity) -> None:
        sender = activity.from_property
        aad = getattr(sender, "aad_object_id", None) if sender else None
        if not aad or not activity.service_url or not activity.conversation:
            return
        seen = (activity.service_url, activity.conversation.id)
        remembered = self._remembered.get(aad.lower())
        if remembered is not None and remembered[1] == seen and remembered[0] > time.monotonic():
            return  # this instance stored this very reference a moment ago
        reference = activity.get_conversation_reference().model_dump(by_alias=True, exclude_none=True, mode="json")
        tenant = getattr(activity.conversation, "tenant_id", None)
        requeued = 0
        async with self.uow() as uow:
            actor = await self.actors.get(uow.people, aad.lower())
            reachable = await uow.conversations.remember(
                aad_object_id=aad.lower(),
                person_id=actor.person_id if actor else None,
                tenant_id=tenant,
                service_url=activity.service_url,
                conversation_id=activity.conversation.id,
                reference=reference,
            )
            removing = activity.type == ActivityTypes.installation_update and activity.action == "remove"
            if reachable and actor is not None and not removing:
                requeued = await uow.outbox.requeue_for(actor.person_id)
        if actor is not None:
            self._remembered[aad.lower()] = (time.monotonic() + REMEMBER_FOR_S, seen)
            self.refresh_users.forget(actor.person_id)
        if reachable and requeued and self.notices_written is not None:
            await self.notices_written()  # what waited for them goes now

    async def on_installation_update_add(self, turn_context: TurnContextProtocol[Any]) -> None:
        aad = self._aad(turn_context.activity)
        if aad:
            async with self.uow() as uow:
                await uow.conversations.set_installed(aad, True)
        welcome = MessageFactory.text(
            "Hello. I am the Practice Learning Framework bot: your audits, reminders and alerts will arrive here. "
            "Type 'my audits' to see your open audits, or 'help'."
        )
        await reply(self.pace, turn_context, welcome)

    async def on_installation_update_remove(self, turn_context: TurnContextProtocol[Any]) -> None:
        aad = self._aad(turn_context.activity)
        if aad:
            self._remembered.pop(aad, None)
            async with self.uow() as uow:
                await uow.conversations.set_installed(aad, False)
            log.info("app removed; person marked unreachable", extra={"activity_id": turn_context.activity.id})

    @staticmethod
    def _aad(activity: Activity) -> str | None:
        sender = activity.from_property
        aad = getattr(sender, "aad_object_id", None) if sender else None
        return aad.lower() if isinstance(aad, str) and aad else None

    # --- messages (commands, and card submits from clients without Action.Execute) --------

    async def on_message_activity(self, turn_context: TurnContextProtocol[Any]) -> None:
        activity = turn_context.activity
        if isinstance(activity.value, dict) and "verb" in activity.value:
            card = await self._card_for_action(activity, dict(activity.value))
            await reply(self.pace, turn_context, Activity(type=ActivityTypes.message, attachments=[attachment(card)]))
            return
        text = (activity.text or "").strip() or typed_by_button(activity.value)
        if not text:
            return
        card = await self._run(activity, lambda uow, actor: self._command(uow, actor, text, activity.id))
        await reply(self.pace, turn_context, Activity(type=ActivityTypes.message, attachments=[attachment(card)]))

    async def _command(self, uow: AbstractUnitOfWork, actor: Actor, text: str, activity_id: str | None) -> AnyScreen:
        return await chat.run(uow, actor, text, self.clock.now(), self.settings, activity_id)

    # --- Action.Execute -------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContextProtocol[Any]) -> InvokeResponse:
        """Every invoke is answered here, a failure included: the SDK's own 501 never stands for one."""
        activity = turn_context.activity
        try:
            return await self._invoke(activity)
        except Exception:
            incident = uuid.uuid4().hex[:10]
            log.exception("card action failed, incident %s", incident, extra={"activity_id": activity.id})
            return InvokeResponse(
                status=503,
                body={
                    "error": f"the card action could not be completed just now (incident {incident}); please try again"
                },
            )

    async def _invoke(self, activity: Activity) -> InvokeResponse:
        if activity.name != "adaptiveCard/action":
            return error_response(501, "NotImplemented", f"invoke '{(activity.name or '')[:40]}' is not supported")
        value = activity.value if isinstance(activity.value, dict) else None
        action = value.get("action") if value else None
        if not isinstance(action, dict) or action.get("type") != "Action.Execute":
            return error_response(400, "BadRequest", "the invoke has no Action.Execute")
        raw = action.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        verb = action.get("verb")
        merged = {**data, "verb": verb} if isinstance(verb, str) else dict(data)
        return card_response(await self._card_for_action(activity, merged))

    async def _card_for_action(self, activity: Activity, data: dict[str, Any]) -> CardDict:
        try:
            request = parse_action(data)
        except BadAction as exc:
            log.warning("card action refused: %s", exc, extra={"activity_id": activity.id})
            return workflow_cards.problem(
                f"This card could not be used: {exc}.", what_next="Type 'my audits' to get a fresh card."
            )
        action = card_actions.ACTIONS[request.verb]
        return await self._run(
            activity,
            lambda uow, actor: self._action(uow, actor, request, activity.id),
            refresh=action.refreshes,
            units=self.saves if action.saves_page else self.uow,
        )

    async def _action(
        self, uow: AbstractUnitOfWork, actor: Actor, request: ActionRequest, activity_id: str | None
    ) -> AnyScreen:
        return await card_actions.act(Turn(uow, actor, self.clock.now(), self.settings, activity_id), request)

    # --- one unit of work, errors mapped once ---------------------------------------------

    async def _run(
        self,
        activity: Activity,
        work: Callable[[AbstractUnitOfWork, Actor], Awaitable[AnyScreen]],
        refresh: bool = True,
        units: UnitOfWorkFactory | None = None,
    ) -> CardDict:
        aad = self._aad(activity)
        sender: list[Actor] = []  # who sent it, once known: a refusal is logged against them
        wrote_notices = False
        try:
            for attempt in range(1, CONTENDED_TRIES + 1):
                try:
                    card, wrote_notices = await self._once(units or self.uow, aad, activity, work, refresh, sender)
                    break
                except Contended:  # another write got in first: again, in a new transaction that sees it
                    if attempt == CONTENDED_TRIES:
                        raise
        except ValidationFailed as exc:
            details = [str(p) for p in exc.problems]
            return workflow_cards.problem(" ".join([str(exc), *details]))
        except NotAllowed as exc:
            log.warning("refused: %s", exc, extra={"activity_id": activity.id, "audit_id": exc.audit_id})
            await self._log_refusal(sender[0] if sender else None, exc, activity.id, "denied")
            return workflow_cards.problem(
                f"Sorry, {exc}.", what_next="If you think you should have access, ask the QA team."
            )
        except NotFound as exc:
            await self._log_refusal(sender[0] if sender else None, exc, activity.id, "not_found")
            return workflow_cards.problem(f"{str(exc)[0].upper()}{str(exc)[1:]}.")
        except Conflict as exc:
            return workflow_cards.problem(f"{str(exc)[0].upper()}{str(exc)[1:]}.")
        except PlfError as exc:
            return workflow_cards.problem(str(exc))
        except Exception:
            incident = uuid.uuid4().hex[:10]
            log.exception(
                "turn failed, incident %s", incident, extra={"incident": incident, "activity_id": activity.id}
            )
            return workflow_cards.problem(
                "Something went wrong on our side. Nothing you saved before has been lost.",
                incident,
                "Please try again in a minute.",
            )
        if wrote_notices and self.notices_written is not None:
            await self.notices_written()
        return card

    async def _once(
        self,
        units: UnitOfWorkFactory,
        aad: str | None,
        activity: Activity,
        work: Callable[[AbstractUnitOfWork, Actor], Awaitable[AnyScreen]],
        refresh: bool,
        sender: list[Actor],
    ) -> tuple[CardDict, bool]:
        """The turn's work in one unit of work: the card, and whether notices were written; `sender` gets
        who sent it as soon as that is known."""
        async with units() as uow:
            actor = await self.actors.get(uow.people, aad) if aad else None
            if actor is not None:
                sender[:] = [actor]
                return await self._card_of(uow, actor, work, refresh), uow.notices_added > 0
        async with self.uow() as uow:  # in a unit of work of its own: a card save's holds only its own writes
            return await self._unknown(uow, activity), uow.notices_added > 0

    async def _log_refusal(self, actor: Actor | None, exc: Refused, activity_id: str | None, outcome: str) -> None:
        """Refusals are logged in their own transaction: the turn's own was rolled back."""
        if actor is None or exc.action is None:
            return
        async with self.uow() as uow:
            await uow.access.log(actor, exc.action, exc.audit_id, activity_id, outcome)

    async def _card_of(
        self,
        uow: AbstractUnitOfWork,
        actor: Actor,
        work: Callable[[AbstractUnitOfWork, Actor], Awaitable[AnyScreen]],
        refresh: bool,
    ) -> CardDict:
        screen = await work(uow, actor)
        users: tuple[str, ...] = ()
        if refresh and isinstance(screen, PageScreen | ReviewScreen):
            audit = screen.audit
            people = {p for p in (audit.practitioner_id, audit.second_person_id) if p is not None}
            if audit.case is not None:
                people |= {p for p in (audit.case.practice_lead_id, audit.case.service_manager_id) if p}
            users = await self.refresh_users.get(uow.conversations, people)
        return screen_card(screen, ScreenContext(users, self.links, self.clock.today()))

    async def _unknown(self, uow: AbstractUnitOfWork, activity: Activity) -> CardDict:
        sender = activity.from_property
        name = getattr(sender, "name", None) or "someone"
        tenant = getattr(activity.conversation, "tenant_id", None) if activity.conversation else None
        screen = await unknown_senders.unknown_sender(uow, self._aad(activity) or "unknown", name, tenant)
        if screen.first_time:
            log.info("unknown sender recorded", extra={"activity_id": activity.id})
        return screen_card(screen)
