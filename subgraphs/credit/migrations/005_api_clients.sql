-- The client systems allowed to call the platform (approval systems, trading
-- platforms, banks, departments, the credit office itself, developers) and
-- their API keys. The credit office decides who may use the platform, so the
-- identities live in its database; the gateway asks for a key through the
-- credit subgraph's internal endpoint and never opens this table.
--
-- The key itself is never stored: it is shown once when the client is
-- created. key_hash is the SHA-256 (hex) of the whole key. A fast unsalted
-- hash is the right tool here, unlike for passwords: a key is 32 random bytes
-- (256 bits) drawn by the platform, so there is no dictionary to try and a
-- brute force over the key space is out of reach however fast the hash is.
-- Being deterministic, it can also be looked up by an index (UNIQUE below) in
-- one statement per request, which a salted slow hash could not.
-- key_prefix (the first 8 characters, `cgk_` and 4 more) only helps people
-- recognise a key in listings; it identifies nothing.
CREATE TABLE api_client (
  id          text PRIMARY KEY CHECK (id ~ '^cli_[0-9a-f]{20}$'),
  name        text NOT NULL CHECK (length(btrim(name)) > 0 AND length(name) <= 200),
  -- The roles of API.md a credential may carry (PUBLIC is having no credential).
  role        text NOT NULL CHECK (role IN ('APPROVAL_SYSTEM','TRADING_PLATFORM','FINANCIAL_INSTITUTION','DEPARTMENT','CREDIT_OFFICE','DEVELOPER')),
  key_prefix  text NOT NULL CHECK (length(key_prefix) = 8),
  key_hash    text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz,
  revoked_at  timestamptz,
  CONSTRAINT api_client_key_hash UNIQUE (key_hash),
  CHECK (expires_at IS NULL OR expires_at > created_at)
);
