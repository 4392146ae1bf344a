-- Credit checks: every check an approval system, trading platform or bank
-- runs is recorded with its checkId, the scenario, the verdict, the
-- departments that did not answer and the catalogue version it was decided
-- with, so a past verdict can be explained and feedback can refer to it.
-- A check is recorded when it is requested and decided in the same request
-- (the verdict needs the departments' records, which the gateway fetches in
-- between); a check whose caller never asked for the verdict stays undecided.

CREATE TABLE credit_check (
  check_id           uuid PRIMARY KEY,
  subject_code       text NOT NULL,
  scenario           text NOT NULL CHECK (scenario IN ('ADMINISTRATIVE_LICENSING','PUBLIC_RESOURCE_TRADING','FINANCIAL_SERVICES',
                                                       'FISCAL_SUPPORT','HONORS_AND_AWARDS','REGULATORY_INSPECTION')),
  requested_at       timestamptz NOT NULL DEFAULT now(),
  decided_at         timestamptz,
  verdict            text CHECK (verdict IN ('CLEAR','INCENTIVE','RESTRICTED','PROHIBITED','INCONCLUSIVE')),
  missing_sources    text[] NOT NULL DEFAULT '{}',
  catalogue_version  integer,
  CHECK ((verdict IS NULL) = (decided_at IS NULL))
);
CREATE INDEX credit_check_subject_idx ON credit_check (subject_code, requested_at DESC);
CREATE INDEX credit_check_requested_idx ON credit_check (requested_at);

-- The measures a decided check applied, each with the record that triggered it.
CREATE TABLE applied_measure (
  id                     bigserial PRIMARY KEY,
  check_id               uuid NOT NULL REFERENCES credit_check (check_id) ON DELETE CASCADE,
  measure_code           text NOT NULL,
  trigger                text NOT NULL,
  -- The department whose determination triggered it, and its record.
  initiating_department  text NOT NULL,
  record_id              text NOT NULL,
  -- The subject the record is about: the checked subject, or for a person the entity they represent.
  record_subject_code    text NOT NULL,
  until                  date,
  -- Suspended while an objection to the triggering record is being verified.
  suspended              boolean NOT NULL DEFAULT false,
  UNIQUE (check_id, measure_code, initiating_department, record_id)
);
CREATE INDEX applied_measure_check_idx ON applied_measure (check_id);
