-- What each credit report held when it was issued (issue 16's review, finding 3): its sections
-- with each entry's heading and mark, natural persons masked, so the verification page can show a
-- reader of a printed copy what the report said (a copy with its black-list section cut out no
-- longer passes for the report). Reports issued before this migration have none (NULL).
ALTER TABLE credit_report ADD COLUMN content jsonb;
