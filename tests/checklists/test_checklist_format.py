"""Template files: validation errors name file, line and key; JSON; schema; round trip."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from chinadialog_desktop.interchange.checklist_yaml import (
    TemplateInvalid,
    check_file,
    load_template,
    plain_document,
    write_template,
)

MARKER = re.compile(r"#\s*ERROR\s+(.+)$")
BROKEN = sorted((Path(__file__).parent / "fixtures" / "broken").glob("*.yaml"))
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "checklist.schema.json"


def _expected(path: Path) -> set[tuple[int, str]]:
    """Each fixture marks its broken lines with ``# ERROR key [key …]``."""
    out = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = MARKER.search(line)
        if m:
            out.update((n, key) for key in m.group(1).split())
    return out


def test_minimal_template_is_valid(minimal_path):
    result = check_file(minimal_path)
    assert result.issues == []
    t = result.template
    assert t is not None
    assert t.id == "urn:chinadialog:checklist:test-minimal"
    assert t.item_ids() == ["purpose-01", "purpose-02", "partner-01", "partner-02"]
    assert t.item("partner-01").scale is not None  # custom scale kept
    assert t.item("purpose-02").depends_on.answers == ("yes", "partly")


@pytest.mark.parametrize(
    "path", [p for p in BROKEN if p.name != "syntax_error.yaml"], ids=lambda p: p.name
)
def test_broken_fixture_reports_exactly_the_marked_lines_and_keys(path):
    expected = _expected(path)
    assert expected, "fixture without ERROR markers"
    result = check_file(path)
    assert result.template is None
    reported = {(i.line, i.key.split(" ")[0]) for i in result.issues}
    assert reported == expected
    for issue in result.issues:
        text = str(issue)
        assert text.startswith(f"{path}:{issue.line}:")
        assert issue.key.split(" ")[0] in text


def test_syntax_error_names_the_line(fixtures):
    path = fixtures / "broken" / "syntax_error.yaml"
    result = check_file(path)
    assert result.template is None
    assert len(result.issues) == 1
    issue = result.issues[0]
    # The flow mapping opened on line 35 is found unclosed where the next key starts.
    assert issue.line == 36
    assert "not readable" in issue.message


def test_bare_yes_no_are_explained(fixtures):
    result = check_file(fixtures / "broken" / "bare_booleans.yaml")
    messages = [i.message for i in result.issues]
    assert any("'yes'" in m and "quotes" in m for m in messages)
    assert any("'no'" in m and "quotes" in m for m in messages)


def test_load_template_raises_with_every_problem_in_the_message(fixtures):
    path = fixtures / "broken" / "wrong_values.yaml"
    with pytest.raises(TemplateInvalid) as exc:
        load_template(path)
    assert len(exc.value.issues) == 5
    assert f"{path}:40:" in str(exc.value) and "severity" in str(exc.value)


def test_json_is_accepted_and_errors_have_lines(minimal_path, tmp_path):
    doc = plain_document(minimal_path)
    good = tmp_path / "t.json"
    good.write_text(json.dumps(doc, ensure_ascii=False, indent="\t"), encoding="utf-8")
    assert check_file(good).template == check_file(minimal_path).template

    doc["sections"][1]["items"][0]["severity"] = "fatal"
    bad = tmp_path / "bad.json"
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    bad.write_text(text, encoding="utf-8")
    line = next(n for n, s in enumerate(text.splitlines(), 1) if '"fatal"' in s)
    [issue] = check_file(bad).issues
    assert (issue.line, issue.key.split(" ")[0]) == (line, "sections[1].items[0].severity")

    broken = tmp_path / "syntax.json"
    broken.write_text('{\n  "format": "chinadialog-checklist/1",\n  "id": ,\n}\n', encoding="utf-8")
    [issue] = check_file(broken).issues
    assert issue.line == 3 and "JSON" in issue.message


def test_duplicate_keys_are_errors(tmp_path, minimal_path):
    text = minimal_path.read_text(encoding="utf-8").replace(
        "version: 1\n", "version: 1\nversion: 2\n"
    )
    path = tmp_path / "dup.yaml"
    path.write_text(text, encoding="utf-8")
    [issue] = check_file(path).issues
    assert issue.line == 4 and issue.key == "version" and "twice" in issue.message


def test_export_round_trip_keeps_the_fingerprint(minimal_path, tmp_path):
    template = load_template(minimal_path)
    for name in ("out.yaml", "out.json"):
        out = tmp_path / name
        write_template(template, out)
        again = load_template(out)
        assert again == template
        assert again.sha256() == template.sha256()


def test_schema_accepts_the_minimal_template_and_rejects_a_broken_one(minimal_path):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    doc = plain_document(minimal_path)
    assert list(validator.iter_errors(doc)) == []
    doc["sections"][0]["items"][0]["severity"] = "fatal"
    del doc["title"]["en"]
    assert len(list(validator.iter_errors(doc))) == 2
