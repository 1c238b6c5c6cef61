"""Choosing where something applies (everyone, a province, a county or a center), shared by the
admin's event and broadcast dialogs. Button data: `<prefix>|scope|<action>|<arg>`."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot.context import BotContext
from bot.validation import normalize_digits
from handlers.signup_prompts import redraw
from storage.models import Draft

KINDS = ("all", "province", "county", "center")


def kind_keyboard(context: BotContext, prefix: str) -> InlineKeyboardMarkup:
    t = context.t
    return kb.inline(kb.in_rows([kb.button(t(f"scope.kind.{k}"), prefix, "scope", "kind", k)
                                 for k in KINDS], 2))


async def province_keyboard(context: BotContext, prefix: str, then: str, page: int) -> InlineKeyboardMarkup:
    """Provinces that have centers; `then` is the action each button carries."""
    t = context.t
    items = [(t.name(p), kb.data(prefix, "scope", then, p.id))
             for p in await context.services.centers.provinces_with_centers()]
    return kb.paged(t, items, page, prefix, "scope", f"page_{then}")


async def county_keyboard(context: BotContext, prefix: str, province_id: int) -> InlineKeyboardMarkup:
    t = context.t
    items = [(t.name(c),
              kb.data(prefix, "scope", "county", c.id))
             for c in await context.services.centers.counties_with_centers(province_id)]
    return kb.inline(kb.in_rows([InlineKeyboardButton(label, callback_data=d) for label, d in items],
                                2))


async def on_scope_button(update: Update, context: BotContext, draft: Draft, prefix: str,
                          args: list[str]) -> str | None:
    """Handle one picker button. Returns "chosen" once the scope is set, "ask_code" when the
    admin must type a center code, or None while the picker goes on (it redrew itself)."""
    t, action = context.t, args[0]
    arg = args[1] if len(args) > 1 else ""
    if action == "kind" and arg == "all":
        draft.answers.update(scope_kind="all", scope_id=None)
        return "chosen"
    if action == "kind" and arg == "center":
        return "ask_code"
    if action == "kind" and arg in ("province", "county"):
        then = "province" if arg == "province" else "county_of"
        await redraw(update, context, t("scope.pick_province"),
                     await province_keyboard(context, prefix, then, 0))
        return None
    if action in ("page_province", "page_county_of"):
        then = action.removeprefix("page_")
        await redraw(update, context, t("scope.pick_province"),
                     await province_keyboard(context, prefix, then, int(arg)))
        return None
    if action == "county_of":
        await redraw(update, context, t("scope.pick_county"),
                     await county_keyboard(context, prefix, int(arg)))
        return None
    if action in ("province", "county"):
        found = await (context.services.centers.province(int(arg)) if action == "province"
                       else context.services.centers.county(int(arg)))
        if found is None:
            raise ValueError(f"no {action} {arg}")
        draft.answers.update(scope_kind=action, scope_id=found.id)
        return "chosen"
    raise ValueError(f"unknown scope action {action!r}")


async def center_from_code(context: BotContext, draft: Draft, text: str) -> bool:
    """A typed center code sets the scope; False when no center has it."""
    center = await context.services.centers.by_code(normalize_digits(text.strip()))
    if center is None:
        return False
    draft.answers.update(scope_kind="center", scope_id=center.id)
    return True
