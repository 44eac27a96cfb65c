-- ChinaDialog Desktop, team mode: database and roles on a PostgreSQL server (15 or newer).
--
-- Run once, as a superuser (or a role with CREATEROLE and CREATEDB), with psql:
--     psql -v ON_ERROR_STOP=1 -h db.stadt.example -U postgres -f db/team/setup.sql
-- Then set up the tables, as the owner role (the only role that may change them):
--     chinadialog --db postgresql://chinadialog_owner@db.stadt.example:5432/chinadialog db upgrade
-- and give each official a login role in one of the groups (see docs/team-mode.md):
--     CREATE ROLE "m.muster" LOGIN PASSWORD '…' IN ROLE chinadialog_bearbeiten;
--
-- The groups (app roles; rights are enforced by the server, not only by the window):
--   chinadialog_lesen       read everything
--   chinadialog_bearbeiten  read and edit records, import datasets (includes lesen)
--   chinadialog_owner       owns the tables: 'db upgrade' (schema changes) runs as this role only
-- Signing off only with a cleared role and row-level security for VS-NfD are not part of
-- this version yet (issue 17, point 4).

\set ON_ERROR_STOP on

CREATE ROLE chinadialog_owner LOGIN;  -- give it a password: \password chinadialog_owner
CREATE ROLE chinadialog_lesen NOLOGIN;
CREATE ROLE chinadialog_bearbeiten NOLOGIN IN ROLE chinadialog_lesen;

CREATE DATABASE chinadialog OWNER chinadialog_owner ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE chinadialog FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE chinadialog TO chinadialog_lesen;

\connect chinadialog

-- Since PostgreSQL 15 only the database owner may create tables in the schema public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO chinadialog_lesen;

-- Every table and sequence 'db upgrade' creates (as chinadialog_owner) gets these rights.
ALTER DEFAULT PRIVILEGES FOR ROLE chinadialog_owner IN SCHEMA public
    GRANT SELECT ON TABLES TO chinadialog_lesen;
ALTER DEFAULT PRIVILEGES FOR ROLE chinadialog_owner IN SCHEMA public
    GRANT INSERT, UPDATE, DELETE ON TABLES TO chinadialog_bearbeiten;
ALTER DEFAULT PRIVILEGES FOR ROLE chinadialog_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO chinadialog_bearbeiten;
