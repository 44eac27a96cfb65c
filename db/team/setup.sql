-- ChinaDialog Desktop, team mode: a new database with its roles on a PostgreSQL server
-- (15 or newer), for a database administrator who prefers psql to 'chinadialog team init'.
--
-- Run once, as a superuser, from this folder's parent or with the path as written:
--     psql -v ON_ERROR_STOP=1 -h db.stadt.example -U postgres -f db/team/setup.sql
-- It creates the database 'chinadialog' and runs roles.sql in it (the same file 'team init'
-- runs). Then set up the tables as the owner role; 'db upgrade' also runs policies.sql:
--     chinadialog --db postgresql://chinadialog_owner@db.stadt.example:5432/chinadialog db upgrade
-- The roles and what each may do: roles.sql, policies.sql and docs/team-mode.md.

\set ON_ERROR_STOP on

CREATE DATABASE chinadialog ENCODING 'UTF8' TEMPLATE template0;

\connect chinadialog
\ir roles.sql
ALTER DATABASE chinadialog OWNER TO chinadialog_owner;
