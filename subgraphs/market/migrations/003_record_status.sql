-- The credit office's decisions about this department's records
-- (lib/record-status.ts): a dispute mark while an objection is verified, and
-- the withdrawal from public disclosure of a record revoked or corrected
-- after an objection, or repaired. The same table in every department that
-- discloses records (each department migrates its own database).
CREATE TABLE record_status (
  record_id             text PRIMARY KEY,
  -- The subject the department holds the record under: a profile reads its subjects' statuses in one statement.
  subject_code          text NOT NULL,
  disputed_since        date,
  dispute_verify_by     date,
  dispute_reference     text,
  withdrawn_on          date,
  withdrawal            text CHECK (withdrawal IN ('REVOKED','CORRECTED','REPAIRED')),
  withdrawal_reference  text,
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CHECK ((disputed_since IS NULL) = (dispute_verify_by IS NULL)),
  CHECK ((withdrawn_on IS NULL) = (withdrawal IS NULL))
);
CREATE INDEX record_status_subject_idx ON record_status (subject_code);
