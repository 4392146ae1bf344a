-- Tax (税务): annual tax credit ratings, published major tax violation cases,
-- and tax arrears notices. Every table is keyed by subject_code so entity
-- lookups are one indexed ANY($1) per table.

-- A subject is rated once a year; the primary key's leading subject_code
-- doubles as the lookup index.
CREATE TABLE tax_credit_rating (
  subject_code   text NOT NULL,
  year           integer NOT NULL,
  level          text NOT NULL CHECK (level IN ('A','B','M','C','D')),
  score          numeric(5,2) CHECK (score BETWEEN 0 AND 100),
  assessed_on    date NOT NULL,
  tax_authority  text NOT NULL,
  PRIMARY KEY (subject_code, year)
);

CREATE TABLE major_tax_violation (
  id             bigserial PRIMARY KEY,
  subject_code   text NOT NULL,
  case_number    text NOT NULL UNIQUE,
  nature         text NOT NULL CHECK (nature IN ('TAX_EVASION','TAX_ARREARS_EVASION','TAX_FRAUD','FRAUDULENT_EXPORT_REFUND','FALSE_INVOICING','TAX_RESISTANCE')),
  amount         numeric(16,2) NOT NULL,
  facts          text NOT NULL,
  tax_authority  text NOT NULL,
  decided_on     date NOT NULL,
  published_on   date NOT NULL,
  removed_on     date
);
CREATE INDEX major_tax_violation_subject_idx ON major_tax_violation (subject_code);

-- An arrears announcement (欠税公告) is published as one numbered list naming
-- many taxpayers, each with one line per tax type, so the notice number alone
-- does not identify a record.
CREATE TABLE tax_arrears_notice (
  id             bigserial PRIMARY KEY,
  subject_code   text NOT NULL,
  notice_number  text NOT NULL,
  tax_type       text NOT NULL,
  amount         numeric(16,2) NOT NULL,
  tax_authority  text NOT NULL,
  announced_on   date NOT NULL,
  settled_on     date,
  UNIQUE (subject_code, notice_number, tax_type)
);
