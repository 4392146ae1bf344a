-- The credit office's workflows: objections, credit repair, credit
-- commitments, joint cases and the implementing departments' feedback.
--
-- A department's record is referred to as (department, record_id), record_id
-- being `<table>/<natural key>` as in list_entry.source_record.
--
-- Every creating mutation carries an idempotency key, unique per kind, and a
-- fingerprint of its payload: a retry with the same key and payload returns
-- the row the first call created, the same key with another payload is
-- refused. Every state change is a conditional UPDATE on the current status,
-- so concurrent or retried calls never apply a transition twice.

-- Objections (异议): the subject disputes a record. The record is disputed
-- while the objection is OPEN (the measures it triggers are suspended), the
-- providing department verifies within 20 calendar days (China dates), and
-- the objection ends UPHELD (the record was wrong: corrected or revoked; it
-- triggers nothing any more) or REJECTED (the measures resume).
CREATE TABLE objection (
  id                   bigserial PRIMARY KEY,
  idempotency_key      text NOT NULL,
  request_fingerprint  text NOT NULL,
  subject_code         text NOT NULL,
  department           text NOT NULL CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  record_id            text NOT NULL,
  reason               text NOT NULL,
  contact              text,
  status               text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','UPHELD','REJECTED')),
  filed_at             timestamptz NOT NULL DEFAULT now(),
  -- The verification deadline: the China calendar date of filing plus 20 days.
  verify_by            date NOT NULL GENERATED ALWAYS AS (((filed_at AT TIME ZONE 'Asia/Shanghai')::date + 20)) STORED,
  resolved_at          timestamptz,
  correction           text CHECK (correction IN ('CORRECTED','REVOKED')),
  resolution_note      text,
  CONSTRAINT objection_idempotency_key UNIQUE (idempotency_key),
  CHECK ((status = 'OPEN') = (resolved_at IS NULL)),
  CHECK ((status = 'UPHELD') = (correction IS NOT NULL))
);
-- One open objection per record at a time.
CREATE UNIQUE INDEX objection_one_open_idx ON objection (department, record_id) WHERE status = 'OPEN';
CREATE INDEX objection_record_idx ON objection (department, record_id, status);
CREATE INDEX objection_subject_idx ON objection (subject_code, id);
CREATE INDEX objection_open_idx ON objection (verify_by, id) WHERE status = 'OPEN';

-- Credit repair (信用修复). published_on and area are the applicant's
-- statement of the record (the credit office does not hold the department's
-- record); the department confirms them when it reviews the application.
-- eligible_from is the first day the record could be repaired.
CREATE TABLE repair_application (
  id                   bigserial PRIMARY KEY,
  idempotency_key      text NOT NULL,
  request_fingerprint  text NOT NULL,
  subject_code         text NOT NULL,
  department           text NOT NULL CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  record_id            text NOT NULL,
  record_kind          text NOT NULL,
  published_on         date NOT NULL,
  area                 text NOT NULL,
  rectification        text[] NOT NULL CHECK (cardinality(rectification) > 0),
  eligible_from        date NOT NULL CHECK (eligible_from >= published_on),
  status               text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','APPROVED','REJECTED')),
  applied_at           timestamptz NOT NULL DEFAULT now(),
  decided_at           timestamptz,
  decision_note        text,
  CONSTRAINT repair_application_idempotency_key UNIQUE (idempotency_key),
  CHECK ((status = 'PENDING') = (decided_at IS NULL))
);
-- One pending application per record, and a record is repaired at most once.
CREATE UNIQUE INDEX repair_one_pending_idx ON repair_application (department, record_id) WHERE status = 'PENDING';
CREATE UNIQUE INDEX repair_one_approved_idx ON repair_application (department, record_id) WHERE status = 'APPROVED';
CREATE INDEX repair_record_idx ON repair_application (department, record_id, status);
CREATE INDEX repair_subject_idx ON repair_application (subject_code, id);

-- Credit commitments (信用承诺) made when applying for a service. A breach
-- puts the subject on the black list (list_entry source_record
-- `credit_commitment/<id>`, department CREDIT_OFFICE).
CREATE TABLE credit_commitment (
  id                   bigserial PRIMARY KEY,
  idempotency_key      text NOT NULL,
  request_fingerprint  text NOT NULL,
  subject_code         text NOT NULL,
  scenario             text NOT NULL CHECK (scenario IN ('ADMINISTRATIVE_LICENSING','PUBLIC_RESOURCE_TRADING','FINANCIAL_SERVICES',
                                                         'FISCAL_SUPPORT','HONORS_AND_AWARDS','REGULATORY_INSPECTION')),
  content              text NOT NULL,
  made_on              date NOT NULL,
  recorded_at          timestamptz NOT NULL DEFAULT now(),
  status               text NOT NULL DEFAULT 'KEPT' CHECK (status IN ('KEPT','BREACHED')),
  breached_on          date,
  breach_department    text CHECK (breach_department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  breach_note          text,
  CONSTRAINT credit_commitment_idempotency_key UNIQUE (idempotency_key),
  CHECK ((status = 'BREACHED') = (breached_on IS NOT NULL AND breach_department IS NOT NULL))
);
CREATE INDEX credit_commitment_subject_idx ON credit_commitment (subject_code, id);
CREATE INDEX credit_commitment_breached_idx ON credit_commitment (subject_code) WHERE status = 'BREACHED';

-- Joint cases (initiate → respond → feedback): a department's determination
-- the implementing departments act on and report back about.
CREATE TABLE joint_case (
  id                     bigserial PRIMARY KEY,
  idempotency_key        text NOT NULL,
  request_fingerprint    text NOT NULL,
  subject_code           text NOT NULL,
  initiating_department  text NOT NULL CHECK (initiating_department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  trigger                text NOT NULL,
  record_id              text NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT joint_case_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX joint_case_subject_idx ON joint_case (subject_code, id);
CREATE INDEX joint_case_record_idx ON joint_case (initiating_department, record_id);

-- What an implementing department did with a measure, against a credit
-- check or a joint case (exactly one of the two).
CREATE TABLE feedback (
  id                   bigserial PRIMARY KEY,
  idempotency_key      text NOT NULL,
  request_fingerprint  text NOT NULL,
  check_id             uuid REFERENCES credit_check (check_id),
  joint_case_id        bigint REFERENCES joint_case (id),
  measure_code         text NOT NULL,
  department           text NOT NULL,
  action               text NOT NULL CHECK (action IN ('APPLIED','NOT_APPLIED','PARTIALLY_APPLIED')),
  note                 text,
  submitted_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT feedback_idempotency_key UNIQUE (idempotency_key),
  CHECK ((check_id IS NULL) <> (joint_case_id IS NULL))
);
CREATE INDEX feedback_check_idx ON feedback (check_id, id) WHERE check_id IS NOT NULL;
CREATE INDEX feedback_joint_case_idx ON feedback (joint_case_id, id) WHERE joint_case_id IS NOT NULL;
