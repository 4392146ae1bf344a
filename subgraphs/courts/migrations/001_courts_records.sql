-- People's courts (法院): the list of dishonest judgment debtors, consumption
-- restriction orders, and enforcement cases. Every table is keyed by
-- subject_code (a USCC, or a resident identity number for a natural person)
-- so entity lookups are one indexed ANY($1) per table.
--
-- One case number names every joint debtor of the case (共同被执行人), so a
-- record is identified by (subject_code, case_number), not by the case number
-- alone; that unique index's leading subject_code doubles as the lookup index.

CREATE TABLE dishonest_debtor (
  id                  bigserial PRIMARY KEY,
  subject_code        text NOT NULL,
  case_number         text NOT NULL,
  court               text NOT NULL,
  basis_document      text NOT NULL,
  obligation          text NOT NULL,
  performance_status  text NOT NULL CHECK (performance_status IN ('NOT_PERFORMED','PARTIALLY_PERFORMED','PERFORMED')),
  dishonest_conduct   text NOT NULL,
  listed_on           date NOT NULL,
  removed_on          date,
  UNIQUE (subject_code, case_number)
);

-- subject_code is the restricted subject; restricted_person_* is the natural
-- person the order binds (the legal representative of a restricted entity, or
-- the restricted person themself). Orders are also looked up by that person.
CREATE TABLE consumption_restriction_order (
  id                      bigserial PRIMARY KEY,
  subject_code            text NOT NULL,
  case_number             text NOT NULL,
  court                   text NOT NULL,
  restricted_person_name  text,
  restricted_person_id    text CHECK (restricted_person_id ~ '^[0-9]{17}[0-9X]$'),
  restrictions            text[] NOT NULL CHECK (
                            cardinality(restrictions) > 0
                            AND restrictions <@ ARRAY['FLIGHTS','FIRST_CLASS_RAIL','STAR_HOTELS','PROPERTY_PURCHASE','LUXURY_TRAVEL','PRIVATE_SCHOOL_FEES']::text[]
                          ),
  issued_on               date NOT NULL,
  lifted_on               date,
  UNIQUE (subject_code, case_number),
  CHECK ((restricted_person_name IS NULL) = (restricted_person_id IS NULL))
);
CREATE INDEX consumption_restriction_order_person_idx ON consumption_restriction_order (restricted_person_id)
  WHERE restricted_person_id IS NOT NULL;

CREATE TABLE enforcement_case (
  id            bigserial PRIMARY KEY,
  subject_code  text NOT NULL,
  case_number   text NOT NULL,
  court         text NOT NULL,
  amount        numeric(16,2) NOT NULL,
  filed_on      date NOT NULL,
  status        text NOT NULL CHECK (status IN ('PENDING','CLOSED')),
  closed_on     date,
  UNIQUE (subject_code, case_number),
  CHECK ((status = 'CLOSED') = (closed_on IS NOT NULL))
);
