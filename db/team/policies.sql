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
-- The policies ask "(SELECT chinadialog_cleared())": once per statement, not once per row.
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
    USING (classification <> 'vs_nfd' OR (SELECT chinadialog_cleared()));

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
    USING ((classification <> 'vs_nfd' OR (SELECT chinadialog_cleared()))
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

-- The audit trail names the fields of every change, old and new value: its events of a record
-- a role cannot see are hidden as well (also events of records deleted since, for roles that
-- are not cleared). A writer sees its own events until they are sealed. Sealing and 'db
-- verify' get the one hash and the count they need through functions that show no content
-- (persistence/server_audit.py); the audit trigger still refuses changes and deletions.
CREATE OR REPLACE FUNCTION chinadialog_audit_visible(t text, u text) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT CASE t
        WHEN 'dossier' THEN EXISTS (SELECT FROM dossier WHERE uuid = u)
        WHEN 'dossier_section' THEN EXISTS (SELECT FROM dossier_section WHERE uuid = u)
        WHEN 'deliberation' THEN EXISTS (SELECT FROM deliberation WHERE uuid = u)
        WHEN 'dossier_partnership' THEN EXISTS (SELECT FROM dossier_partnership WHERE uuid = u)
        WHEN 'dossier_source' THEN EXISTS (SELECT FROM dossier_source WHERE uuid = u)
        WHEN 'briefing_export' THEN EXISTS (SELECT FROM briefing_export WHERE uuid = u)
        WHEN 'attachment' THEN EXISTS (SELECT FROM attachment WHERE uuid = u)
        WHEN 'assessment' THEN EXISTS (SELECT FROM assessment WHERE uuid = u)
        WHEN 'assessment_answer' THEN EXISTS (SELECT FROM assessment_answer WHERE uuid = u)
        ELSE true
    END
$$;
ALTER TABLE audit_event ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS chinadialog_clearance ON audit_event;
CREATE POLICY chinadialog_clearance ON audit_event FOR SELECT
    USING ((SELECT chinadialog_cleared())
           OR (audit_event."user" = session_user AND audit_event.chain_hash IS NULL)
           OR chinadialog_audit_visible(audit_event.table_name, audit_event.record_uuid));
-- Writing, sealing, changing, deleting: rows as far as the role sees them (the policy above
-- also applies to what an UPDATE or DELETE reads), then the audit trigger decides.
DROP POLICY IF EXISTS chinadialog_writing ON audit_event;
CREATE POLICY chinadialog_writing ON audit_event FOR INSERT WITH CHECK (true);
DROP POLICY IF EXISTS chinadialog_sealing ON audit_event;
CREATE POLICY chinadialog_sealing ON audit_event FOR UPDATE USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS chinadialog_deleting ON audit_event;
CREATE POLICY chinadialog_deleting ON audit_event FOR DELETE USING (true);

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

-- The answers of a signed assessment stay as they were signed (and so do those of a superseded
-- one, which was signed before its next revision took over). The app never changes them (a
-- change goes into a new revision); in plain SQL this trigger refuses it. Only the owner
-- (schema changes, 'db copy') and a superuser are not bound. A member of Abzeichnen may write
-- answers of an assessment whose row this very transaction wrote: an import that stores a
-- signed assessment, or signs an open one, writes its status and its answers in one go.
-- (Abzeichnen may also sign off and so change what is signed; nobody else may.) Whether a
-- row was written by this transaction: its xmin is still in progress, which for a row this
-- transaction can see means its own (also within a savepoint).
CREATE OR REPLACE FUNCTION chinadialog_written_here(x xid) RETURNS boolean
    LANGUAGE sql VOLATILE AS $$
    -- xmin has 32 bits; pg_xact_status wants the full 64-bit id: the one nearest to this
    -- transaction's own id (an id this transaction can see lies within 2^31 of it).
    WITH n AS (SELECT pg_current_xact_id()::text::bigint AS own)
    SELECT CASE WHEN full_id < 3 THEN false
                ELSE pg_xact_status(full_id::text::xid8) = 'in progress' END
    FROM (SELECT n.own + ((x::text::bigint - (n.own & 4294967295) + 2147483648)
                          % 4294967296 + 4294967296) % 4294967296 - 2147483648 AS full_id
          FROM n) AS ids
$$;
CREATE OR REPLACE FUNCTION chinadialog_signed_answers_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NOT ((SELECT relowner FROM pg_class WHERE oid = TG_RELID)
            = (SELECT oid FROM pg_roles WHERE rolname = current_user)
            OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))
       AND EXISTS (
           SELECT FROM assessment a
           WHERE a.id IN (OLD.assessment_id, NEW.assessment_id)
             AND a.status IN ('signed', 'superseded')
             AND NOT (pg_has_role(current_user, 'chinadialog_abzeichnen', 'USAGE')
                      AND chinadialog_written_here(a.xmin))) THEN
        RAISE EXCEPTION 'the answers of a signed assessment cannot be changed'
            USING ERRCODE = 'insufficient_privilege', HINT = 'chinadialog:signed-answers';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS chinadialog_signed_answers_guard ON assessment_answer;
CREATE TRIGGER chinadialog_signed_answers_guard BEFORE INSERT OR UPDATE OR DELETE
    ON assessment_answer FOR EACH ROW EXECUTE FUNCTION chinadialog_signed_answers_guard();
