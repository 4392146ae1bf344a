-- Workflows bound to their callers (docs/policy.md «bound to the caller»).
--
-- 1. A DEPARTMENT client is registered for one department: it publishes,
--    verifies, decides and reports for that department's records only. The
--    credit office (CREDIT_OFFICE) and the other roles carry none. A
--    DEPARTMENT client registered before departments were recorded could act
--    for every department: it is revoked here, to be registered again with
--    its department (`npm run client -- create --role DEPARTMENT --department …`).
ALTER TABLE api_client
  ADD COLUMN department text CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT'));
UPDATE api_client SET revoked_at = COALESCE(revoked_at, now()) WHERE role = 'DEPARTMENT' AND department IS NULL;
ALTER TABLE api_client
  ADD CONSTRAINT api_client_department CHECK (
    (role = 'DEPARTMENT' AND (department IS NOT NULL OR revoked_at IS NOT NULL)) OR (role <> 'DEPARTMENT' AND department IS NULL));

-- 2. Idempotency keys are the client's own: one client's key never meets
--    another's request. client_id is the caller's client id ('' for a request
--    without one, e.g. a subject filing with a one-time code, whose key is
--    scoped by that code: 'filing:<id>').
ALTER TABLE objection ADD COLUMN client_id text NOT NULL DEFAULT '';
ALTER TABLE objection DROP CONSTRAINT objection_idempotency_key;
ALTER TABLE objection ADD CONSTRAINT objection_idempotency_key UNIQUE (client_id, idempotency_key);
ALTER TABLE repair_application ADD COLUMN client_id text NOT NULL DEFAULT '';
ALTER TABLE repair_application DROP CONSTRAINT repair_application_idempotency_key;
ALTER TABLE repair_application ADD CONSTRAINT repair_application_idempotency_key UNIQUE (client_id, idempotency_key);
ALTER TABLE credit_commitment ADD COLUMN client_id text NOT NULL DEFAULT '';
ALTER TABLE credit_commitment DROP CONSTRAINT credit_commitment_idempotency_key;
ALTER TABLE credit_commitment ADD CONSTRAINT credit_commitment_idempotency_key UNIQUE (client_id, idempotency_key);
ALTER TABLE joint_case ADD COLUMN client_id text NOT NULL DEFAULT '';
ALTER TABLE joint_case DROP CONSTRAINT joint_case_idempotency_key;
ALTER TABLE joint_case ADD CONSTRAINT joint_case_idempotency_key UNIQUE (client_id, idempotency_key);
ALTER TABLE feedback ADD COLUMN client_id text NOT NULL DEFAULT '';
ALTER TABLE feedback DROP CONSTRAINT feedback_idempotency_key;
ALTER TABLE feedback ADD CONSTRAINT feedback_idempotency_key UNIQUE (client_id, idempotency_key);
ALTER TABLE financial_authorisation ADD COLUMN request_client_id text NOT NULL DEFAULT '';
ALTER TABLE financial_authorisation DROP CONSTRAINT financial_authorisation_idempotency_key;
ALTER TABLE financial_authorisation ADD CONSTRAINT financial_authorisation_idempotency_key UNIQUE (request_client_id, idempotency_key);

-- 3. A commitment is made to the department whose service it obtains (null:
--    to the credit office); only that department (or the credit office)
--    reports its breach, which black-lists the subject.
ALTER TABLE credit_commitment
  ADD COLUMN made_to text CHECK (made_to IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'));

-- 4. One-time filing codes (workflows/filing-codes.ts): the credit office,
--    having verified a subject, issues a code with which the subject files its
--    own objection or repair application on the public website. Only the
--    code's SHA-256 is kept; used_for is the objection or application it was
--    spent on (by purpose).
CREATE TABLE filing_code (
  id           bigserial PRIMARY KEY,
  subject_code text NOT NULL,
  purpose      text NOT NULL CHECK (purpose IN ('OBJECTION','REPAIR')),
  code_hash    text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  contact      text NOT NULL,
  issued_by    text NOT NULL,
  issued_at    timestamptz NOT NULL DEFAULT now(),
  expires_on   date NOT NULL,
  used_at      timestamptz,
  used_for     bigint,
  voided_at    timestamptz,
  CONSTRAINT filing_code_hash UNIQUE (code_hash),
  CHECK ((used_at IS NULL) = (used_for IS NULL))
);
CREATE INDEX filing_code_subject_idx ON filing_code (subject_code, purpose) WHERE used_at IS NULL AND voided_at IS NULL;

-- 5. Disclosure follows decisions: a list entry whose record was revoked or
--    corrected after an upheld objection, or repaired, is withdrawn from
--    public disclosure (never shown publicly as a past entry); callers with
--    `records` see why (objection/<id>, repair/<id>).
-- The subject the department holds a disputed or repaired record under (the
-- named subject, or the entity it represents; records.ts): the department
-- keeps its decisions by that subject.
ALTER TABLE objection ADD COLUMN record_subject_code text;
ALTER TABLE repair_application ADD COLUMN record_subject_code text;
ALTER TABLE list_entry
  ADD COLUMN withdrawal text CHECK (withdrawal IN ('REVOKED','CORRECTED','REPAIRED')),
  ADD COLUMN withdrawal_reference text;
