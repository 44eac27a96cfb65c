"""Words for what reference lists say about an entity, defined once for every view.

FollowTheMoney topic codes (``sanction``, ``gov.security``, ``role.rca`` …) and the public
bodies the matcher recognises are shown to officials only through these words, in the
active language; an unknown code falls back to the word of its family (``gov.*`` → public
body), never to the code itself.
"""

from __future__ import annotations

from chinadialog_desktop.i18n import N_, _

# A hit is reported from this score on. Chosen on the "tune" half of the whole-list
# evaluation (benchmarks/screening_whole_list.py): the highest value that still finds
# every labelled match there; one typo in an eight-letter name scores 0.875, another
# person's name differing in a syllable 0.70 at most, another city's bureau 0.60.
# Here, not in matching.py, so the command line can show it without loading the matcher.
DEFAULT_THRESHOLD = 0.85

# The decision on a hit (stored codes of ``reference_hit.status``), as every view says it.
STATUS_LABELS: dict[str, str] = {
    "open": N_("undecided"),
    "confirmed": N_("confirmed"),
    "dismissed": N_("dismissed"),
}
# What kind of reference list it is (stored codes of ``reference_list.category``).
CATEGORY_LABELS: dict[str, str] = {
    "designation": N_("legal designation"),
    "assessment": N_("risk assessment"),
}

# The FollowTheMoney topic registry (checked against followthemoney's topic type).
TOPIC_LABELS: dict[str, str] = {
    "sanction": N_("sanctioned"),
    "sanction.linked": N_("linked to a sanctioned party"),
    "sanction.counter": N_("counter-sanction"),
    "export.control": N_("export control"),
    "export.control.linked": N_("linked to an export-controlled party"),
    "export.risk": N_("export risk"),
    "debarment": N_("debarred"),
    "invest.ban": N_("investment ban"),
    "invest.risk": N_("investment risk"),
    "asset.frozen": N_("assets frozen"),
    "mil": N_("military links"),
    "gov": N_("public body"),
    "gov.national": N_("national government"),
    "gov.state": N_("regional government"),
    "gov.muni": N_("municipal body"),
    "gov.soe": N_("state-owned enterprise"),
    "gov.igo": N_("intergovernmental organisation"),
    "gov.head": N_("head of state or government"),
    "gov.admin": N_("civil service"),
    "gov.executive": N_("executive"),
    "gov.legislative": N_("legislature"),
    "gov.judicial": N_("judiciary"),
    "gov.security": N_("security agency"),
    "gov.financial": N_("central bank or financial supervisor"),
    "role.pep": N_("politically exposed person"),
    "role.pol": N_("political office"),
    "role.rca": N_("relative or close associate of a politically exposed person"),
    "role.judge": N_("judge"),
    "role.civil": N_("civil servant"),
    "role.diplo": N_("diplomat"),
    "role.spy": N_("intelligence service"),
    "role.oligarch": N_("oligarch"),
    "crime": N_("criminal proceedings"),
    "crime.terror": N_("terrorism"),
    "crime.fin": N_("financial crime"),
    "crime.fraud": N_("fraud"),
    "crime.cyber": N_("cybercrime"),
    "crime.war": N_("war crimes"),
    "crime.traffick": N_("trafficking"),
    "wanted": N_("wanted"),
    "reg.action": N_("regulatory action"),
    "reg.warn": N_("regulatory warning"),
    "corp.shell": N_("shell company"),
    "corp.offshore": N_("offshore company"),
    "corp.disqual": N_("disqualified director"),
    "fin": N_("financial services"),
    "fin.bank": N_("bank"),
    "pol.party": N_("political party"),
    "poi": N_("person of interest"),
    "list": N_("listed"),
}
# A code we do not know yet, by its family.
_TOPIC_FAMILIES: dict[str, str] = {
    "sanction": N_("sanctioned"),
    "export": N_("export control"),
    "invest": N_("investment ban"),
    "gov": N_("public body"),
    "role": N_("public role"),
    "crime": N_("criminal proceedings"),
    "reg": N_("regulatory action"),
    "corp": N_("company note"),
    "fin": N_("financial services"),
}


def topic_label(topic: str) -> str:
    """``gov.security`` → Sicherheitsbehörde; an unknown code → the word of its family."""
    label = TOPIC_LABELS.get(topic) or _TOPIC_FAMILIES.get(topic.split(".", 1)[0])
    return _(label) if label else _("other note on the list")


def topic_labels(topics: list[str] | tuple[str, ...]) -> str:
    """Several topics as one comma-separated phrase, each word once."""
    return ", ".join(dict.fromkeys(topic_label(t) for t in topics))


# Public bodies named by a template (keys of domain.names.PUBLIC_BODIES).
BODY_LABELS: dict[str, str] = {
    "state_security_bureau": N_("state security bureau"),
    "public_security_bureau": N_("public security bureau"),
    "congress_standing_committee": N_("standing committee of the people's congress"),
    "congress": N_("people's congress"),
    "foreign_affairs_office": N_("foreign affairs office"),
    "government": N_("people's government"),
    "party_committee": N_("party committee"),
    "united_front": N_("united front work department"),
    "procuratorate": N_("people's procuratorate"),
    "court": N_("people's court"),
}


def body_label(key: str) -> str:
    label = BODY_LABELS.get(key)
    return _(label) if label else _("public body")
