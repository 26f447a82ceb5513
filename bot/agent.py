"""The bot's turn handler. For now it answers a message; the audit workflow builds on it."""

from __future__ import annotations

import logging
from typing import Any

from microsoft_agents.activity import TurnContextProtocol
from microsoft_agents.hosting.core import ActivityHandler, MessageFactory

log = logging.getLogger(__name__)

GREETING = (
    "Hello. I am the Practice Learning Framework bot. I am running, and the audit workflow "
    "is on its way; your QA team will tell you when audits arrive here."
)


class PlfAgent(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContextProtocol[Any]) -> None:
        activity = turn_context.activity
        log.info(
            "message received",
            extra={"activity_id": activity.id, "conversation_id": activity.conversation.id},
        )
        await turn_context.send_activity(MessageFactory.text(GREETING))
