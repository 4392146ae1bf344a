-- What the credit office decided about a department's record, on its way to
-- that department (workflows/record-status-outbox.ts): a dispute mark, its
-- removal, a withdrawal from disclosure (lib/record-status.ts). A decision's
-- transaction queues its change here and commits; the change is delivered
-- afterwards, and again until the department has taken it. So no crash can
-- leave a department showing a decision the credit office never made, and
-- none can lose one it made.
CREATE TABLE record_status_outbox (
  id            bigserial PRIMARY KEY,
  department    text NOT NULL CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT')),
  -- The subject the department holds the record under (the change's subjectCode): its cached answers change.
  subject_code  text NOT NULL,
  -- The decision: objection/<id> or repair/<id>.
  reference     text NOT NULL,
  -- The change as the department's endpoint takes it.
  change        jsonb NOT NULL,
  queued_at     timestamptz NOT NULL DEFAULT now(),
  delivered_at  timestamptz,
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text
);
-- Pending changes of a department, in the order they were decided.
CREATE INDEX record_status_outbox_pending_idx ON record_status_outbox (department, id) WHERE delivered_at IS NULL;
CREATE INDEX record_status_outbox_reference_idx ON record_status_outbox (reference);
