"""Checks before every export: contradictions and gaps a council would stumble over.

``check_briefing`` looks at the finished content (and, for open hits, the
database) and returns one sentence per finding in the window's language. The
preview lists them, the CLI prints them; ``--strict`` (``export_briefing(...,
strict=True)``) refuses to export while there are any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain import finance
from chinadialog_desktop.domain.briefing_model import Briefing
from chinadialog_desktop.domain.enums import (
    AssessmentStatus,
    DeliberationRole,
    DocumentKind,
    GiftDecision,
    GiftDirection,
)
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _, ngettext
from chinadialog_desktop.persistence.models import Dossier, Gift, ScreeningHit

CONTRADICTION, GAP = "contradiction", "gap"

# Answer codes that say "screened, nothing (left) on a list" (the screening items' scale).
NO_HIT_ANSWERS = frozenset({"clear", "resolved"})
# A recommendation to carry on, in the words a German or English paper uses.
CARRY_ON = re.compile(
    r"\b(fortf[üu]hren|fortzuf[üu]hren|fortsetzen|fortzusetzen|weiterf[üu]hren|"
    r"weiterzuf[üu]hren|beibehalten|continue|carry on|maintain)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Check:
    """One finding: ``kind`` is "contradiction" or "gap"; ``text`` one sentence."""

    kind: str
    text: str


class ChecksFailed(UserError):
    """``--strict``: the export was refused because of the findings."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks
        lines = "\n".join(f"- {c.text}" for c in checks)
        super().__init__(
            ngettext(
                "The briefing was not exported: {n} check found a problem.",
                "The briefing was not exported: {n} checks found problems.",
                len(checks),
            ).format(n=len(checks))
            + "\n"
            + lines
        )


def check_briefing(session: Session, dossier: Dossier, content: Briefing) -> list[Check]:
    """Every contradiction and gap of ``content``; an empty list when there is none."""
    out: list[Check] = []
    h = content.header
    roles = [(d.body, d.role) for d in dossier.deliberations]
    deciding = [body for body, role in roles if role == DeliberationRole.DECISION.value]
    if h.kind == DocumentKind.DECISION.value:
        if not content.resolution:
            out.append(
                Check(
                    CONTRADICTION,
                    _("A decision paper without a proposed resolution (Beschlussvorschlag)."),
                )
            )
        if roles and not deciding:
            out.append(
                Check(
                    CONTRADICTION,
                    _(
                        "A decision paper, but no body in the order of deliberation decides; "
                        "{bodies} only take note or discuss."
                    ).format(bodies=", ".join(f"„{b}“" for b, _r in roles)),
                )
            )
    elif deciding:
        out.append(
            Check(
                CONTRADICTION,
                _(
                    "An information paper, but {bodies} is to decide on it in the order of "
                    "deliberation."
                ).format(bodies=", ".join(f"„{b}“" for b in deciding)),
            )
        )
    if not h.file_number.strip():
        out.append(Check(GAP, _("The paper has no document number (Drucksachen-Nr.).")))
    if dossier.document_date is None:
        out.append(
            Check(
                GAP,
                _(
                    "The paper has no date (Datum der Vorlage); the header shows the day "
                    "of the export."
                ),
            )
        )

    finance_values = finance.values_of(dossier)
    if h.kind != DocumentKind.INTERNAL.value and not finance.stated(finance_values):
        out.append(
            Check(
                GAP,
                _(
                    "The paper does not say whether it has financial effects (Finanzielle "
                    "Auswirkungen: yes or no)."
                ),
            )
        )
    out.extend(
        Check(CONTRADICTION, text) for _f, text in finance.consistency_problems(finance_values)
    )

    for att in content.attachments:
        if att.unreadable:
            out.append(
                Check(
                    GAP,
                    _(
                        "Attachment {number}, {name}, is a damaged or encrypted PDF file: it is "
                        "listed but not appended."
                    ).format(number=att.number, name=att.file_name),
                )
            )

    confirmed = bool(content.screening)
    for a in content.assessments:
        if confirmed:
            for r in a.ratings:
                if r.answer in NO_HIT_ANSWERS:
                    out.append(
                        Check(
                            CONTRADICTION,
                            _(
                                "{title}: the answer “{answer}” to “{question}” contradicts the "
                                "confirmed screening hit."
                            ).format(title=a.title, answer=r.answer_label, question=r.question),
                        )
                    )
        recommendation = content.section("recommendation")
        if (
            (a.overall.light == "red" or a.overall.blockers)
            and recommendation
            and CARRY_ON.search(recommendation.body)
        ):
            out.append(
                Check(
                    CONTRADICTION,
                    ngettext(
                        "{title}: the overall rating is red with {n} blocker hit, yet the "
                        "recommendation is to carry on.",
                        "{title}: the overall rating is red with {n} blockers hit, yet the "
                        "recommendation is to carry on.",
                        a.overall.blockers,
                    ).format(title=a.title, n=a.overall.blockers),
                )
            )
        if a.status != AssessmentStatus.SIGNED.value or not a.reviewed_on:
            out.append(
                Check(GAP, _("{title}: the assessment is not signed off.").format(title=a.title))
            )
        stale = [r for r in a.ratings if r.stale]
        if stale:
            out.append(
                Check(
                    GAP,
                    ngettext(
                        "{title}: {n} answer is due for review.",
                        "{title}: {n} answers are due for review.",
                        len(stale),
                    ).format(title=a.title, n=len(stale)),
                )
            )
    if content.screening is not None:
        uuids = [r.uuid for r in content.screened]
        open_hits = (
            session.scalar(
                select(ScreeningHit.id)
                .where(ScreeningHit.subject_uuid.in_(uuids), ScreeningHit.status == "open")
                .limit(1)
            )
            if uuids
            else None
        )
        if open_hits is not None:
            count = len(
                list(
                    session.scalars(
                        select(ScreeningHit.id).where(
                            ScreeningHit.subject_uuid.in_(uuids), ScreeningHit.status == "open"
                        )
                    )
                )
            )
            out.append(
                Check(
                    GAP,
                    ngettext(
                        "{n} screening hit of the dossier's parties and contacts is not "
                        "reviewed yet.",
                        "{n} screening hits of the dossier's parties and contacts are not reviewed "
                        "yet.",
                        count,
                    ).format(n=count),
                )
            )
        pending = [r for r in content.screened if not r.current]
        if content.screening_lists and pending:
            out.append(
                Check(
                    GAP,
                    ngettext(
                        "{n} party or contact was not screened against the current version "
                        "of every list (screening older than the last list update, or none).",
                        "{n} parties or contacts were not screened against the current version of "
                        "every list (screening older than the last list update, or none).",
                        len(pending),
                    ).format(n=len(pending)),
                )
            )
    out.extend(_register_gaps(session, dossier))
    return out


def _register_gaps(session: Session, dossier: Dossier) -> list[Check]:
    """Gifts and invitations received on which nobody has decided yet (the register)."""
    ids = [link.partnership_id for link in dossier.partnership_links]
    if not ids:
        return []
    pending = session.scalars(
        select(Gift.title).where(
            Gift.partnership_id.in_(ids),
            Gift.direction == GiftDirection.RECEIVED.value,
            Gift.decision == GiftDecision.PENDING.value,
        )
    ).all()
    if not pending:
        return []
    return [
        Check(
            GAP,
            ngettext(
                "{n} gift or invitation received awaits a decision on its acceptance: {titles}.",
                "{n} gifts or invitations received await a decision on their acceptance: {titles}.",
                len(pending),
            ).format(n=len(pending), titles=", ".join(f"„{t}“" for t in pending)),
        )
    ]


def checks_heading(n: int) -> str:
    """ "Prüfung vor dem Export: 3 zu klärende Punkte": the window's heading over the checks."""
    return ngettext(
        "Checks before export: {n} point to clear", "Checks before export: {n} points to clear", n
    ).format(n=n)
