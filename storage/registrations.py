"""Volunteer registrations and their activity areas."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable

from storage.db import Database
from storage.drafts import DraftRepository
from storage.models import ExportRow, NewRegistration, Registration, Status
from storage.users import UserRepository

_SELECT = (
    "SELECT r.*, (SELECT group_concat(activity_id) FROM registration_activities a "
    "WHERE a.registration_id = r.id) AS activity_list FROM registrations r "
)
TRACKING_CODE_ATTEMPTS = 20
# Family members may share one phone: a mobile serves this many active registrations at most
# (a national code serves one, by a unique index).
MOBILE_SHARED_MAX = 3
ACTIVE = ("pending", "approved")
_ACTIVE_WITH_MOBILE = ("SELECT COUNT(*) FROM registrations WHERE mobile = ? AND id != ? "
                       "AND status IN ('pending', 'approved')")


class DuplicateRegistration(Exception):
    """An active registration already has this national id or mobile."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field



def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part for part in (value or "").split(",") if part)


def _registration(row: sqlite3.Row) -> Registration:
    return Registration(
        id=row["id"], tracking_code=row["tracking_code"], platform=row["platform"],
        user_id=row["user_id"], national_id=row["national_id"], mobile=row["mobile"],
        full_name=row["full_name"], birth_date=row["birth_date"], is_minor=bool(row["is_minor"]),
        gender=row["gender"], center_id=row["center_id"],
        activity_ids=tuple(sorted(int(a) for a in _split(row["activity_list"]))),
        availability_days=_split(row["availability_days"]),
        availability_parts=_split(row["availability_parts"]),
        status=Status(row["status"]), created_at=row["created_at"], updated_at=row["updated_at"],
        reviewed_by=row["reviewed_by"], reviewed_at=row["reviewed_at"],
        contacted_by=row["contacted_by"], contacted_at=row["contacted_at"],
        review_reason=row["review_reason"], review_note=row["review_note"],
        mobile_verified=bool(row["mobile_verified"]),
        guardian_name=row["guardian_name"], guardian_mobile=row["guardian_mobile"],
        guardian_consent=bool(row["guardian_consent"]),
    )


def _duplicate_field(error: sqlite3.IntegrityError) -> str | None:
    message = str(error)
    for field in ("national_id", "mobile", "tracking_code"):
        if f"registrations.{field}" in message:
            return field
    return None


class RegistrationRepository:
    """SQL for registrations and registration_activities."""

    def __init__(self, db: Database, drafts: DraftRepository, users: UserRepository):
        self._db = db
        # A registration replaces its sign-up draft and an erasure deletes the account, each in the
        # same transaction; the owners of those tables do the writes (they cache them).
        self._drafts, self._users = drafts, users

    async def by_id(self, registration_id: int) -> Registration | None:
        row = await self._db.fetch_one(_SELECT + "WHERE r.id = ?", (registration_id,))
        return _registration(row) if row else None

    async def active_by_national_id(self, national_id: str) -> Registration | None:
        """The active (pending or approved) registration with this national id."""
        row = await self._db.fetch_one(
            _SELECT + "WHERE r.national_id = ? AND r.status IN ('pending', 'approved')", (national_id,)
        )
        return _registration(row) if row else None

    async def active_by_mobile(self, mobile: str) -> Registration | None:
        """The newest active registration with this mobile number."""
        row = await self._db.fetch_one(
            _SELECT + "WHERE r.mobile = ? AND r.status IN ('pending', 'approved') ORDER BY r.id DESC",
            (mobile,))
        return _registration(row) if row else None

    async def mobile_is_full(self, mobile: str, excluding: int | None = None) -> bool:
        """Whether the mobile already serves MOBILE_SHARED_MAX active registrations (besides
        `excluding`, the one being changed)."""
        row = await self._db.fetch_one(_ACTIVE_WITH_MOBILE, (mobile, excluding or 0))
        return int(row[0]) >= MOBILE_SHARED_MAX

    @staticmethod
    async def _check_mobile_within(conn, mobile: str, excluding: int | None = None) -> None:
        """The shared-phone limit, inside the writing transaction (two sign-ups racing for the
        last place: one gets it)."""
        async with conn.execute(_ACTIVE_WITH_MOBILE, (mobile, excluding or 0)) as cursor:
            (count,) = await cursor.fetchone()
        if count >= MOBILE_SHARED_MAX:
            raise DuplicateRegistration("mobile")

    async def active_by_tracking_code(self, code: str) -> Registration | None:
        row = await self._db.fetch_one(
            _SELECT + "WHERE r.tracking_code = ? AND r.status IN ('pending', 'approved')", (code,))
        return _registration(row) if row else None

    async def latest_for_user(self, platform: str, user_id: int) -> Registration | None:
        """The user's newest registration (an active one first)."""
        row = await self._db.fetch_one(
            _SELECT + "WHERE r.platform = ? AND r.user_id = ? "
            "ORDER BY r.status IN ('pending', 'approved') DESC, r.id DESC LIMIT 1",
            (platform, user_id),
        )
        return _registration(row) if row else None

    async def create(self, new: NewRegistration, make_code: Callable[[], str]) -> Registration:
        """Insert a registration and its activities, and drop the user's sign-up draft, in one
        transaction (a crash between the two would leave a registered user at the summary);
        retries a taken code."""
        now = self._db.now_iso()
        for _ in range(TRACKING_CODE_ATTEMPTS):
            try:
                async with self._db.transaction() as conn:
                    await self._check_mobile_within(conn, new.mobile)
                    cursor = await conn.execute(
                        "INSERT INTO registrations(tracking_code, platform, user_id, national_id, mobile, "
                        "full_name, birth_date, is_minor, gender, center_id, availability_days, "
                        "availability_parts, status, created_at, updated_at, mobile_verified, "
                        "guardian_name, guardian_mobile, guardian_consent) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)",
                        (make_code(), new.platform, new.user_id, new.national_id, new.mobile,
                         new.full_name, new.birth_date, int(new.is_minor), new.gender, new.center_id,
                         ",".join(new.availability_days), ",".join(new.availability_parts), now, now,
                         int(new.mobile_verified), new.guardian_name, new.guardian_mobile,
                         int(new.guardian_consent)),
                    )
                    registration_id = cursor.lastrowid
                    await conn.executemany(
                        "INSERT INTO registration_activities(registration_id, activity_id) VALUES (?, ?)",
                        [(registration_id, a) for a in new.activity_ids],
                    )
                    await self._drafts.delete_within(conn, new.platform, new.user_id)
            except sqlite3.IntegrityError as exc:
                field = _duplicate_field(exc)
                if field == "tracking_code":
                    continue
                if field is not None:
                    raise DuplicateRegistration(field) from exc
                raise
            return await self.by_id(registration_id)  # type: ignore[return-value]
        raise RuntimeError("could not find a free tracking code")

    async def update(self, registration_id: int, *, center_id: int | None = None,
                     activity_ids: tuple[int, ...] | None = None,
                     availability_days: tuple[str, ...] | None = None,
                     availability_parts: tuple[str, ...] | None = None,
                     mobile: str | None = None, mobile_verified: bool = False,
                     pending_again: bool = False, full_name: str | None = None,
                     birth: tuple[str, bool] | None = None,
                     guardian: tuple[str | None, str | None, bool] | None = None) -> Registration:
        """Change some fields of a registration in one transaction; `pending_again` (a move to
        another center) clears the old center's decision and contact, for the new one to make."""
        columns: dict[str, object] = {}
        if center_id is not None:
            columns["center_id"] = center_id
        if pending_again:
            columns |= {"status": "pending", "reviewed_by": None, "reviewed_at": None,
                        "contacted_by": None, "contacted_at": None, "review_reason": None,
                        "review_note": None}
        if availability_days is not None:
            columns["availability_days"] = ",".join(availability_days)
        if availability_parts is not None:
            columns["availability_parts"] = ",".join(availability_parts)
        if mobile is not None:
            columns["mobile"] = mobile
            columns["mobile_verified"] = int(mobile_verified)
        if full_name is not None:
            columns["full_name"] = full_name
        if birth is not None:  # (ISO date, is a minor)
            columns["birth_date"], columns["is_minor"] = birth[0], int(birth[1])
        if guardian is not None:  # (name, mobile, consented): all None/False for an adult
            columns |= {"guardian_name": guardian[0], "guardian_mobile": guardian[1],
                        "guardian_consent": int(guardian[2])}
        columns["updated_at"] = self._db.now_iso()
        assignments = ", ".join(f"{name} = ?" for name in columns)
        try:
            async with self._db.transaction() as conn:
                if mobile is not None:
                    await self._check_mobile_within(conn, mobile, registration_id)
                if pending_again:
                    await self._reactivating_within(conn, registration_id)
                await conn.execute(
                    f"UPDATE registrations SET {assignments} WHERE id = ?",
                    (*columns.values(), registration_id),
                )
                if activity_ids is not None:
                    await conn.execute(
                        "DELETE FROM registration_activities WHERE registration_id = ?", (registration_id,)
                    )
                    await conn.executemany(
                        "INSERT INTO registration_activities(registration_id, activity_id) VALUES (?, ?)",
                        [(registration_id, a) for a in activity_ids],
                    )
        except sqlite3.IntegrityError as exc:
            field = _duplicate_field(exc)
            if field is not None:
                raise DuplicateRegistration(field) from exc
            raise
        return await self.by_id(registration_id)  # type: ignore[return-value]

    async def set_status(self, registration_id: int, status: str) -> Registration:
        """Move a registration to a new status."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE registrations SET status = ?, updated_at = ? WHERE id = ?",
                (status, self._db.now_iso(), registration_id),
            )
        return await self.by_id(registration_id)  # type: ignore[return-value]

    async def for_user(self, platform: str, user_id: int) -> list[Registration]:
        """Every registration the user has made, oldest first."""
        rows = await self._db.fetch_all(_SELECT + "WHERE r.platform = ? AND r.user_id = ? ORDER BY r.id",
                                        (platform, user_id))
        return [_registration(row) for row in rows]

    async def forget_user(self, platform: str, user_id: int) -> int:
        """Erase every personal field of the user's registrations (rows stay, so counts per center
        stay right), withdraw the active one, and drop the user's draft, account and broadcast
        deliveries, in one transaction."""
        now = self._db.now_iso()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE registrations SET national_id = NULL, mobile = NULL, full_name = NULL, "
                "birth_date = NULL, gender = NULL, user_id = NULL, availability_days = '', "
                "availability_parts = '', review_note = NULL, guardian_name = NULL, "
                "guardian_mobile = NULL, forgotten_at = ?, updated_at = ?, "
                "status = CASE WHEN status IN ('pending', 'approved') THEN 'withdrawn' ELSE status END "
                "WHERE platform = ? AND user_id = ?",
                (now, now, platform, user_id),
            )
            await self._drafts.delete_within(conn, platform, user_id)
            await conn.execute("DELETE FROM outbox WHERE platform = ? AND chat_id = ?", (platform, user_id))
            await conn.execute("DELETE FROM lookups WHERE platform = ? AND user_id = ?", (platform, user_id))
            await self._users.delete_within(conn, platform, user_id)
            return cursor.rowcount

    async def review(self, registration_id: int, status: str, actor: str, reason: str | None = None,
                     note: str | None = None) -> Registration:
        """A coordinator's decision: approved or rejected (with its reason), by whom and when."""
        now = self._db.now_iso()
        async with self._db.transaction() as conn:
            if status in ACTIVE:
                await self._reactivating_within(conn, registration_id)
            try:
                await conn.execute(
                    "UPDATE registrations SET status = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ?, "
                    "review_reason = ?, review_note = ? WHERE id = ?",
                    (status, actor, now, now, reason, note, registration_id),
                )
            except sqlite3.IntegrityError as exc:  # its national code is active elsewhere by now
                field = _duplicate_field(exc)
                if field is not None:
                    raise DuplicateRegistration(field) from exc
                raise
        return await self.by_id(registration_id)  # type: ignore[return-value]

    async def _reactivating_within(self, conn, registration_id: int) -> None:
        """A rejected registration made active again (approved after all, or moved to another
        center) counts against its mobile's limit like a new one."""
        async with conn.execute("SELECT status, mobile FROM registrations WHERE id = ?",
                                (registration_id,)) as cursor:
            row = await cursor.fetchone()
        if row is not None and row[0] not in ACTIVE and row[1]:
            await self._check_mobile_within(conn, row[1], registration_id)

    async def release(self, registration_id: int, actor: str) -> Registration:
        """Withdraw a registration that blocked the real owner of its national code or mobile, and
        drop those two (they are someone else's); who released it, and when, stay."""
        now = self._db.now_iso()
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE registrations SET status = 'withdrawn', national_id = NULL, mobile = NULL, "
                "mobile_verified = 0, guardian_name = NULL, guardian_mobile = NULL, "
                "review_reason = 'released', review_note = NULL, "
                "reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ?",
                (actor, now, now, registration_id),
            )
        return await self.by_id(registration_id)  # type: ignore[return-value]

    async def mark_contacted(self, registration_id: int, actor: str) -> Registration:
        """A coordinator has reached the volunteer."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE registrations SET contacted_by = ?, contacted_at = ? WHERE id = ?",
                (actor, self._db.now_iso(), registration_id),
            )
        return await self.by_id(registration_id)  # type: ignore[return-value]

    @staticmethod
    def _roster_filter(center_id: int, status: str | None, activity_id: int | None):
        sql = "WHERE r.center_id = ? AND r.forgotten_at IS NULL"
        params: list[object] = [center_id]
        if status:
            sql += " AND r.status = ?"
            params.append(status)
        if activity_id:
            sql += (" AND EXISTS (SELECT 1 FROM registration_activities a "
                    "WHERE a.registration_id = r.id AND a.activity_id = ?)")
            params.append(activity_id)
        return sql, params

    async def roster(self, center_id: int, status: str | None, activity_id: int | None,
                     offset: int, limit: int) -> tuple[list[Registration], int]:
        """One page of a center's volunteers (newest first) and how many match in all."""
        where, params = self._roster_filter(center_id, status, activity_id)
        rows = await self._db.fetch_all(
            _SELECT + where + " ORDER BY r.id DESC LIMIT ? OFFSET ?", (*params, limit, offset)
        )
        total = await self._db.fetch_one("SELECT COUNT(*) FROM registrations r " + where, params)
        return [_registration(r) for r in rows], int(total[0])

    async def export_rows(self, center_ids: list[int] | None) -> list[ExportRow]:
        """Every registration that still has its personal data, of these centers (or all)."""
        where = "WHERE r.forgotten_at IS NULL"
        params: list[object] = []
        if center_ids is not None:
            where += f" AND r.center_id IN ({','.join('?' * len(center_ids)) or 'NULL'})"
            params.extend(center_ids)
        rows = await self._db.fetch_all(
            "SELECT r.tracking_code, r.full_name, r.national_id, r.mobile, r.birth_date, r.is_minor, "
            "r.gender, p.name_fa, k.name_fa, c.name, c.code, "
            "(SELECT group_concat(activity_id) FROM registration_activities a "
            " WHERE a.registration_id = r.id), r.availability_days, r.availability_parts, r.status, "
            "r.created_at, r.updated_at, r.contacted_at, r.platform, r.mobile_verified, "
            "r.guardian_name, r.guardian_mobile "
            "FROM registrations r JOIN centers c ON c.id = r.center_id "
            "JOIN counties k ON k.id = c.county_id JOIN provinces p ON p.id = k.province_id "
            + where + " ORDER BY c.code, r.id",
            params,
        )
        # A big center's twenty thousand rows repeat a few dozen lists and statuses: each is
        # parsed once.
        ids = functools.cache(lambda text: tuple(int(a) for a in _split(text)))
        split, status = functools.cache(_split), functools.cache(Status)
        return [
            ExportRow(*r[:11], ids(r[11]), split(r[12]), split(r[13]),
                      status(r[14]), *r[15:19], bool(r[19]), r[20], r[21])
            for r in rows
        ]
