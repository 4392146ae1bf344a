-- The audit log (issue 5): one entry per request through the gateway — who
-- (client, role), why (X-Purpose), which subjects and field groups, when and
-- the outcome. The gateway ships entries in batches to POST /internal/audit;
-- subgraphs/credit/audit.ts appends them.
--
-- Append-only, twice over:
-- 1. Triggers refuse UPDATE, DELETE and TRUNCATE for every role, the owner
--    included. A database superuser (or the table's owner) can still
--    ALTER TABLE ... DISABLE TRIGGER or drop them; that is what the hash chain
--    is for.
-- 2. Hash chain: each entry's hash = sha256(prev_hash || canonical JSON of
--    its fields, seq included), computed by the application while it holds
--    an advisory lock, so appends are serialised and the chain has no forks.
--    Changing, removing or inserting a row anywhere but at the end breaks the
--    chain at that row (verifyAuditChain, Query.auditChainStatus). Cutting
--    rows off the end is only visible against a head hash recorded elsewhere
--    (auditChainStatus.headHash).
CREATE TABLE audit_entry (
  -- Append order (drawn under the advisory lock, so it is also commit order; gaps are rolled-back batches).
  seq            bigserial PRIMARY KEY,
  -- Assigned by the gateway when it recorded the entry: a batch delivered twice stores each entry once.
  entry_id       uuid NOT NULL UNIQUE,
  -- When the request happened (the gateway's clock), not when it was stored.
  at             timestamptz NOT NULL,
  request_id     text NOT NULL,
  -- Null for PUBLIC callers.
  client_id      text,
  role           text NOT NULL,
  -- X-Purpose (required of non-public roles; the gateway enforces it).
  purpose        text,
  operation_name text,
  -- Subject codes the request named or received.
  subjects       text[] NOT NULL DEFAULT '{}',
  -- market, tax, courts, environment, lists, checks, workflows, ...
  field_groups   text[] NOT NULL DEFAULT '{}',
  -- OK, PARTIAL, FORBIDDEN, UNAUTHENTICATED, ERROR, ...
  outcome        text NOT NULL,
  -- Hash of the entry before (null for the first).
  prev_hash      text,
  hash           text NOT NULL
);

-- "Who looked at this subject" (Subject.accessLog, auditLog(filter: {subjectCode})).
CREATE INDEX audit_entry_subjects ON audit_entry USING gin (subjects);
CREATE INDEX audit_entry_client ON audit_entry (client_id, seq);
CREATE INDEX audit_entry_at ON audit_entry (at);

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
-- Statement-level: refused even when no row matches, so probing writes fail too.
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
