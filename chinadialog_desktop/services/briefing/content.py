"""What a briefing says: plain dataclasses built from a dossier, for any writer (PDF, DOCX).

Nothing here knows about layout. ``build_content`` reads the database once
and returns a ``Briefing``; ``snapshot`` turns it into JSON-compatible data
that is stored with every export and compared by ``briefing_changes``.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from chinadialog_desktop.domain.briefing_markup import Block, Run, cited_numbers, parse_markup
from chinadialog_desktop.domain.briefing_model import (
    ActivityRow,
    AssessmentSummary,
    AttachmentRow,
    Briefing,
    ChanceScore,
    CheckedRow,
    DeliberationRow,
    FieldScore,
    FinanceRow,
    Header,
    OpenItem,
    PartnershipFacts,
    Party,
    Rating,
    ScreeningRow,
    Section,
    SourceRow,
)
from chinadialog_desktop.domain.briefing_terms import (
    catalogue_term,
    enum_term,
    format_day,
    format_partial,
    marking,
    term,
    topic_terms,
)
from chinadialog_desktop.domain.enums import (
    ActivityKind,
    ActorKind,
    AssessmentStatus,
    Classification,
    CostRecurrence,
    DeliberationRole,
    DocumentKind,
    FieldOfAction,
    FinancialImpact,
    PartnershipStatus,
    PartnershipType,
    PartyRole,
    SectionKey,
    SessionPublicity,
)
from chinadialog_desktop.domain.finance import format_amount
from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.models import (
    Assessment,
    Attachment,
    Contact,
    Deliberation,
    Dossier,
    Partnership,
    ReferenceEntity,
    ReferenceList,
    Source,
)
from chinadialog_desktop.services.briefing.annexes import attach_files, public_rows
from chinadialog_desktop.services.briefing.public import (
    People,
    leaks,
    public_version,
    role,
    show_internal_marks,
    without_login,
)
from chinadialog_desktop.services.briefing.registers import counterpart_names, register_tables

SECTION_ORDER = (
    SectionKey.SUMMARY,
    SectionKey.BACKGROUND,
    SectionKey.OPPORTUNITIES,
    SectionKey.RISKS,
    SectionKey.RECOMMENDATION,
)


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class BriefingOptions:
    """What the user chose for one export; stored with the export record."""

    kind: str | None = None  # DocumentKind code; None: the dossier's own
    lang: str = "de"
    classification: str | None = None  # Classification code; None: the dossier's own
    public: bool = False
    changes: bool = False
    as_of: date | None = None  # None: SOURCE_DATE_EPOCH's day, else today
    # Names of staff the author releases for the public version (besides the header's
    # "Verantwortlich" and "Federführende Stelle").
    public_names: tuple[str, ...] = ()
    # The name set in the app ("Bearbeitet von"); it also stands in for the OS login
    # that answers and screening decisions record when no name was set.
    editor: str = ""
    # PDF files appended after the briefing for this export only (CLI --attach), as paths.
    attach: tuple[str, ...] = ()
    # PDF/A for the e-Akte: 0 no, 2 PDF/A-2b, 3 PDF/A-3b with the dossier's files embedded.
    pdfa: int = 0

    def validate(self) -> None:
        if self.lang not in ("de", "en"):
            raise UserError(_("Unknown briefing language {lang!r}.").format(lang=self.lang))
        if self.kind is not None and self.kind not in {k.value for k in DocumentKind}:
            raise UserError(_("Unknown kind of document {kind!r}.").format(kind=self.kind))
        if self.classification is not None and self.classification not in {
            c.value for c in Classification
        }:
            raise UserError(
                _("Unknown classification {value!r}.").format(value=self.classification)
            )
        if self.public and self.classification not in (None, Classification.OPEN):
            raise UserError(_("A public version cannot carry a classification marking."))
        if self.pdfa not in (0, 2, 3):
            raise UserError(_("Unknown PDF/A part {part}; choose 2 or 3.").format(part=self.pdfa))

    def as_dict(self) -> dict[str, Any]:
        """The options as stored with the export (``pdfa`` only when chosen)."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "lang": self.lang,
            "classification": self.classification,
            "public": self.public,
            "changes": self.changes,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "public_names": list(self.public_names),
            "editor": self.editor,
            "attach": [Path(p).name for p in self.attach],
        }
        if self.pdfa:
            data["pdfa"] = self.pdfa
        return data


def export_moment() -> datetime:
    """Now, or the moment SOURCE_DATE_EPOCH names (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


def _s(value: object) -> str:
    return "" if value is None else str(value)


def _partnership_facts(p: Partnership, lang: str) -> PartnershipFacts:
    parties = [
        Party(
            side=enum_term(PartyRole, link.role, lang),
            name=(link.actor.name_en or link.actor.name_de) if lang == "en" else link.actor.name_de,
            name_zh=_s(link.actor.name_zh),
            pinyin=_s(link.actor.name_pinyin),
            kind=enum_term(ActorKind, link.actor.kind, lang),
            region=_s(link.actor.region),
        )
        for link in p.parties
    ]
    activities = [
        ActivityRow(
            uuid=a.uuid,
            day=a.date.isoformat(),
            date=format_partial(a.date, a.date_precision, lang),
            kind=enum_term(ActivityKind, a.kind, lang),
            title=a.title,
            location=_s(a.location),
            outcome=_s(a.outcome),
        )
        for a in sorted(p.activities, key=lambda a: (a.date, a.id))
    ]
    return PartnershipFacts(
        uuid=p.uuid,
        title=p.title,
        type=enum_term(PartnershipType, p.type, lang),
        status=enum_term(PartnershipStatus, p.status, lang),
        since=format_partial(p.start_date, p.start_precision, lang),
        until=format_partial(p.end_date, p.end_precision, lang),
        fields=[enum_term(FieldOfAction, f, lang) for f in (p.fields_of_action or [])],
        description=_s(p.description),
        parties=parties,
        activities=activities,
        more=registry_facts(Kind.PARTNERSHIP, p, lang),
    )


def registry_facts(kind: Kind, record: Any, lang: str) -> list[tuple[str, str]]:
    """The fields the registry shows in a briefing (``Field.briefing``): caption and value,
    in the briefing's language; those left empty are not shown."""
    facts: list[tuple[str, str]] = []
    for f in REGISTRY[kind].fields:
        if not f.briefing or f.caption is None:
            continue
        value = getattr(record, f.name, None)
        if f.value_type == "date" and value is not None:
            text = format_partial(value, getattr(record, f.precision or "", "day") or "day", lang)
        elif f.vocabulary is not None and f.value_type == "enum":
            text = enum_term(f.vocabulary, value, lang)
        else:
            text = _s(value)
        if text:  # an empty fact is left out, as an open end is
            facts.append((catalogue_term(f.caption, lang), text))
    return facts


def _assessments(
    session: Session, dossier: Dossier, partnership_ids: list[int]
) -> list[Assessment]:
    cond = [Assessment.dossier_id == dossier.id]
    if partnership_ids:
        cond.append(Assessment.partnership_id.in_(partnership_ids))
    stmt = (
        select(Assessment)
        .where(or_(*cond), Assessment.status != AssessmentStatus.SUPERSEDED.value)
        .order_by(Assessment.id)
    )
    return list(session.scalars(stmt))


def _day_of(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    return format_day(date.fromisoformat(iso[:10]), lang)


def _assessment_summary(
    session: Session,
    assessment: Assessment,
    as_of: date,
    lang: str,
    source_number: dict[str, int],
) -> AssessmentSummary:
    from chinadialog_desktop.services.assessment.workflow import assessment_report

    report = assessment_report(session, assessment, as_of, lang)
    titles = {s["id"]: s["title"] for s in [*report["sections"], *report["chance_sections"]]}

    def score(s: dict[str, Any], sid: str, title: str) -> FieldScore:
        return FieldScore(
            id=sid,
            title=title,
            light=s["light"],
            answered=s["answered"],
            applicable=s["applicable"],
            risk_percent=s["risk_percent"],
            blockers=len(s["blockers"]),
        )

    def chance(s: dict[str, Any], sid: str, title: str) -> ChanceScore:
        return ChanceScore(
            id=sid,
            title=title,
            level=s["level"],
            answered=s["answered"],
            applicable=s["applicable"],
            chance_percent=s["chance_percent"],
        )

    ratings: list[Rating] = []
    open_items: list[OpenItem] = []
    for it in report["items"]:
        if it["applicability"] != "applicable" and it["answer"] is None:
            continue
        if it["open"]:
            open_items.append(
                OpenItem(
                    item=it["id"],
                    field=titles.get(it["section"], it["section"]),
                    question=_s(it["question"]),
                    responsible=_s(it["responsible"]),
                    due=_day_of(it["due_on"], lang),
                )
            )
            continue
        if it["answer"] is None:
            continue
        ratings.append(
            Rating(
                item=it["id"],
                field=titles.get(it["section"], it["section"]),
                question=_s(it["question"]),
                answer=it["answer"],
                answer_label=_s(it["answer_label"] or it["answer"]),
                severity=it["severity"],
                blocker_hit=bool(it["blocker_hit"]),
                risk=bool(it["risk"]),
                stale=bool(it["stale"]),
                evidence=_s(it["evidence"]),
                sources=sorted(source_number[u] for u in it["source_ids"] if u in source_number),
                answered_by=_s(it["answered_by"]),
                answered_on=_day_of(it["answered_at"], lang),
                note=_s(it["note"]),
            )
        )
    subject = report["partnership"]["title"] if report["partnership"] else ""
    return AssessmentSummary(
        uuid=report["uuid"],
        title=report["title"],
        subject=subject,
        checklist=_s(report["template"]["title"]),
        checklist_version=int(report["template"]["version"]),
        status=report["status"],
        reviewed_by=_s(report["reviewed_by"]),
        reviewed_on=_day_of(report["reviewed_on"], lang),
        overall=score(report["overall"], "overall", term("overall", lang)),
        fields=[score(s, s["id"], _s(s["title"])) for s in report["sections"]],
        blockers=[r for r in ratings if r.blocker_hit],
        open_items=open_items,
        ratings=ratings,
        chance_fields=[chance(s, s["id"], _s(s["title"])) for s in report["chance_sections"]],
        chances=chance(report["chances"], "chances", term("chances", lang))
        if report["chance_sections"]
        else None,
    )


def _source_text(src: Source) -> str:
    parts = [p for p in (src.author, src.title) if p]
    text = ": ".join(parts)
    if src.year:
        text += f" ({src.year})"
    return text


def _screening(
    session: Session, dossier: Dossier, lang: str, people: People
) -> tuple[list[ScreeningRow] | None, list[str]]:
    """Confirmed hits of the dossier's parties and the lists they were screened against.

    Every listed person a hit names goes into ``people``: the public version
    shows the role, never the name.
    """
    try:
        from chinadialog_desktop.services.screening.runs import confirmed_hits_for_dossier
    except ImportError:  # a build without the screening service
        return None, []
    lists = [
        f"{name} ({term('as_of', lang)} {format_day(day, lang)})" if day else name
        for name, day in session.execute(
            select(ReferenceList.name, ReferenceList.list_date).order_by(ReferenceList.name)
        )
    ]
    rows: list[ScreeningRow] = []
    listed_person = role("listed_person", lang)
    for hit in confirmed_hits_for_dossier(session, dossier.id):
        if hit.entity_schema == "Person":
            people.add_private(hit.entity_caption, listed_person)
            entity = session.scalars(
                select(ReferenceEntity)
                .join(ReferenceList)
                .where(
                    ReferenceList.list_key == hit.list_key,
                    ReferenceEntity.entity_key == hit.entity_key,
                )
            ).first()
            if entity is not None:
                for name in [*(entity.names or []), *(entity.weak_aliases or [])]:
                    people.add_private(str(name), listed_person)
        people.add_staff(hit.decided_by)
        topics = topic_terms([*hit.designations, *hit.assessments], lang)
        rows.append(
            ScreeningRow(
                subject=hit.subject_label,
                entry=hit.entity_caption + (f" ({', '.join(topics)})" if topics else ""),
                list_name=hit.list_name
                + (
                    f", {term('as_of', lang)} {format_day(hit.list_date, lang)}"
                    if hit.list_date
                    else ""
                ),
                reason=_s(hit.reason),
                subject_kind=hit.subject_kind,
                entity_schema=hit.entity_schema,
                decided_by=_s(hit.decided_by),
                decided_on=format_day(hit.decided_at.date(), lang) if hit.decided_at else "",
                designations=topics,
            )
        )
    return rows, lists


def dossier_subjects(
    session: Session, partnerships: list[Partnership]
) -> list[tuple[str, str, str, str | None]]:
    """(uuid, kind, German name, English name) of every actor and contact of the dossier.

    The parties of its partnerships, their contacts and the partnerships' own contacts.
    """
    actors = list(dict.fromkeys(link.actor for p in partnerships for link in p.parties))
    actor_ids = [a.id for a in actors]
    p_ids = [p.id for p in partnerships]
    out: list[tuple[str, str, str, str | None]] = [
        (a.uuid, "actor", a.name_de, a.name_en) for a in actors
    ]
    if actor_ids or p_ids:
        for c in session.scalars(
            select(Contact)
            .where(or_(Contact.actor_id.in_(actor_ids), Contact.partnership_id.in_(p_ids)))
            .order_by(Contact.name, Contact.id)
        ):
            out.append((c.uuid, "contact", c.name, None))
    return out


def _screened(session: Session, partnerships: list[Partnership], lang: str) -> list[CheckedRow]:
    """Who was checked against which list version, and when; also who was not."""
    from chinadialog_desktop.services.screening.checks import checks_of

    lists = {
        key: (name, day, sha)
        for key, name, day, sha in session.execute(
            select(
                ReferenceList.list_key,
                ReferenceList.name,
                ReferenceList.list_date,
                ReferenceList.file_sha256,
            )
        )
    }
    subjects = dossier_subjects(session, partnerships)
    checks = checks_of(session, [s[0] for s in subjects])
    rows = []
    for uuid, kind, name_de, name_en in subjects:
        done = [c for c in checks.get(uuid, []) if c.list_key in lists]
        parts = []
        for c in done:
            name = lists[c.list_key][0]
            text = (
                f"{name} ({term('as_of', lang)} {format_day(c.list_date, lang)})"
                if c.list_date
                else name
            )
            if (c.list_date, c.list_sha256) != lists[c.list_key][1:]:
                text += f" – {term('screening_old', lang)}"
            parts.append(text)
        current = (
            bool(lists)
            and {c.list_key for c in done} == set(lists)
            and all((c.list_date, c.list_sha256) == lists[c.list_key][1:] for c in done)
        )
        rows.append(
            CheckedRow(
                subject=(name_en or name_de) if lang == "en" else name_de,
                subject_kind=kind,
                kind_label=term(
                    "screening_party" if kind == "actor" else "screening_contact", lang
                ),
                checked_on=format_day(max(c.checked_at for c in done).date(), lang) if done else "",
                lists="; ".join(parts),
                current=current,
                uuid=uuid,
            )
        )
    return rows


def _people(
    session: Session,
    dossier: Dossier,
    partnerships: list[Partnership],
    assessments: list[Assessment],
    options: BriefingOptions,
) -> People:
    """Contacts (private persons), staff, and the staff names released for the public."""
    lang = options.lang
    people = People()
    partnership_ids = {p.id for p in partnerships}
    german = {
        link.actor_id
        for p in partnerships
        for link in p.parties
        if link.role == PartyRole.GERMAN.value
    }
    partners = {link.actor_id for p in partnerships for link in p.parties} - german
    # Every contact in the database is a private person, wherever the name turns up.
    for name, name_zh, actor_id, partnership_id in session.execute(
        select(Contact.name, Contact.name_zh, Contact.actor_id, Contact.partnership_id).order_by(
            Contact.id
        )
    ):
        key = (
            "contact_german"
            if actor_id in german
            else "contact_partner"
            if actor_id in partners or partnership_id in partnership_ids
            else "contact"
        )
        people.add_private(name, role(key, lang))
        people.add_private(name_zh, role(key, lang))
    # Counterpart contacts (the register) are private persons too.
    for name, name_zh in counterpart_names(session):
        people.add_private(name, role("counterpart", lang))
        people.add_private(name_zh, role("counterpart", lang))
    for a in assessments:
        people.add_staff(a.reviewed_by)
        for ans in a.answers:
            people.add_staff(ans.answered_by)
            people.add_staff(ans.responsible)
    people.add_staff(dossier.author)
    people.add_staff(options.editor)
    people.add_staff(current_user())  # the login, should it have found its way into a text
    people.released = {
        n
        for n in (dossier.responsible, dossier.lead_office, *options.public_names)
        if n and n.strip()
    }
    return people


def build_content(session: Session, dossier: Dossier, options: BriefingOptions) -> Briefing:
    """Everything the briefing says, in the briefing's language, as plain data.

    For the public version the content passes ``briefing_public.public_version``
    here, before any writer sees it; a public version in which ``leaks`` still
    finds a protected name or internal passage is refused.
    """
    return build_content_checked(session, dossier, options)[0]


def build_content_checked(
    session: Session, dossier: Dossier, options: BriefingOptions
) -> tuple[Briefing, People, list[str]]:
    """``build_content``, plus who is protected and the internal passages left out."""
    content, people = _build(session, dossier, options)
    content = without_login(content, current_user(), options.editor.strip())
    if not options.public:
        content = attach_files(session, content, options.attach)
        return show_internal_marks(content), people, []
    released = set(
        session.scalars(
            select(Attachment.uuid).where(
                Attachment.uuid.in_([a.uuid for a in content.attachments]),
                Attachment.public_release.is_(True),
            )
        )
    )
    rows, left_out = public_rows(content.attachments, released)
    content = replace(content, attachments=rows)
    public, phrases = public_version(content, people)
    public = replace(public, omitted_internal=public.omitted_internal + left_out)
    # Files given for this export are the user's explicit choice for this version; their
    # names are checked with everything else.
    public = attach_files(session, public, options.attach)
    refuse_leaks(public, people, phrases)
    return public, people, phrases


def refuse_leaks(content: Briefing, people: People, phrases: list[str]) -> None:
    if leaks(content, people, phrases):
        raise UserError(
            _(
                "The public version would still contain names of persons or "
                "passages marked internal; it was not created. Please check the "
                "texts of the dossier."
            )
        )


def session_publicity(
    dossier: Dossier, options: BriefingOptions
) -> tuple[bool, list[tuple[Deliberation, bool]]]:
    """öffentlich / nichtöffentlich: for the paper, and per Gremium of the Beratungsfolge.

    A classified version (internal, VS-NfD) is nichtöffentlich everywhere; otherwise a
    Gremium follows its own setting, or the dossier's "Public session". A VS-NfD paper
    that a Gremium is to discuss in public session, and a public version of a VS-NfD
    dossier or of a paper no Gremium discusses in public, are contradictions: refused
    with a sentence that names them.
    """
    own = dossier.classification or Classification.OPEN.value
    chosen = options.classification or own
    rank = [c.value for c in Classification]  # open < internal < VS-NfD
    lower = chosen in rank and own in rank and rank.index(chosen) < rank.index(own)
    if lower and not options.public:  # the public version is filtered, and refused for VS-NfD
        # An export may mark a paper higher than its dossier, never lower: otherwise one
        # option would print a VS-NfD dossier without its marking.
        raise UserError(
            _(
                "The dossier is classified {own}; a briefing of it cannot be marked lower "
                "({chosen}). Change the classification of the dossier first."
            ).format(own=label(Classification, own), chosen=label(Classification, chosen))
        )
    if options.public and own == Classification.VS_NFD.value:
        raise UserError(
            _(
                "The dossier is classified VS-NfD; a public version of it cannot "
                "be made. Change the classification of the dossier first."
            )
        )
    classified = not options.public and chosen != Classification.OPEN.value
    steps: list[tuple[Deliberation, bool]] = []
    for d in dossier.deliberations:
        setting = d.publicity or SessionPublicity.AS_DOSSIER.value
        if chosen == Classification.VS_NFD.value and setting == SessionPublicity.PUBLIC.value:
            raise UserError(
                _(
                    "The paper is classified VS-NfD but is to be discussed in public session in "
                    "“{body}”. Change the classification or the session of this step of the "
                    "order of deliberation."
                ).format(body=d.body)
            )
        public = setting == SessionPublicity.PUBLIC.value or (
            setting == SessionPublicity.AS_DOSSIER.value and bool(dossier.is_public)
        )
        steps.append((d, public and not classified))
    dossier_public = bool(dossier.is_public) and not classified
    if options.public and not (any(p for _d, p in steps) if steps else dossier_public):
        raise UserError(
            _(
                "No body discusses this paper in public session, so there is no "
                "public version of it. Mark the session public in the order of "
                "deliberation, or export the full version."
            )
        )
    return dossier_public, steps


def publicity_term(steps: list[tuple[Deliberation, bool]], dossier_public: bool, lang: str) -> str:
    values = {public for _d, public in steps} or {dossier_public}
    if len(values) > 1:
        return term("public_per_body", lang)
    return term("public" if values.pop() else "non_public", lang)


def _build(session: Session, dossier: Dossier, options: BriefingOptions) -> tuple[Briefing, People]:
    options.validate()
    lang = options.lang
    as_of = options.as_of or export_moment().date()
    kind = options.kind or dossier.document_kind or DocumentKind.INFORMATION.value
    classification = (
        Classification.OPEN.value
        if options.public
        else (options.classification or dossier.classification or Classification.OPEN.value)
    )
    dossier_public, steps = session_publicity(dossier, options)
    header = Header(
        title=dossier.title,
        kind=kind,
        kind_label=enum_term(DocumentKind, kind, lang),
        file_number=_s(dossier.file_number),
        lead_office=_s(dossier.lead_office),
        responsible=_s(dossier.responsible),
        author=_s(dossier.author),
        editor=options.editor.strip(),
        date=format_day(dossier.document_date or as_of, lang),
        city=_s(dossier.city).strip(),
        department=_s(dossier.department).strip(),
        as_of=format_day(as_of, lang),
        is_public=all(public for _d, public in steps) if steps else dossier_public,
        publicity=publicity_term(steps, dossier_public, lang),
        classification=classification,
        marking=marking(classification, lang),
        deliberations=[
            DeliberationRow(
                body=d.body,
                meeting_on=format_day(d.meeting_on, lang),
                role=enum_term(DeliberationRole, d.role, lang),
                status=_s(d.status),
                is_public=public,
                publicity=term("public" if public else "non_public", lang),
            )
            for d, public in steps
        ],
    )
    sections: list[Section] = []
    order = {k.value: i for i, k in enumerate(SECTION_ORDER)}
    for s in sorted(dossier.sections, key=lambda s: (order.get(s.key, 99), s.position)):
        if not s.body.strip():
            continue
        sections.append(
            Section(s.key, enum_term(SectionKey, s.key, lang), s.body.strip(), s.internal)
        )

    partnerships = [link.partnership for link in dossier.partnership_links]
    facts = [_partnership_facts(p, lang) for p in partnerships]

    sources = [
        SourceRow(
            number=link.number,
            uuid=link.source.uuid,
            text=_source_text(link.source),
            url=_s(link.source.url),
            accessed=format_day(link.source.accessed_on, lang),
        )
        for link in dossier.source_links
    ]
    source_number = {s.uuid: s.number for s in sources}
    assessments = _assessments(session, dossier, [p.id for p in partnerships])
    # Sources an answer cites but the dossier does not list get the next numbers.
    cited = sorted(
        {u for a in assessments for ans in a.answers for u in (ans.source_ids or [])}
        - set(source_number)
    )
    if cited:
        extra = session.scalars(select(Source).where(Source.uuid.in_(cited))).all()
        next_number = max((s.number for s in sources), default=0) + 1
        for src in sorted(extra, key=lambda s: (s.title, s.uuid)):
            sources.append(
                SourceRow(
                    next_number,
                    src.uuid,
                    _source_text(src),
                    _s(src.url),
                    format_day(src.accessed_on, lang),
                )
            )
            source_number[src.uuid] = next_number
            next_number += 1
    summaries = [_assessment_summary(session, a, as_of, lang, source_number) for a in assessments]
    people = _people(session, dossier, partnerships, assessments, options)

    ids = [p.id for p in partnerships]
    att_cond = [Attachment.dossier_id == dossier.id]
    if ids:
        att_cond.append(Attachment.partnership_id.in_(ids))
    attachments = [
        AttachmentRow(name, _s(desc), size, sha, uuid)
        for name, desc, size, sha, uuid in session.execute(
            select(
                Attachment.file_name,
                Attachment.description,
                Attachment.size,
                Attachment.sha256,
                Attachment.uuid,
            )
            .where(or_(*att_cond))
            .order_by(Attachment.file_name, Attachment.id)
        )
    ]
    titles = ", ".join(p.title for p in partnerships) or dossier.title
    screening, screening_lists = _screening(session, dossier, lang, people)
    screened = _screened(session, partnerships, lang) if screening is not None else []
    resolution = dossier.proposed_resolution if kind == DocumentKind.DECISION.value else None
    financial_rows, financial_statement = _finance(dossier, lang)
    return Briefing(
        dossier_uuid=dossier.uuid,
        lang=lang,
        public=options.public,
        header=header,
        subject=term("subject_line", lang, kind=header.kind_label, partnerships=titles),
        keywords="; ".join([term("keywords", lang), *(p.title for p in partnerships)]),
        resolution=(resolution or "").strip() or None,
        sections=sections,
        partnerships=facts,
        assessments=summaries,
        screening=screening,
        screening_lists=screening_lists,
        screened=screened,
        financial_effects=(dossier.financial_effects or "").strip() or None,
        sources=sources,
        attachments=attachments,
        omitted_internal=0,
        financial_rows=financial_rows,
        financial_statement=financial_statement,
        registers=register_tables(session, ids, lang),
    ), people


def _finance(dossier: Dossier, lang: str) -> tuple[list[FinanceRow], str | None]:
    """The Finanzielle Auswirkungen as printed: "ja" as table rows, "nein" as one sentence.

    Not stated: neither (the free text alone, as before; the checks name the gap).
    The details of a "nein" are not printed (the checks name the contradiction).
    """
    impact = dossier.financial_impact
    if impact == FinancialImpact.NO.value:
        return [], term("financial_none", lang)
    if impact != FinancialImpact.YES.value:
        return [], None
    rows = [FinanceRow(term("financial", lang), enum_term(FinancialImpact, impact, lang))]
    if dossier.financial_year is not None:
        rows.append(FinanceRow(term("financial_year", lang), str(dossier.financial_year)))
    if _s(dossier.financial_item).strip():
        rows.append(FinanceRow(term("financial_item", lang), _s(dossier.financial_item).strip()))
    if dossier.financial_recurrence:
        rows.append(
            FinanceRow(
                term("financial_recurrence", lang),
                enum_term(CostRecurrence, dossier.financial_recurrence, lang),
            )
        )
    if dossier.financial_amount is not None:
        rows.append(
            FinanceRow(
                term("financial_amount", lang), format_amount(dossier.financial_amount, lang)
            )
        )
    return rows, None


def snapshot(briefing: Briefing) -> dict[str, Any]:
    """The content as JSON-compatible data (without the derived change list)."""
    data = asdict(replace(briefing, annex_files=[], archive_files=[]))
    data.pop("annex_files", None)  # the files' bytes; the listing stays in "attachments"
    data.pop("changes", None)
    data.pop("changes_since", None)
    data.pop("changes_note", None)
    data.pop("pdfa", None)  # how the file is written, not what it says
    data.pop("archive_files", None)
    data["format"] = 1
    return data


__all__ = [
    "ActivityRow",
    "AssessmentSummary",
    "AttachmentRow",
    "Briefing",
    "DeliberationRow",
    "FieldScore",
    "FinanceRow",
    "Header",
    "OpenItem",
    "Party",
    "PartnershipFacts",
    "Rating",
    "ScreeningRow",
    "Section",
    "SourceRow",
    "Block",
    "BriefingOptions",
    "Run",
    "build_content",
    "build_content_checked",
    "cited_numbers",
    "export_moment",
    "parse_markup",
    "snapshot",
]
