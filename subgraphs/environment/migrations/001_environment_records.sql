-- Ecology and environment (生态环境): annual enterprise environmental credit
-- ratings, environmental administrative penalties, and pollutant discharge
-- permits. Every table is keyed by subject_code so entity lookups are one
-- indexed ANY($1) per table.

-- A subject is rated once a year; the primary key's leading subject_code
-- doubles as the lookup index.
CREATE TABLE environmental_credit_rating (
  subject_code  text NOT NULL,
  year          integer NOT NULL,
  level         text NOT NULL CHECK (level IN ('GREEN','BLUE','YELLOW','RED','BLACK')),
  authority     text NOT NULL,
  assessed_on   date NOT NULL,
  PRIMARY KEY (subject_code, year)
);

CREATE TABLE environmental_penalty (
  id                   bigserial PRIMARY KEY,
  subject_code         text NOT NULL,
  decision_number      text NOT NULL UNIQUE,
  violation            text NOT NULL,
  content              text NOT NULL,
  basis                text NOT NULL,
  authority            text NOT NULL,
  serious              boolean NOT NULL DEFAULT false,
  amount               numeric(16,2),
  decided_on           date NOT NULL,
  published_on         date,
  publication_ends_on  date
);
CREATE INDEX environmental_penalty_subject_idx ON environmental_penalty (subject_code);

CREATE TABLE discharge_permit (
  id             bigserial PRIMARY KEY,
  subject_code   text NOT NULL,
  permit_number  text NOT NULL UNIQUE,
  industry       text NOT NULL,
  -- The schema promises a list of non-null names.
  pollutants     text[] NOT NULL CHECK (array_position(pollutants, NULL) IS NULL),
  issued_on      date NOT NULL,
  valid_until    date NOT NULL CHECK (valid_until >= issued_on),
  status         text NOT NULL CHECK (status IN ('VALID','EXPIRED','REVOKED'))
);
CREATE INDEX discharge_permit_subject_idx ON discharge_permit (subject_code);
