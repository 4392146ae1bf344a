-- Market supervision (市场监管): registration, double-publicity licences and
-- penalties, the abnormal operations list, the serious illegal and dishonest
-- list, and random spot-check results. Every table is keyed by subject_code so
-- entity lookups are one indexed ANY($1) per table.

CREATE TABLE registration (
  subject_code            text PRIMARY KEY,
  name                    text NOT NULL,
  entity_type             text NOT NULL CHECK (entity_type IN ('ENTERPRISE','SOLE_TRADER','FARMERS_COOPERATIVE','SOCIAL_ORGANISATION','OTHER')),
  legal_rep_name          text NOT NULL,
  legal_rep_id            text NOT NULL,
  registered_capital      numeric(16,2),
  established_on          date NOT NULL,
  status                  text NOT NULL CHECK (status IN ('ACTIVE','REVOKED','DEREGISTERED')),
  address                 text NOT NULL,
  business_scope          text NOT NULL,
  registration_authority  text NOT NULL
);
CREATE INDEX registration_legal_rep_idx ON registration (legal_rep_id);

CREATE TABLE administrative_licence (
  id               bigserial PRIMARY KEY,
  subject_code     text NOT NULL,
  decision_number  text NOT NULL UNIQUE,
  licence_name     text NOT NULL,
  content          text NOT NULL,
  authority        text NOT NULL,
  decided_on       date NOT NULL,
  valid_from       date NOT NULL,
  valid_until      date,
  published_on     date
);
CREATE INDEX administrative_licence_subject_idx ON administrative_licence (subject_code);

CREATE TABLE administrative_penalty (
  id                   bigserial PRIMARY KEY,
  subject_code         text NOT NULL,
  decision_number      text NOT NULL UNIQUE,
  violation            text NOT NULL,
  content              text NOT NULL,
  basis                text NOT NULL,
  authority            text NOT NULL,
  area                 text NOT NULL,
  serious              boolean NOT NULL DEFAULT false,
  amount               numeric(16,2),
  decided_on           date NOT NULL,
  published_on         date,
  publication_ends_on  date
);
CREATE INDEX administrative_penalty_subject_idx ON administrative_penalty (subject_code);

CREATE TABLE abnormal_operations_entry (
  id              bigserial PRIMARY KEY,
  subject_code    text NOT NULL,
  reason          text NOT NULL,
  authority       text NOT NULL,
  listed_on       date NOT NULL,
  removed_on      date,
  removal_reason  text
);
CREATE INDEX abnormal_operations_entry_subject_idx ON abnormal_operations_entry (subject_code);

CREATE TABLE serious_violation_entry (
  id            bigserial PRIMARY KEY,
  subject_code  text NOT NULL,
  reason        text NOT NULL,
  authority     text NOT NULL,
  listed_on     date NOT NULL,
  removed_on    date
);
CREATE INDEX serious_violation_entry_subject_idx ON serious_violation_entry (subject_code);

CREATE TABLE spot_check_result (
  id            bigserial PRIMARY KEY,
  subject_code  text NOT NULL,
  matter        text NOT NULL,
  authority     text NOT NULL,
  checked_on    date NOT NULL,
  outcome       text NOT NULL CHECK (outcome IN ('NO_PROBLEM','PROBLEM_FOUND','NOT_FOUND_AT_ADDRESS'))
);
CREATE INDEX spot_check_result_subject_idx ON spot_check_result (subject_code);
