"""The SQL that turns an Audience into recipients (platform, chat id, language)."""

from __future__ import annotations

from storage.models import Audience


def recipients_sql(audience: Audience) -> tuple[str, list[object]]:
    """A SELECT of distinct (platform, user_id, language) of matching volunteers not known to have
    blocked the bot."""
    sql = (
        "SELECT DISTINCT r.platform AS platform, r.user_id AS chat_id, "
        "COALESCE(u.language, '') AS language FROM registrations r "
        "JOIN centers c ON c.id = r.center_id JOIN counties k ON k.id = c.county_id "
        "LEFT JOIN users u ON u.platform = r.platform AND u.user_id = r.user_id "
        f"WHERE r.user_id IS NOT NULL AND u.blocked_at IS NULL "
        f"AND r.status IN ({','.join('?' * len(audience.statuses))})"
    )
    params: list[object] = list(audience.statuses)
    for column, value in (("k.province_id", audience.province_id), ("c.county_id", audience.county_id),
                          ("r.center_id", audience.center_id)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    if audience.activity_id is not None:
        sql += (" AND EXISTS (SELECT 1 FROM registration_activities a "
                "WHERE a.registration_id = r.id AND a.activity_id = ?)")
        params.append(audience.activity_id)
    if audience.activity_ids:
        sql += (" AND EXISTS (SELECT 1 FROM registration_activities a WHERE a.registration_id = r.id "
                f"AND a.activity_id IN ({','.join('?' * len(audience.activity_ids))}))")
        params.extend(audience.activity_ids)
    if audience.not_declined is not None:
        sql += (" AND NOT EXISTS (SELECT 1 FROM rsvps v WHERE v.event_id = ? "
                "AND v.registration_id = r.id AND v.answer = 'declined')")
        params.append(audience.not_declined)
    if audience.holding_a_place_at is not None:
        sql += (" AND EXISTS (SELECT 1 FROM rsvps v WHERE v.event_id = ? "
                "AND v.registration_id = r.id AND v.answer IN ('coming', 'offered'))")
        params.append(audience.holding_a_place_at)
    return sql, params
