-- Credit reports (公共信用信息报告): every report the platform issues, by its number, with the
-- SHA-256 of the exact PDF handed out. Anyone can then check a report by its number (genuine:
-- the number was issued, for this subject, at this time) and by its file (unaltered: the digest
-- matches). A stored digest rather than a signature: checking needs no key, a leaked key could not
-- forge a report without a row here, and the register shows every report ever issued.
-- (Numbered 016 after issue 16, to stay clear of the migrations other work adds meanwhile.)
CREATE TABLE credit_report (
  number            text PRIMARY KEY CHECK (number ~ '^R[0-9]{8}[0-9A-HJ-NP-RTUWXY]{12}$'),
  subject_code      text NOT NULL,
  subject_name      text,
  issued_at         timestamptz NOT NULL,
  sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- Who asked: the report holds what this role could read at the time.
  issued_to_role    text NOT NULL,
  issued_to_client  text,
  request_id        text NOT NULL
);
CREATE INDEX credit_report_subject_idx ON credit_report (subject_code, issued_at DESC);
