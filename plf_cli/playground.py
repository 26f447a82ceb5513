"""The Microsoft 365 Agents Playground's config file, so it talks to the bot as a demo person."""

from __future__ import annotations

from store.directory import PersonListing

TEMPLATE = """\
# Written by `plf playground-config`: the Agents Playground acts as a person of the demo borough.
version: "0.1.1"
tenantId: 00000000-0000-0000-0000-0000000000001
bot:
  id: 00000000-0000-0000-0000-00000000000011
  name: Practice Learning (local)
currentUser:
  id: user-id-0
  name: {name}
  userPrincipleName: {email}
  aadObjectId: {aad}
  givenName: {given}
  surname: {surname}
  email: {email}
users:
{users}personalChat:
  id: personal-chat-plf-local
groupChat:
  id: group-chat-plf-local
  name: Group Chat
team:
  id: team-id
  name: My Team
  aadGroupId: 00000000-0000-0000-0000-000000000031
  channels:
    - id: channel-announcements-id
      name: Announcements
"""


OTHER_USER = """\
  - id: user-id-{n}
    name: Other Demo User {n}
    userPrincipleName: other.user.{n}@demo-borough.invalid
    aadObjectId: 00000000-0000-4000-8000-00000000002{n}
    givenName: Other
    surname: User {n}
    email: other.user.{n}@demo-borough.invalid
"""


def playground_config(person: PersonListing) -> str:
    """The Playground needs at least five other users; they are placeholders, not in the directory."""
    given, _, surname = person.display_name.partition(" ")
    others = "".join(OTHER_USER.format(n=n) for n in range(1, 6))
    return TEMPLATE.format(
        name=person.display_name,
        email=person.email,
        aad=person.aad_object_id,
        given=given or "Demo",
        surname=surname or "User",
        users=others,
    )
