"""What changed between two briefing snapshots: answers, scores, activities, text."""

from __future__ import annotations

from typing import Any

from chinadialog_desktop.domain.briefing_terms import chance_term, enum_term, light_term, term
from chinadialog_desktop.domain.enums import FinancialImpact


def _by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {str(i[key]): i for i in items}


def _pct(value: float) -> str:
    return f"{value:.0f}"


def compare_snapshots(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    """One line per change from ``old`` to ``new``, in the order of the briefing."""
    t = term
    out: list[str] = []
    oh, nh = old.get("header", {}), new.get("header", {})
    for key in (
        "title",
        "city",
        "department",
        "file_number",
        "lead_office",
        "responsible",
        "kind_label",
        "publicity",
    ):
        if key in oh and oh.get(key, "") != nh.get(key, ""):
            field = t(
                "document_kind" if key == "kind_label" else "subject" if key == "title" else key,
                lang,
            )
            out.append(
                t("chg_header", lang, field=field, old=oh.get(key) or "–", new=nh.get(key) or "–")
            )
    out.extend(
        _deliberation_changes(oh.get("deliberations") or [], nh.get("deliberations") or [], lang)
    )
    # text sections
    osec, nsec = _by(old.get("sections", []), "key"), _by(new.get("sections", []), "key")
    for key, sec in nsec.items():
        if key not in osec:
            out.append(t("chg_section_added", lang, section=sec["title"]))
        elif " ".join(osec[key]["body"].split()) != " ".join(sec["body"].split()):
            out.append(t("chg_section_text", lang, section=sec["title"]))
    for key, sec in osec.items():
        if key not in nsec:
            out.append(t("chg_section_removed", lang, section=sec["title"]))
    for key in ("resolution", "financial_effects"):
        if (old.get(key) or "") != (new.get(key) or ""):
            label = t(
                "resolution"
                if key == "resolution"
                else "financial_explanation"
                if new.get("financial_rows") or new.get("financial_statement")
                else "financial",
                lang,
            )
            verb = (
                "chg_section_added"
                if not old.get(key)
                else "chg_section_removed"
                if not new.get(key)
                else "chg_section_text"
            )
            out.append(t(verb, lang, section=label))
    out.extend(_finance_changes(old, new, lang))
    # partnerships and their activities
    op, np_ = _by(old.get("partnerships", []), "uuid"), _by(new.get("partnerships", []), "uuid")
    for uuid, p in np_.items():
        if uuid not in op:
            out.append(t("chg_partnership_added", lang, title=p["title"]))
            continue
        before = op[uuid]
        for key in ("status", "type", "since", "until"):
            if before.get(key) != p.get(key):
                out.append(
                    t(
                        "chg_partnership_field",
                        lang,
                        title=p["title"],
                        field=t(key if key != "type" else "type", lang),
                        old=before.get(key) or "–",
                        new=p.get(key) or "–",
                    )
                )
        oa, na = _by(before["activities"], "uuid"), _by(p["activities"], "uuid")
        for auid, a in na.items():
            if auid not in oa:
                out.append(
                    t(
                        "chg_activity_added",
                        lang,
                        title=p["title"],
                        date=a["date"],
                        activity=a["title"],
                    )
                )
            elif any(
                oa[auid].get(k) != a.get(k) for k in ("day", "title", "kind", "location", "outcome")
            ):
                out.append(
                    t(
                        "chg_activity_changed",
                        lang,
                        title=p["title"],
                        date=a["date"],
                        activity=a["title"],
                    )
                )
        for auid, a in oa.items():
            if auid not in na:
                out.append(
                    t(
                        "chg_activity_removed",
                        lang,
                        title=p["title"],
                        date=a["date"],
                        activity=a["title"],
                    )
                )
    for uuid, p in op.items():
        if uuid not in np_:
            out.append(t("chg_partnership_removed", lang, title=p["title"]))
    # assessments: lights, scores, answers
    oa_, na_ = _by(old.get("assessments", []), "uuid"), _by(new.get("assessments", []), "uuid")
    old_by_title = {a["title"]: a for a in old.get("assessments", [])}
    for uuid, a in na_.items():
        # A new revision of an assessment has a new uuid but the same title.
        previous = oa_.get(uuid) or old_by_title.get(a["title"])
        if previous is None:
            out.append(t("chg_assessment_added", lang, title=a["title"]))
            continue
        out.extend(_assessment_changes(previous, a, lang))
    new_titles = {a["title"] for a in new.get("assessments", [])}
    for uuid, a in oa_.items():
        if uuid not in na_ and a["title"] not in new_titles:
            out.append(t("chg_assessment_removed", lang, title=a["title"]))
    # sources
    os_, ns_ = _by(old.get("sources", []), "uuid"), _by(new.get("sources", []), "uuid")
    for uuid, s in ns_.items():
        if uuid not in os_:
            out.append(t("chg_source_added", lang, number=s["number"], title=s["text"]))
    for uuid, s in os_.items():
        if uuid not in ns_:
            out.append(t("chg_source_removed", lang, title=s["text"]))
    out.extend(_attachment_changes(old, new, lang))

    # screening
    def hits(snap: dict[str, Any]) -> set[str]:
        return {
            f"{r['subject']} – {r['entry']} ({r['list_name']})"
            for r in (snap.get("screening") or [])
        }

    for hit in sorted(hits(new) - hits(old)):
        out.append(t("chg_screening", lang, text=hit))
    return out


def _deliberation_changes(
    old: list[dict[str, Any]], new: list[dict[str, Any]], lang: str
) -> list[str]:
    """The Beratungsfolge: a Gremium added or dropped, its date, role, session, status."""
    t = term
    out: list[str] = []
    before = {d["body"]: d for d in old}
    after = {d["body"]: d for d in new}
    for body, d in after.items():
        if body not in before:
            out.append(
                t(
                    "chg_body_added",
                    lang,
                    body=body,
                    date=d.get("meeting_on") or "–",
                    role=d.get("role") or "–",
                )
            )
            continue
        b = before[body]
        for key, label in (
            ("meeting_on", "meeting_on"),
            ("role", "role"),
            ("publicity", "session"),
            ("status", "status"),
        ):
            if key in b and (b.get(key) or "") != (d.get(key) or ""):
                out.append(
                    t(
                        "chg_body_field",
                        lang,
                        body=body,
                        field=t(label, lang),
                        old=b.get(key) or "–",
                        new=d.get(key) or "–",
                    )
                )
    for body in before:
        if body not in after:
            out.append(t("chg_body_removed", lang, body=body))
    if [d["body"] for d in old if d["body"] in after] != [
        d["body"] for d in new if d["body"] in before
    ]:
        out.append(t("chg_body_order", lang))
    return out


def _assessment_changes(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    t = term
    title = new["title"]
    out: list[str] = []
    if old["overall"]["light"] != new["overall"]["light"]:
        out.append(
            t(
                "chg_overall",
                lang,
                title=title,
                old=light_term(old["overall"]["light"], lang),
                new=light_term(new["overall"]["light"], lang),
            )
        )
    old_c, new_c = old.get("chances"), new.get("chances")  # absent in older exports
    if old_c and new_c and old_c["level"] != new_c["level"]:
        out.append(
            t(
                "chg_chances",
                lang,
                title=title,
                old=chance_term(old_c["level"], lang),
                new=chance_term(new_c["level"], lang),
            )
        )
    of = _by(old["fields"], "id")
    for f in new["fields"]:
        before = of.get(f["id"])
        if before is None:
            continue
        if before["light"] != f["light"]:
            out.append(
                t(
                    "chg_field_light",
                    lang,
                    title=title,
                    field=f["title"],
                    old=light_term(before["light"], lang),
                    new=light_term(f["light"], lang),
                )
            )
        elif _pct(before["risk_percent"]) != _pct(f["risk_percent"]):
            out.append(
                t(
                    "chg_field_score",
                    lang,
                    title=title,
                    field=f["title"],
                    old=_pct(before["risk_percent"]),
                    new=_pct(f["risk_percent"]),
                )
            )
    unanswered = t("unanswered", lang)
    oldr = _by(old["ratings"], "item")
    newr = _by(new["ratings"], "item")
    for item in sorted(set(oldr) | set(newr)):
        before, after = oldr.get(item), newr.get(item)
        if before and after and before["answer"] == after["answer"]:
            if (before.get("evidence") or "") != (after.get("evidence") or ""):
                out.append(t("chg_evidence", lang, title=title, question=after["question"]))
            continue
        question = (after or before or {}).get("question", "")
        out.append(
            t(
                "chg_answer",
                lang,
                title=title,
                question=question,
                old=before["answer_label"] if before else unanswered,
                new=after["answer_label"] if after else unanswered,
            )
        )
    return out


def _finance_changes(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    """Finanzielle Auswirkungen: each line of the table (or the "nein") that changed."""

    def lines(snap: dict[str, Any]) -> dict[str, str]:
        found = {r["label"]: r["value"] for r in snap.get("financial_rows") or []}
        if snap.get("financial_statement"):
            found[term("financial", lang)] = enum_term(FinancialImpact, "no", lang)
        return found

    before, after = lines(old), lines(new)
    out: list[str] = []
    for label in [*after, *(k for k in before if k not in after)]:
        if before.get(label) != after.get(label):
            out.append(
                term(
                    "chg_financial_impact" if label == term("financial", lang) else "chg_financial",
                    lang,
                    field=label,
                    old=before.get(label) or "–",
                    new=after.get(label) or "–",
                )
            )
    return out


def _attachment_changes(old: dict[str, Any], new: dict[str, Any], lang: str) -> list[str]:
    """Anlagen (files) added, removed or replaced by another version of the same name."""
    before = {a["file_name"]: a["sha256"] for a in old.get("attachments") or []}
    after = {a["file_name"]: a["sha256"] for a in new.get("attachments") or []}
    out: list[str] = []
    for name, sha in after.items():
        if name not in before:
            out.append(term("chg_attachment_added", lang, name=name))
        elif before[name] != sha:
            out.append(term("chg_attachment_changed", lang, name=name))
    out.extend(
        term("chg_attachment_removed", lang, name=name) for name in before if name not in after
    )
    return out
