"""Where something applies — everyone, a province, a county or one center — as two steps any
dialog can include (the event and broadcast dialogs do): the picker, and the center code typed
when "one center" was chosen."""

from __future__ import annotations

from typing import Protocol, TypeVar

from bot import keyboards as kb
from bot.validation import Invalid
from handlers.dialogs.engine import STAY, Question, Redraw, Result, Step, Turn
from handlers.ui import CENTER_CHOICES, centers_named
from storage.models import ScopeKind


class HasScope(Protocol):
    scope_kind: ScopeKind
    scope_id: int | None


S = TypeVar("S", bound=HasScope)


async def _provinces(turn: Turn, then: str, page: int) -> Redraw:
    """A page of the provinces that have centers; each button carries `then`."""
    t = turn.t
    provinces = t.sorted(await turn.services.places.provinces(), t.name)
    markup = turn.paged([turn.button(t.name(p), then, p.id) for p in provinces], page, f"page_{then}")
    return Redraw(Question(t("scope.pick_province"), markup))


async def _choose_kind(turn: Turn[S], args: list[str]) -> Result:
    kind = ScopeKind(args[0])  # ValueError on a forged button asks the question again
    if kind is ScopeKind.PROVINCE:
        return await _provinces(turn, "province", 0)
    if kind is ScopeKind.COUNTY:
        return await _provinces(turn, "county_of", 0)
    turn.answers.scope_kind, turn.answers.scope_id = kind, None
    return None  # "center" goes on to the code; "all" past it


async def _page_province(turn: Turn, args: list[str]) -> Result:
    return await _provinces(turn, "province", int(args[0]))


async def _page_county_of(turn: Turn, args: list[str]) -> Result:
    return await _provinces(turn, "county_of", int(args[0]))


async def _counties_of(turn: Turn, args: list[str]) -> Result:
    t = turn.t
    counties = t.sorted(await turn.services.places.counties(int(args[0])), t.name)
    if not counties:
        raise ValueError(args[0])
    buttons = [turn.button(t.name(c), "county", c.id) for c in counties]
    return Redraw(Question(t("scope.pick_county"), kb.inline(kb.in_rows(buttons, 2))))


def _place(kind: ScopeKind):
    """The reader of a province or county button: that place becomes the scope."""
    async def choose(turn: Turn[S], args: list[str]) -> Result:
        places = turn.services.places
        look_up = places.province if kind is ScopeKind.PROVINCE else places.county
        place = await look_up(int(args[0]))
        if place is None:
            raise ValueError(args[0])
        turn.answers.scope_kind, turn.answers.scope_id = kind, place.id
        return None
    return choose


async def _ask_code(turn: Turn) -> Question:
    return Question(turn.t("scope.ask_code"), kb.navigation(turn.t))


async def _read_center(turn: Turn[S], text: str) -> Result:
    """A center's code, or (part of) its name, address or county: one match is the scope;
    several are offered as buttons."""
    t = turn.t
    query, found = await centers_named(t, turn.services.places, text)
    if not found:
        if query.isdigit():
            raise Invalid("invalid.center_code")
        raise Invalid("roles.no_center_named", query=t.digits(query) or "-")
    if len(found) == 1:
        return _choose(turn, found[0].id)
    await turn.show(t("roles.several_centers_pick"), kb.inline(
        [[turn.button(t.center(c), "pick", c.id)] for c in found[:CENTER_CHOICES]]))
    return STAY


async def _pick_center(turn: Turn[S], args: list[str]) -> Result:
    center = await turn.services.places.center(int(args[0]))
    if center is None:
        raise ValueError(args[0])
    return _choose(turn, center.id)


def _choose(turn: Turn[S], center_id: int) -> Result:
    turn.answers.scope_kind, turn.answers.scope_id = ScopeKind.CENTER, center_id
    return None


def scope_steps(question_key: str) -> tuple[Step, Step]:
    """The picker (asked with the catalog text `question_key`) and the center-code step."""
    async def ask_kind(turn: Turn) -> Question:
        t = turn.t
        return Question(t(question_key), kb.inline(kb.in_rows(
            [turn.button(t(f"scope.kind.{k}"), "kind", k) for k in ScopeKind], 2)))

    picker = Step("scope", ask_kind, buttons={
        "kind": _choose_kind, "page_province": _page_province, "page_county_of": _page_county_of,
        "county_of": _counties_of,
        "province": _place(ScopeKind.PROVINCE), "county": _place(ScopeKind.COUNTY)})
    # Asked only after "one center" was chosen (and again on Back while that choice stands).
    code = Step("center_code", _ask_code, text=_read_center, buttons={"pick": _pick_center},
                skip=lambda answers: answers.scope_kind != ScopeKind.CENTER)
    return picker, code
