-- Authorised access for financial institutions: a subject authorises one
-- client (a bank's API client) to see its non-public detail (tax figures)
-- until a date. The gateway asks for the authorisations in force for the
-- subjects a bank's request names; a bank without one gets FORBIDDEN for
-- that detail, whatever the query shape. Granting is idempotent on a key;
-- revoking ends it at once and is never undone (a new grant is a new row).

CREATE TABLE financial_authorisation (
  id                   bigserial PRIMARY KEY,
  subject_code         text NOT NULL,
  client_id            text NOT NULL,
  granted_at           timestamptz NOT NULL DEFAULT now(),
  valid_until          date NOT NULL,
  revoked_at           timestamptz,
  revocation_note      text,
  idempotency_key      text NOT NULL,
  request_fingerprint  text NOT NULL,
  CONSTRAINT financial_authorisation_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX financial_authorisation_lookup_idx ON financial_authorisation (client_id, subject_code) WHERE revoked_at IS NULL;
