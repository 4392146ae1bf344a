-- The seeds' remaining mechanisms (issue 17; numbered after the issue, as 016 is issue 16's):
-- supervision by ratio with published inspection results, commitments with deadlines, joint cases
-- pushed to their implementing departments, rectification orders and interviews, reports from the
-- public, and the queue each department polls for what was sent to it.

-- 1. Graded supervision by ratio (凌源 二(二); 甘州 三(四); 国发〔2019〕5号 双随机、一公开). The share
--    of each grade's population a spot-check plan inspects, as data the credit office changes
--    (setSamplingRatios); a plan keeps the ratios it was drawn with.
CREATE TABLE sampling_ratio (
  grade   text PRIMARY KEY CHECK (grade IN ('A','B','C','D')),
  ratio   double precision NOT NULL CHECK (ratio > 0 AND ratio <= 1),
  set_by  text NOT NULL,
  set_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO sampling_ratio (grade, ratio, set_by) VALUES
  ('A', 0.02, 'migration 017_seed_mechanisms'), ('B', 0.05, 'migration 017_seed_mechanisms'),
  ('C', 0.15, 'migration 017_seed_mechanisms'), ('D', 0.30, 'migration 017_seed_mechanisms');

-- A drawn plan: who inspects, the seed and the ratios it was drawn with, and whom it selected.
CREATE TABLE spot_check_plan (
  id                   bigserial PRIMARY KEY,
  idempotency_key      text NOT NULL,
  request_fingerprint  text NOT NULL,
  client_id            text NOT NULL DEFAULT '',
  department           text NOT NULL CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  name                 text NOT NULL,
  seed                 text NOT NULL,
  ratios               jsonb NOT NULL,
  population_size      integer NOT NULL CHECK (population_size > 0),
  drawn_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT spot_check_plan_idempotency_key UNIQUE (client_id, idempotency_key)
);
CREATE TABLE spot_check_selection (
  plan_id       bigint NOT NULL REFERENCES spot_check_plan (id),
  subject_code  text NOT NULL,
  grade         text NOT NULL CHECK (grade IN ('A','B','C','D')),
  PRIMARY KEY (plan_id, subject_code)
);
-- The result of inspecting a selected subject (一公开: published), once per plan and subject.
CREATE TABLE inspection_result (
  id            bigserial PRIMARY KEY,
  plan_id       bigint NOT NULL,
  subject_code  text NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN ('COMPLIANT','ISSUES_FOUND','NOT_LOCATED')),
  findings      text NOT NULL,
  inspected_on  date NOT NULL,
  recorded_by   text NOT NULL DEFAULT '',
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (plan_id, subject_code) REFERENCES spot_check_selection (plan_id, subject_code),
  CONSTRAINT inspection_result_once UNIQUE (plan_id, subject_code)
);
CREATE INDEX inspection_result_subject_idx ON inspection_result (subject_code, id);
CREATE INDEX inspection_result_published_idx ON inspection_result (id);

-- 2. Credit commitments (凌源 一(一), 二(一)): made for an application, with the date by which
--    the subject fulfils it; one that obtained 容缺受理 (accepted with missing documents: the
--    credit check that granted it) and is not fulfilled by then is breached by the scheduled job.
ALTER TABLE credit_commitment
  ADD COLUMN application        text,
  ADD COLUMN deadline           date,
  ADD COLUMN check_id           uuid REFERENCES credit_check (check_id),
  ADD COLUMN fulfilled_on       date,
  ADD COLUMN fulfilment_note    text,
  ADD COLUMN breach_automatic   boolean NOT NULL DEFAULT false;
ALTER TABLE credit_commitment DROP CONSTRAINT credit_commitment_status_check;
ALTER TABLE credit_commitment ADD CONSTRAINT credit_commitment_status_check CHECK (status IN ('KEPT','FULFILLED','BREACHED'));
ALTER TABLE credit_commitment ADD CONSTRAINT credit_commitment_fulfilled CHECK ((status = 'FULFILLED') = (fulfilled_on IS NOT NULL));
ALTER TABLE credit_commitment ADD CONSTRAINT credit_commitment_deadline CHECK (deadline IS NULL OR deadline >= made_on);
ALTER TABLE credit_commitment ADD CONSTRAINT credit_commitment_missing_documents CHECK (check_id IS NULL OR deadline IS NOT NULL);
CREATE INDEX credit_commitment_due_idx ON credit_commitment (deadline) WHERE status = 'KEPT' AND check_id IS NOT NULL;
CREATE INDEX credit_commitment_published_idx ON credit_commitment (id);

-- 3. Joint cases pushed to their implementing departments (甘州 二(二), 五(一); 柴桑 (十四), (十七)):
--    the measures to apply (codes of the catalogue version the case was opened with), and per
--    implementing department the measures it applies and the deadline of its feedback.
ALTER TABLE joint_case
  ADD COLUMN measure_codes       text[],
  ADD COLUMN catalogue_version   integer REFERENCES catalogue_version (version);
CREATE TABLE joint_case_assignment (
  joint_case_id   bigint NOT NULL REFERENCES joint_case (id),
  department      text NOT NULL CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  measure_codes   text[] NOT NULL CHECK (cardinality(measure_codes) > 0),
  deadline        date NOT NULL,
  PRIMARY KEY (joint_case_id, department)
);
CREATE INDEX joint_case_assignment_department_idx ON joint_case_assignment (department, joint_case_id);
-- The department a feedback report came from (the caller's, from its signed identity): what an
-- assignment's feedback is matched on. Null for reports made before (and by callers of no department).
ALTER TABLE feedback ADD COLUMN reporting_department text CHECK (reporting_department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'));
CREATE INDEX feedback_case_department_idx ON feedback (joint_case_id, reporting_department, measure_code) WHERE joint_case_id IS NOT NULL;
CREATE INDEX joint_case_created_idx ON joint_case (created_at);

-- 4. Rectification orders and interviews (凌源 三(五): 谁认定、谁约谈): the determining department
--    orders a subject to rectify by a deadline, and holds reminder or warning interviews; an order
--    still open after its deadline puts the subject on the key-attention list (list_entry on
--    `rectification_order/<id>`, CREDIT_OFFICE) until it is rectified.
CREATE TABLE rectification_order (
  id                    bigserial PRIMARY KEY,
  idempotency_key       text NOT NULL,
  request_fingerprint   text NOT NULL,
  client_id             text NOT NULL DEFAULT '',
  subject_code          text NOT NULL,
  department            text NOT NULL CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  record_id             text NOT NULL,
  record_subject_code   text NOT NULL,
  requirement           text NOT NULL,
  ordered_on            date NOT NULL,
  deadline              date NOT NULL CHECK (deadline >= ordered_on),
  status                text NOT NULL DEFAULT 'ORDERED' CHECK (status IN ('ORDERED','RECTIFIED')),
  rectified_on          date,
  rectification_note    text,
  CONSTRAINT rectification_order_idempotency_key UNIQUE (client_id, idempotency_key),
  CHECK ((status = 'RECTIFIED') = (rectified_on IS NOT NULL))
);
CREATE INDEX rectification_order_subject_idx ON rectification_order (subject_code, id);
CREATE INDEX rectification_order_due_idx ON rectification_order (deadline) WHERE status = 'ORDERED';

CREATE TABLE interview (
  id                       bigserial PRIMARY KEY,
  idempotency_key          text NOT NULL,
  request_fingerprint      text NOT NULL,
  client_id                text NOT NULL DEFAULT '',
  rectification_order_id   bigint NOT NULL REFERENCES rectification_order (id),
  kind                     text NOT NULL CHECK (kind IN ('REMINDER','WARNING')),
  held_on                  date NOT NULL,
  participants             text[] NOT NULL CHECK (cardinality(participants) > 0),
  content                  text NOT NULL,
  outcome                  text NOT NULL,
  recorded_at              timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT interview_idempotency_key UNIQUE (client_id, idempotency_key)
);
CREATE INDEX interview_order_idx ON interview (rectification_order_id, id);

-- 5. Reports from the public (甘州 四(五); 柴桑 (十二): 举报): what a reporter says about a subject,
--    followed by a receipt code (kept as its SHA-256); the reporter's contact details are kept
--    apart (public_report_contact) and read by the credit office only.
CREATE TABLE public_report (
  id                     bigserial PRIMARY KEY,
  receipt_hash           text NOT NULL CHECK (receipt_hash ~ '^[0-9a-f]{64}$'),
  request_fingerprint    text NOT NULL,
  subject_code           text NOT NULL,
  conduct                text NOT NULL,
  suggested_department   text CHECK (suggested_department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  status                 text NOT NULL DEFAULT 'RECEIVED' CHECK (status IN ('RECEIVED','ROUTED','CLOSED')),
  department             text CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  routed_at              timestamptz,
  routing_note           text,
  result                 text CHECK (result IN ('SUBSTANTIATED','NOT_SUBSTANTIATED')),
  result_note            text,
  closed_at              timestamptz,
  submitted_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT public_report_receipt UNIQUE (receipt_hash),
  CHECK ((status = 'RECEIVED') = (department IS NULL)),
  CHECK ((status = 'CLOSED') = (result IS NOT NULL AND closed_at IS NOT NULL))
);
CREATE INDEX public_report_department_idx ON public_report (department, status, id);
CREATE TABLE public_report_contact (
  report_id   bigint PRIMARY KEY REFERENCES public_report (id),
  name        text,
  phone       text,
  email       text,
  CHECK (coalesce(name, phone, email) IS NOT NULL)
);

-- 6. The queue each department polls (a department's client reads what was sent to it, in order,
--    from the id it last saw): joint cases assigned, reports routed, automatic breaches.
CREATE TABLE department_notification (
  id          bigserial PRIMARY KEY,
  department  text NOT NULL CHECK (department IN ('MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE')),
  kind        text NOT NULL CHECK (kind IN ('JOINT_CASE_ASSIGNED','REPORT_ROUTED','COMMITMENT_BREACHED','RECTIFICATION_OVERDUE')),
  reference   text NOT NULL,
  message     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT department_notification_once UNIQUE (department, kind, reference)
);
CREATE INDEX department_notification_department_idx ON department_notification (department, id);

-- 7. An overdue rectification is a key-attention trigger (RECTIFICATION_OVERDUE, held by the
--    credit office): the trigger joins the vocabulary, and catalogue version 3 applies the
--    key-attention measures for it (published versions never change: a new version).
ALTER TABLE measure DROP CONSTRAINT measure_triggers_check;
ALTER TABLE measure ADD CONSTRAINT measure_triggers_check CHECK (cardinality(triggers) > 0 AND triggers <@ ARRAY[
  'DISHONEST_JUDGMENT_DEBTOR','CONSUMPTION_RESTRICTION','MAJOR_TAX_VIOLATION','TAX_RATING_D',
  'TAX_ARREARS','SERIOUS_VIOLATION_LIST','ABNORMAL_OPERATIONS','SERIOUS_PENALTY',
  'ADMINISTRATIVE_PENALTY','ENVIRONMENTAL_RATING_BLACK','ENVIRONMENTAL_RATING_RED',
  'COMMITMENT_BREACH','RECTIFICATION_OVERDUE','REPRESENTS_BLACKLISTED_ENTITY','TAX_RATING_A',
  'ENVIRONMENTAL_RATING_GREEN','CONTRACT_HONOURING','NO_ADVERSE_RECORD_3_YEARS']::text[]);

INSERT INTO catalogue_version (version, note, published_by)
SELECT max(version) + 1, '逾期未整改纳入重点关注：认定部门责令限期整改、逾期未整改的，适用重点关注对象约束措施（凌源 三(五)）', 'migration 017_seed_mechanisms'
  FROM catalogue_version;
INSERT INTO measure (version, code, name, description, kind, mandatory, channel, effect, triggers, scenarios,
                     initiating_departments, implementing_departments, person_level, legal_basis, period_months)
SELECT (SELECT max(version) FROM catalogue_version), code, name, description, kind, mandatory, channel, effect,
       CASE WHEN 'ABNORMAL_OPERATIONS' = ANY (triggers) THEN array_append(triggers, 'RECTIFICATION_OVERDUE') ELSE triggers END,
       scenarios,
       CASE WHEN 'ABNORMAL_OPERATIONS' = ANY (triggers) THEN array_append(initiating_departments, 'CREDIT_OFFICE') ELSE initiating_departments END,
       implementing_departments, person_level,
       CASE WHEN 'ABNORMAL_OPERATIONS' = ANY (triggers)
            THEN legal_basis || '；认定部门责令限期整改、逾期未整改的，纳入重点关注（凌源 三(五)“谁认定、谁约谈”）'
            ELSE legal_basis END,
       period_months
  FROM measure
 WHERE version = (SELECT max(version) - 1 FROM catalogue_version);
