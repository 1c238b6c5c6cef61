"""BroadcastService: whom an audience reaches (place, activity, status, blocked), the count an admin
confirms versus what is queued, and the admin's progress message up to the final report."""

from __future__ import annotations

import pytest
import pytest_asyncio

from bot.services.broadcasts import BroadcastService
from bot.services.roles import Actor
from storage.activities import ActivityRepository
from storage.broadcasts import BroadcastRepository
from storage.models import Audience, Delivery, SendResult, Status
from tests.bot.services.fakes import ADMIN_ID, open_world

ADMIN = Actor("telegram", ADMIN_ID, "مدیر")
HAMADAN_PROVINCE, HAMADAN_COUNTY, HEALTH = 30, 1, 2
# user id, platform, center code, activity, status after sign-up
VOLUNTEERS = (
    (11, "telegram", "4170", 1, Status.PENDING),
    (11, "bale", "4170", 1, Status.PENDING),  # the same number on the other messenger: another person
    (12, "telegram", "4171", HEALTH, Status.APPROVED),
    (13, "telegram", "4175", 1, Status.PENDING),  # Malayer county, Hamadan province
    (14, "telegram", "5201", 1, Status.PENDING),  # South Khorasan
    (15, "telegram", "4170", 1, Status.REJECTED),
    (16, "telegram", "4170", 1, Status.WITHDRAWN),
    (17, "telegram", "4170", 1, Status.PENDING),  # blocked the bot
)
NATIONAL_IDS = ("0499370899", "0012345679", "0084575948", "0013542419", "0010350829", "0010532129",
                "0011947411", "0013128612", "0016612183")


class Wakes:
    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1


@pytest_asyncio.fixture
async def world(db_path):
    world = await open_world(db_path)
    for n, (user_id, platform, code, activity, status) in enumerate(VOLUNTEERS):
        registration = await world.register(user_id, code, national_id=NATIONAL_IDS[n],
                                            mobile=f"0912000000{n}", activities=(activity,),
                                            platform=platform)
        if status is not Status.PENDING:
            await world.registrations.set_status(registration.id, status)
    # An earlier registration of volunteer 11, withdrawn: still one person, one message.
    earlier = await world.register(11, "4170", national_id=NATIONAL_IDS[8], mobile="09129999999")
    await world.registrations.set_status(earlier.id, Status.WITHDRAWN)
    async with world.db.transaction() as conn:
        await world.users.mark_blocked_within(conn, [("telegram", 17)], world.db.now_iso())
    yield world
    await world.db.close()


@pytest.fixture
def wakes():
    return Wakes()


@pytest.fixture
def service(world, wakes):
    return BroadcastService(BroadcastRepository(world.db, world.users), world.centers,
                            ActivityRepository(world.db), world.audit, world.i18n, world.telegram,
                            rate=25, wake_workers=wakes)


async def _queued(world, service, audience: Audience) -> tuple[int, set[tuple[str, int]]]:
    broadcast_id, count = await service.queue(ADMIN, ADMIN_ID, world.i18n.translator("en"), "سلام",
                                              audience)
    rows = await world.rows("SELECT platform, chat_id FROM outbox WHERE broadcast_id = ?", (broadcast_id,))
    assert count == len(rows)
    return broadcast_id, set(rows)


@pytest.mark.parametrize(("audience", "expected"), [
    (Audience(), {("telegram", 11), ("bale", 11), ("telegram", 12), ("telegram", 13), ("telegram", 14)}),
    (Audience(province_id=HAMADAN_PROVINCE),
     {("telegram", 11), ("bale", 11), ("telegram", 12), ("telegram", 13)}),
    (Audience(county_id=HAMADAN_COUNTY), {("telegram", 11), ("bale", 11), ("telegram", 12)}),
    (Audience(center_id=1, statuses=(Status.PENDING,)), {("telegram", 11), ("bale", 11)}),
    (Audience(province_id=HAMADAN_PROVINCE, activity_id=HEALTH), {("telegram", 12)}),
    (Audience(statuses=(Status.APPROVED,)), {("telegram", 12)}),
    (Audience(center_id=1, statuses=tuple(Status)),
     {("telegram", 11), ("bale", 11), ("telegram", 15), ("telegram", 16)}),
], ids=["active-everywhere", "province", "county", "center-pending", "activity", "approved", "all-statuses"])
async def test_an_audience_reaches_exactly_the_matching_volunteers_who_did_not_block_the_bot(
        world, service, audience, expected):
    preview = await service.count(audience)
    _, recipients = await _queued(world, service, audience)
    assert recipients == expected
    assert preview == len(expected)  # the number the admin confirmed is the number queued


async def test_queueing_is_audited_and_wakes_the_workers_before_any_progress_message(world, service, wakes):
    broadcast_id, recipients = await _queued(world, service, Audience(county_id=HAMADAN_COUNTY))
    assert wakes.count == 1
    assert ("telegram:1", "broadcast.start", f"broadcast:{broadcast_id}", str(len(recipients))) in \
        await world.audit.entries()
    await service.report_once()  # the progress loop leaves it to show_progress: one message, not two
    assert world.telegram.texts(ADMIN_ID) == []
    await service.show_progress(broadcast_id, ADMIN_ID, world.i18n.translator("en"))
    assert len(world.telegram.texts(ADMIN_ID)) == 1


async def test_progress_counts_outcomes_and_the_final_report_marks_the_broadcast_done(world, service):
    repository = BroadcastRepository(world.db, world.users)
    broadcast_id, _ = await _queued(world, service, Audience(county_id=HAMADAN_COUNTY))
    await service.show_progress(broadcast_id, ADMIN_ID, world.i18n.translator("en"))
    [running] = world.telegram.texts(ADMIN_ID)
    assert "0%" in running and "left: 3 of 3" in running
    await repository.record([
        SendResult(broadcast_id, "telegram", 11, Delivery.SENT, 1),
        SendResult(broadcast_id, "bale", 11, Delivery.SENT, 1),
    ])
    await service.report_once()
    [running] = world.telegram.texts(ADMIN_ID)  # the same message, edited
    assert "66%" in running and "left: 1 of 3" in running
    assert "a moment" in running and "0 seconds" not in running  # never «about 0 seconds»
    assert (await repository.by_id(broadcast_id)).status == "sending"
    await repository.record([SendResult(broadcast_id, "telegram", 12, Delivery.BLOCKED, 1)])
    await service.report_once()
    [done] = world.telegram.texts(ADMIN_ID)
    assert done.startswith("✅") and "Sent: 2 — blocked the bot: 1" in done
    assert (await repository.by_id(broadcast_id)).status == "done"
    assert await service.count(Audience(county_id=HAMADAN_COUNTY)) == 2  # 12 blocked the bot


async def test_a_broadcast_goes_out_even_when_its_progress_message_could_not_be_sent(world, service):
    world.telegram.unreachable.add(ADMIN_ID)
    broadcast_id, recipients = await _queued(world, service, Audience(center_id=1))
    await service.show_progress(broadcast_id, ADMIN_ID, world.i18n.translator("en"))
    assert len(recipients) == 2 and world.telegram.texts(ADMIN_ID) == []
    world.telegram.unreachable.clear()
    await service.report_once()  # the progress loop sends it after all
    assert len(world.telegram.texts(ADMIN_ID)) == 1
    broadcast = await BroadcastRepository(world.db, world.users).by_id(broadcast_id)
    assert (ADMIN_ID, broadcast.progress_message_id) in world.telegram.shown


async def test_the_preview_names_the_audience_in_the_admins_language(world, service):
    en, fa = world.i18n.translator("en"), world.i18n.translator("fa")
    described = await service.describe(en, Audience(province_id=HAMADAN_PROVINCE, activity_id=HEALTH,
                                                    statuses=(Status.APPROVED,)))
    assert described == "Hamadan · Health and hygiene · Approved"
    center = await service.describe(fa, Audience(center_id=1))
    assert "اکباتان" in center and "۴۱۷۰" in center
    assert (await service.describe(en, Audience())).startswith("all centers")
