-- ChinaDialog Desktop, team mode: what each role may see and do, enforced by the server.
--
-- Runs as the owner of the tables (chinadialog_owner) on a database that has them, after
-- roles.sql. 'chinadialog team init' and 'chinadialog db upgrade' run exactly this file
-- (again after every schema change, so new tables get their rights); by hand:
--     psql -v ON_ERROR_STOP=1 -h db.stadt.example -U chinadialog_owner -d chinadialog -f db/team/policies.sql
-- Running it again changes nothing. Plain SQL only (no psql commands).

-- Lesen reads, Bearbeiten writes (tables created before the default privileges included).
GRANT SELECT ON ALL TABLES IN SCHEMA public TO chinadialog_lesen;
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO chinadialog_bearbeiten;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO chinadialog_bearbeiten;
-- The schema stamp and the search index's version change with 'db upgrade' only.
REVOKE INSERT, UPDATE, DELETE ON alembic_version, search_meta FROM chinadialog_bearbeiten;

-- Cleared for VS-NfD: a member (directly or through another role) of chinadialog_vsnfd.
CREATE OR REPLACE FUNCTION chinadialog_cleared() RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT pg_has_role(current_user, 'chinadialog_vsnfd', 'USAGE') $$;

-- Row-level security: a dossier or assessment classified VS-NfD (classification 'vs_nfd')
-- exists only for cleared roles, and so does everything that hangs off it: its sections,
-- deliberations, links, attachments, exported briefings, an assessment of it and the
-- answers, and its search document. The same condition checks new and changed rows, so
-- a role that is not cleared cannot mark anything VS-NfD either. (The owner is not bound:
-- it runs schema changes and copies.)
ALTER TABLE dossier ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON dossier;
CREATE POLICY chinadialog_clearance ON dossier
    USING (classification <> 'vs_nfd' OR chinadialog_cleared());

ALTER TABLE dossier_section ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON dossier_section;
CREATE POLICY chinadialog_clearance ON dossier_section
    USING (EXISTS (SELECT FROM dossier d WHERE d.id = dossier_section.dossier_id));

ALTER TABLE deliberation ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON deliberation;
CREATE POLICY chinadialog_clearance ON deliberation
    USING (EXISTS (SELECT FROM dossier d WHERE d.id = deliberation.dossier_id));

ALTER TABLE dossier_partnership ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON dossier_partnership;
CREATE POLICY chinadialog_clearance ON dossier_partnership
    USING (EXISTS (SELECT FROM dossier d WHERE d.id = dossier_partnership.dossier_id));

ALTER TABLE dossier_source ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON dossier_source;
CREATE POLICY chinadialog_clearance ON dossier_source
    USING (EXISTS (SELECT FROM dossier d WHERE d.id = dossier_source.dossier_id));

ALTER TABLE briefing_export ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON briefing_export;
CREATE POLICY chinadialog_clearance ON briefing_export
    USING (EXISTS (SELECT FROM dossier d WHERE d.id = briefing_export.dossier_id));

ALTER TABLE attachment ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON attachment;
CREATE POLICY chinadialog_clearance ON attachment
    USING (attachment.dossier_id IS NULL
           OR EXISTS (SELECT FROM dossier d WHERE d.id = attachment.dossier_id));

ALTER TABLE assessment ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON assessment;
CREATE POLICY chinadialog_clearance ON assessment
    USING ((classification <> 'vs_nfd' OR chinadialog_cleared())
           AND (assessment.dossier_id IS NULL
                OR EXISTS (SELECT FROM dossier d WHERE d.id = assessment.dossier_id)));

ALTER TABLE assessment_answer ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON assessment_answer;
CREATE POLICY chinadialog_clearance ON assessment_answer
    USING (EXISTS (SELECT FROM assessment a WHERE a.id = assessment_answer.assessment_id));

ALTER TABLE search_doc ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON search_doc;
CREATE POLICY chinadialog_clearance ON search_doc
    USING (search_doc.kind <> 'dossier'
           OR EXISTS (SELECT FROM dossier d WHERE d.id = search_doc.record_id));

-- Signing off (status 'signed' with reviewer, date and time) only for Abzeichnen. Others may
-- create open assessments and answer them, and mark a signed one 'superseded' when they
-- open its next revision (the sign-off itself stays as it was).
CREATE OR REPLACE FUNCTION chinadialog_sign_off_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF pg_has_role(current_user, 'chinadialog_abzeichnen', 'USAGE')
       OR (SELECT relowner FROM pg_class WHERE oid = TG_RELID)
          = (SELECT oid FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'open' AND NEW.reviewed_by IS NULL AND NEW.reviewed_on IS NULL
           AND NEW.signed_at IS NULL THEN
            RETURN NEW;
        END IF;
    ELSIF (NEW.status, NEW.reviewed_by, NEW.reviewed_on, NEW.signed_at)
          IS NOT DISTINCT FROM (OLD.status, OLD.reviewed_by, OLD.reviewed_on, OLD.signed_at)
       OR (OLD.status = 'signed' AND NEW.status = 'superseded'
           AND (NEW.reviewed_by, NEW.reviewed_on, NEW.signed_at)
               IS NOT DISTINCT FROM (OLD.reviewed_by, OLD.reviewed_on, OLD.signed_at)) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'only members of chinadialog_abzeichnen may sign off assessments'
        USING ERRCODE = 'insufficient_privilege', HINT = 'chinadialog:sign-off';
END
$$;
DROP TRIGGER IF EXISTS chinadialog_sign_off_guard ON assessment;
CREATE TRIGGER chinadialog_sign_off_guard BEFORE INSERT OR UPDATE ON assessment
    FOR EACH ROW EXECUTE FUNCTION chinadialog_sign_off_guard();
