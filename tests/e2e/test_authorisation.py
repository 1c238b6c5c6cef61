"""Every coordinator and admin action × every role: allowed ones act, the rest are refused
with a message and change nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import pytest_asyncio

from emulator.client import EmulatedUser
from tests.conftest import ADMIN_ID, BOTH_PLATFORMS
from tests.e2e.coordinator_steps import group_member, make_coordinator, registered_volunteer

pytestmark = pytest.mark.parametrize("platform", BOTH_PLATFORMS)

ROLES = ("citizen", "coordinator_of_another_center", "coordinator_of_this_center", "admin")
NOT_ALLOWED = "مجاز نیست"


@dataclass
class Person:
    private: EmulatedUser
    group: EmulatedUser


@dataclass
class World:
    harness: object
    people: dict[str, Person]
    volunteer: EmulatedUser
    alert: object  # the alert about the volunteer, as posted in the center's group
    center_id: int


@pytest_asyncio.fixture
async def world(harness):
    admin = harness.user(ADMIN_ID, first_name="مدیر")
    this = await make_coordinator(harness, "4175", name="هماهنگ‌کننده")
    other = await make_coordinator(harness, "5201", name="دیگری")
    admin_group = group_member(harness, admin)
    await admin_group.command("linkgroup", "4175")
    await admin_group.receive_text("به این گروه هم می‌آید")
    volunteer = await registered_volunteer(harness)
    alert = await admin_group.receive_text("یاریگر تازه")
    await this.receive_text("یاریگر تازه")
    people = {
        "citizen": Person(volunteer, group_member(harness, volunteer)),
        "coordinator_of_another_center": Person(other, group_member(harness, other)),
        "coordinator_of_this_center": Person(this, group_member(harness, this)),
        "admin": Person(admin, admin_group),
    }
    for person in people.values():
        person.private.skip_all()
        person.group.skip_all()
    center = await harness.services.centers.by_code("4175")
    return World(harness, people, volunteer, alert, center.id)


async def _command(person: Person, name: str, arg: str, success: str) -> bool:
    await person.private.command(name, arg)
    reply = await person.private.receive()
    assert success in reply.text or NOT_ALLOWED in reply.text, reply.text
    return success in reply.text


async def invite(w: World, p: Person) -> bool:
    return await _command(p, "invite", "4175", "پیوند دعوت")


async def coordinators(w: World, p: Person) -> bool:
    return await _command(p, "coordinators", "", "تسهیلگران —")


async def add_admin(w: World, p: Person) -> bool:
    performed = await _command(p, "addadmin", "777777", "مدیر شد")
    assert await w.harness.services.roles.is_admin(w.harness.platform, 777777) is performed
    return performed


async def link_group(w: World, p: Person) -> bool:
    await p.group.command("linkgroup", "4170")
    reply = await p.group.receive()
    while reply.kind != "message":  # the alerts of 4175 the group held are retracted first
        reply = await p.group.receive()
    groups = await w.harness.services.coordinators.groups_of_center(
        (await w.harness.services.centers.by_code("4170")).id)
    assert bool(groups) == ("به این گروه هم می‌آید" in reply.text)
    return bool(groups)


async def roster(w: World, p: Person) -> bool:
    return await _command(p, "roster", "4175", "یاریگران «")


async def export(w: World, p: Person) -> bool:
    await p.private.command("export", "4175")
    reply = await p.private.receive()
    if "document" in reply.message:
        await p.private.receive()  # the CSV
        return True
    assert NOT_ALLOWED in reply.text
    return False


async def poster(w: World, p: Person) -> bool:
    await p.private.command("poster", "4175")
    reply = await p.private.receive()
    assert "photo" in reply.message or NOT_ALLOWED in reply.text
    return "photo" in reply.message


async def review(w: World, p: Person) -> bool:
    query = await p.group.press("✅ تأیید", message=w.alert)
    answer = await p.group.answer_to(query)
    registration = await w.harness.services.signup.registration_of(w.harness.platform, w.volunteer.id)
    performed = registration.status == "approved"
    assert (NOT_ALLOWED in answer.text) is not performed
    return performed


async def forged_review_in_private(w: World, p: Person) -> bool:
    """The alert's button data pressed on some other message: never acted on, even for admins."""
    registration = await w.harness.services.signup.registration_of(w.harness.platform, w.volunteer.id)
    some_message = next(iter(p.private.state.messages.values()))  # the first: never an alert
    query = await p.private.press_data(f"rv|approve|{registration.id}", some_message)
    answer = await p.private.answer_to(query)
    assert NOT_ALLOWED in answer.text
    return (await w.harness.services.signup.registration_of(w.harness.platform, w.volunteer.id)).status \
        == "approved"


async def remove_coordinator(w: World, p: Person) -> bool:
    this = w.people["coordinator_of_this_center"].private
    some_message = next(reversed(p.private.state.messages.values()))
    query = await p.private.press_data(f"co|rm|{w.harness.platform}|{this.id}|{w.center_id}", some_message)
    answer = await p.private.answer_to(query)
    remaining = await w.harness.services.coordinators.for_center(w.center_id)
    performed = (w.harness.platform, this.id) not in remaining
    assert (NOT_ALLOWED in answer.text) is not performed
    return performed


ADMIN_ONLY = (False, False, False, True)
CENTER_MANAGERS = (False, False, True, True)
NOBODY = (False, False, False, False)
MATRIX = [
    (invite, ADMIN_ONLY), (coordinators, ADMIN_ONLY), (add_admin, ADMIN_ONLY),
    (link_group, ADMIN_ONLY), (remove_coordinator, ADMIN_ONLY),
    (roster, CENTER_MANAGERS), (export, CENTER_MANAGERS), (poster, CENTER_MANAGERS),
    (review, CENTER_MANAGERS), (forged_review_in_private, NOBODY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "allowed"), MATRIX, ids=[a.__name__ for a, _ in MATRIX])
async def test_authorisation_matrix(world, action, allowed, role):
    performed = await action(world, world.people[role])
    assert performed is allowed[ROLES.index(role)]
