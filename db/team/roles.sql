-- ChinaDialog Desktop, team mode: the roles (app roles → PostgreSQL group roles).
--
-- 'chinadialog --db postgresql://postgres@HOST/DATABASE team init' runs exactly this file,
-- then sets up the tables and runs policies.sql, all in one transaction. A database
-- administrator may run it by hand instead, connected to the team database as a superuser:
--     psql -v ON_ERROR_STOP=1 -h db.stadt.example -U postgres -d chinadialog -f db/team/roles.sql
-- Running it again changes nothing (every statement is idempotent). Plain SQL only (no psql
-- commands), so the app can run it unchanged.
--
--   chinadialog_lesen        Lesen: read everything not classified VS-NfD
--   chinadialog_bearbeiten   Bearbeiten: also edit records and import datasets
--   chinadialog_abzeichnen   Abzeichnen: also sign off assessments
--   chinadialog_verwalten    Verwalten: edit, and act as chinadialog_owner for 'db upgrade',
--                            'team init' and 'db copy' (as the owner it sees every row)
--   chinadialog_vsnfd        cleared for VS-NfD (Verschlusssache – nur für den Dienstgebrauch);
--                            given in addition to one of the roles above
--   chinadialog_owner        owns the tables; logs in only for schema changes and copies
--
-- Officials get a login role in the groups, for example
--     CREATE ROLE "m.muster" LOGIN PASSWORD '…' IN ROLE chinadialog_bearbeiten;
--     GRANT chinadialog_vsnfd TO "m.muster";

DO $$
DECLARE
    name text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chinadialog_owner') THEN
        CREATE ROLE chinadialog_owner LOGIN;  -- give it a password: \password chinadialog_owner
    END IF;
    FOREACH name IN ARRAY ARRAY['chinadialog_lesen', 'chinadialog_bearbeiten',
                                'chinadialog_abzeichnen', 'chinadialog_verwalten',
                                'chinadialog_vsnfd'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', name);
        END IF;
    END LOOP;
END
$$;

-- Each app role includes the rights of the one before; Verwalten does not sign off.
GRANT chinadialog_lesen TO chinadialog_bearbeiten;
GRANT chinadialog_bearbeiten TO chinadialog_abzeichnen;
GRANT chinadialog_bearbeiten TO chinadialog_verwalten;
GRANT chinadialog_owner TO chinadialog_verwalten;

-- This database: only the groups connect; the owner may create the trusted extension pg_trgm.
DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO chinadialog_lesen',
                   current_database());
    EXECUTE format('GRANT CONNECT, TEMPORARY, CREATE ON DATABASE %I TO chinadialog_owner',
                   current_database());
END
$$;

-- Only the owner creates tables (PostgreSQL 15 already keeps PUBLIC from doing so).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO chinadialog_lesen;
GRANT USAGE, CREATE ON SCHEMA public TO chinadialog_owner;

-- Every table and sequence the owner creates ('db upgrade') gets the group rights at once;
-- policies.sql then narrows them (VS-NfD rows, sign-off, the schema stamp).
ALTER DEFAULT PRIVILEGES FOR ROLE chinadialog_owner IN SCHEMA public
    GRANT SELECT ON TABLES TO chinadialog_lesen;
ALTER DEFAULT PRIVILEGES FOR ROLE chinadialog_owner IN SCHEMA public
    GRANT INSERT, UPDATE, DELETE ON TABLES TO chinadialog_bearbeiten;
ALTER DEFAULT PRIVILEGES FOR ROLE chinadialog_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO chinadialog_bearbeiten;
