-- The credit office's lists. An entry is the credit platform's own record of a
-- department's determination (the "initiate" step): the department, and the
-- record it stands on, identify it, so a determination published twice is
-- one entry.

CREATE TABLE list_entry (
  id             bigserial PRIMARY KEY,
  subject_code   text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('RED','BLACK','KEY_ATTENTION')),
  reason         text NOT NULL,
  department     text NOT NULL CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  source_record  text NOT NULL,
  since          date NOT NULL,
  until          date,
  CHECK (until IS NULL OR until >= since),
  UNIQUE (kind, department, source_record)
);
CREATE INDEX list_entry_subject_idx ON list_entry (subject_code);
-- Public disclosure pages one kind newest first.
CREATE INDEX list_entry_disclosure_idx ON list_entry (kind, since DESC, id DESC);
