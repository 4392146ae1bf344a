-- Issue 17, second review: what stands on a record ends with it. A record revoked or corrected
-- after an upheld objection, or repaired, is withdrawn (DESIGN.md «Decisions»: "Every punishment
-- has an exit"; 柴桑 (二十), (二十一)): a rectification order still open on it and a joint case
-- pushed for it end the same day, with the decision that withdrew it (objection/<id>, repair/<id>).

ALTER TABLE rectification_order DROP CONSTRAINT rectification_order_status_check;
ALTER TABLE rectification_order ADD CONSTRAINT rectification_order_status_check CHECK (status IN ('ORDERED','RECTIFIED','WITHDRAWN'));
ALTER TABLE rectification_order
  ADD COLUMN withdrawn_on          date,
  ADD COLUMN withdrawal_reference  text;
ALTER TABLE rectification_order ADD CONSTRAINT rectification_order_withdrawn CHECK ((status = 'WITHDRAWN') = (withdrawn_on IS NOT NULL AND withdrawal_reference IS NOT NULL));

ALTER TABLE joint_case
  ADD COLUMN withdrawn_on          date,
  ADD COLUMN withdrawal_reference  text;
ALTER TABLE joint_case ADD CONSTRAINT joint_case_withdrawn CHECK ((withdrawn_on IS NULL) = (withdrawal_reference IS NULL));

-- What was decided before this migration: the orders and cases of records already withdrawn end
-- now, with the decision, and the key-attention entries of those orders end today too.
WITH decided AS (
  SELECT department, record_id, 'objection/' || id AS reference, correction AS withdrawal FROM objection WHERE status = 'UPHELD'
  UNION ALL
  SELECT department, record_id, 'repair/' || id, 'REPAIRED' FROM repair_application WHERE status = 'APPROVED'
), orders AS (
  UPDATE rectification_order o SET status = 'WITHDRAWN', withdrawn_on = (now() AT TIME ZONE 'Asia/Shanghai')::date,
         withdrawal_reference = (SELECT d.reference FROM decided d WHERE d.department = o.department AND d.record_id = o.record_id LIMIT 1)
   WHERE o.status = 'ORDERED' AND EXISTS (SELECT 1 FROM decided d WHERE d.department = o.department AND d.record_id = o.record_id)
   RETURNING o.id, o.withdrawal_reference
)
UPDATE list_entry e SET until = GREATEST(e.since, (now() AT TIME ZONE 'Asia/Shanghai')::date),
       withdrawal = COALESCE(e.withdrawal, (SELECT d.withdrawal FROM decided d WHERE d.reference = orders.withdrawal_reference LIMIT 1)),
       withdrawal_reference = COALESCE(e.withdrawal_reference, orders.withdrawal_reference)
  FROM orders
 WHERE e.department = 'CREDIT_OFFICE' AND e.source_record = 'rectification_order/' || orders.id
   AND (e.until IS NULL OR e.until > (now() AT TIME ZONE 'Asia/Shanghai')::date);

UPDATE joint_case c SET withdrawn_on = (now() AT TIME ZONE 'Asia/Shanghai')::date,
       withdrawal_reference = d.reference
  FROM (SELECT department, record_id, 'objection/' || id AS reference FROM objection WHERE status = 'UPHELD'
        UNION ALL SELECT department, record_id, 'repair/' || id FROM repair_application WHERE status = 'APPROVED') d
 WHERE c.withdrawn_on IS NULL AND d.department = c.initiating_department AND d.record_id = c.record_id;
