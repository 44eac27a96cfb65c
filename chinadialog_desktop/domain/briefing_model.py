"""The briefing content model: plain dataclasses, the same for every writer (PDF, DOCX).

Everything is already in the briefing's language; nothing refers to the
database, so a writer can run on any thread. ``briefing_content`` fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DeliberationRow:
    body: str
    meeting_on: str
    role: str
    status: str
    is_public: bool = True  # öffentlich in this Gremium (derived, see briefing_content)
    publicity: str = ""  # "öffentlich" / "nichtöffentlich" in the briefing's language


@dataclass
class Header:
    title: str
    kind: str
    kind_label: str
    file_number: str
    lead_office: str
    responsible: str
    author: str
    editor: str  # "Bearbeitet von": the name set in the app
    date: str  # Datum der Vorlage; without one, the day of the export
    city: str  # Stadt / Gemeinde / Kreis, as the dossier names it
    department: str  # Dezernat / Amt
    as_of: str  # the day the data stand at (the export day or the chosen "as of")
    is_public: bool  # öffentlich in every Gremium (or, without a Beratungsfolge, the dossier's)
    publicity: str  # "öffentlich", "nichtöffentlich" or "je Gremium, siehe Beratungsfolge"
    classification: str
    marking: str | None
    deliberations: list[DeliberationRow]


@dataclass
class Section:
    key: str
    title: str
    body: str
    internal: bool


@dataclass
class Party:
    side: str
    name: str
    name_zh: str
    pinyin: str
    kind: str
    region: str


@dataclass
class ActivityRow:
    uuid: str
    day: str  # ISO date, for sorting and comparing
    date: str  # as precise as known, in the briefing's language
    kind: str
    title: str
    location: str
    outcome: str


@dataclass
class PartnershipFacts:
    uuid: str
    title: str
    type: str
    status: str
    since: str
    until: str
    fields: list[str]
    description: str
    parties: list[Party]
    activities: list[ActivityRow]
    # The registry's further facts (``Field.briefing``): caption and value, in its language.
    more: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class FieldScore:
    id: str
    title: str
    light: str
    answered: int
    applicable: int
    risk_percent: float
    blockers: int


@dataclass
class ChanceScore:
    """The chance side of one chance field, or of the whole assessment."""

    id: str
    title: str
    level: str  # high | medium | low | none (domain.scoring.ChanceLevel)
    answered: int
    applicable: int
    chance_percent: float


@dataclass
class Rating:
    item: str
    field: str
    question: str
    answer: str | None  # code
    answer_label: str
    severity: str
    blocker_hit: bool
    risk: bool
    stale: bool
    evidence: str
    sources: list[int]
    answered_by: str
    answered_on: str
    note: str  # internal: left out of the public version


@dataclass
class OpenItem:
    item: str
    field: str
    question: str
    responsible: str
    due: str


@dataclass
class AssessmentSummary:
    uuid: str
    title: str
    subject: str
    checklist: str
    checklist_version: int
    status: str
    reviewed_by: str
    reviewed_on: str
    overall: FieldScore
    fields: list[FieldScore]
    blockers: list[Rating]
    open_items: list[OpenItem]
    ratings: list[Rating]
    # The chance side, beside the risks (empty and None: the template has none).
    chance_fields: list[ChanceScore] = field(default_factory=list)
    chances: ChanceScore | None = None


@dataclass
class ScreeningRow:
    subject: str
    entry: str
    list_name: str
    reason: str  # the reviewer's reason: internal, left out of the public version
    subject_kind: str = "actor"  # actor | contact
    entity_schema: str = ""  # Person, Company, Organization …
    decided_by: str = ""
    decided_on: str = ""
    designations: list[str] = field(default_factory=list)


@dataclass
class CheckedRow:
    """One actor or contact linked to the dossier: when it was screened, against what."""

    subject: str
    subject_kind: str  # "actor" | "contact"
    kind_label: str  # Beteiligter / Kontaktperson, in the briefing's language
    checked_on: str  # the latest check, "" if never screened
    lists: str  # "Liste A (Stand 01.10.2026); Liste B (…)"
    current: bool  # screened against the version of every list now imported
    uuid: str = ""  # the actor's or contact's


@dataclass
class SourceRow:
    number: int
    uuid: str
    text: str
    url: str
    accessed: str


@dataclass
class FinanceRow:
    """One line of the Finanzielle Auswirkungen table: label and value, as printed."""

    label: str
    value: str


@dataclass
class AttachmentRow:
    file_name: str
    description: str
    size: int
    sha256: str
    uuid: str = ""  # the stored attachment's; "" for a file attached to this export only
    number: int = 0  # "Anlage N": after the Anlagen of the briefing itself
    pdf: bool = False  # a PDF file (by its first bytes, media type or name)
    pages: int = 0  # a readable PDF's page count: its pages follow the briefing
    unreadable: bool = False  # a PDF that is damaged or encrypted: listed, not appended

    @property
    def title(self) -> str:
        """What the bookmark and the Anlage's stamp call it."""
        return (
            self.description.strip().splitlines()[0]
            if self.description.strip()
            else (self.file_name)
        )


@dataclass
class AnnexFile:
    """The bytes of an Anlage appended after the briefing (never part of a snapshot)."""

    number: int
    title: str
    file_name: str
    data: bytes = field(repr=False)
    media_type: str = "application/pdf"


@dataclass
class RegisterTable:
    """One register (domain.registers) of the dossier's partnerships, as printed.

    ``field_names`` names the field of each column; the public version keeps only the
    columns in ``public_fields``, or, without ``public_rows``, only how many entries
    there are. ``internal_texts`` (an incident's account, a conversation) are never
    printed: the public version drops any sentence elsewhere that repeats one.
    """

    key: str
    title: str
    count: int
    columns: list[str]
    field_names: list[str]
    rows: list[list[str]]
    public_fields: list[str]
    public_rows: bool
    note: str = ""
    internal_texts: list[str] = field(default_factory=list, repr=False)


@dataclass
class Briefing:
    dossier_uuid: str
    lang: str
    public: bool
    header: Header
    subject: str
    keywords: str
    resolution: str | None
    sections: list[Section]
    partnerships: list[PartnershipFacts]
    assessments: list[AssessmentSummary]
    screening: list[ScreeningRow] | None  # None: no screening service to ask
    screening_lists: list[str]  # the reference lists in the database
    screened: list[CheckedRow]  # every actor and contact of the dossier, checked or not
    financial_effects: str | None  # the free text; with ja/nein stated, the "Erläuterung"
    sources: list[SourceRow]
    attachments: list[AttachmentRow]
    omitted_internal: int
    names_replaced: int = 0  # public version: names of persons replaced by their role
    # Finanzielle Auswirkungen as stated: "ja" with its table rows, or the sentence for "nein";
    # neither when the dossier does not say (then only the free text, as before).
    financial_rows: list[FinanceRow] = field(default_factory=list)
    financial_statement: str | None = None
    # The PDF files appended after the briefing's own pages, in Anlage order.
    annex_files: list[AnnexFile] = field(default_factory=list, repr=False)
    changes: list[str] | None = field(default=None)  # filled in by the export service
    changes_since: str | None = field(default=None)
    changes_note: str | None = field(default=None)  # no comparison, but earlier exports exist
    # PDF/A for the e-Akte: 0 a plain PDF, 2 PDF/A-2b, 3 PDF/A-3b with the listed files
    # (``archive_files``, every type) embedded as associated files. Never in a snapshot.
    pdfa: int = field(default=0)
    archive_files: list[AnnexFile] = field(default_factory=list, repr=False)
    # The registers of the dossier's partnerships (visits, gifts, contacts, incidents) that
    # have entries; none: the chapter is left out.
    registers: list[RegisterTable] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)
