-- 守合同重信用企业 (contract-honouring, credit-keeping enterprises): market
-- supervision recognises and publicises enterprises that honour their
-- contracts, one recognition per subject and year, valid until a date unless
-- revoked earlier. A recognition in force puts its subject on the red list
-- (the credit office's list rules, subgraphs/credit/policy/lists.ts).
CREATE TABLE contract_honouring_recognition (
  id             bigserial PRIMARY KEY,
  subject_code   text NOT NULL,
  -- The year of the publicity (公示年度): the natural key with the subject.
  year           integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
  authority      text NOT NULL,
  recognised_on  date NOT NULL,
  -- The last day the recognition is valid.
  valid_until    date NOT NULL CHECK (valid_until >= recognised_on),
  revoked_on     date CHECK (revoked_on IS NULL OR revoked_on >= recognised_on),
  UNIQUE (subject_code, year)
);
