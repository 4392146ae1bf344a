-- The audit log misses nobody (issue 15): each entry also keeps the client's
-- own request id beside the gateway's, the address the request came from, and
-- how many requests it stands for — one, or more for an aggregate of the
-- requests refused before an operation was considered (bad credentials, rate
-- limits, unreadable bodies) from one address within a minute.
--
-- Entries stored before this migration have NULL, NULL, 1 and keep their
-- hashes: the canonical JSON an entry's hash covers gains these three fields
-- only when one of them differs from that (subgraphs/credit/audit.ts).
-- ADD COLUMN with a constant default rewrites no row, so the append-only
-- triggers (UPDATE refused) are not involved.
ALTER TABLE audit_entry
  ADD COLUMN client_request_id text,
  ADD COLUMN source_address text,
  ADD COLUMN request_count integer NOT NULL DEFAULT 1 CHECK (request_count >= 1);
