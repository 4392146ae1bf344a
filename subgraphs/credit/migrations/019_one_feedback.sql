-- Issue 17, second review (L5): one feedback per (joint case, measure, department) (甘州 五(六): a
-- measure pushed to a department is applied or not, and the statistics count it once). The same
-- feedback again answers the first; a contradicting one is refused (workflows/feedback.ts, under the
-- case's record lock); this index holds it against anything else.

-- The credit office reporting in a department's name reported for that department (policy
-- namedDepartment: the enum value or its catalogue name): its feedback is that department's.
WITH named AS (
  SELECT id, CASE
           WHEN department = 'MARKET' OR department LIKE '%市场监管%' THEN 'MARKET'
           WHEN department = 'TAX' OR department LIKE '%税务%' THEN 'TAX'
           WHEN department = 'COURTS' OR department LIKE '%法院%' THEN 'COURTS'
           WHEN department = 'ENVIRONMENT' OR department LIKE '%生态环境%' THEN 'ENVIRONMENT'
         END AS department
    FROM feedback
   WHERE joint_case_id IS NOT NULL AND reporting_department = 'CREDIT_OFFICE'
)
UPDATE feedback f SET reporting_department = named.department, department = named.department
  FROM named WHERE named.id = f.id AND named.department IS NOT NULL;

-- Feedback already stored more than once on a measure by a department: the earliest stands (it is
-- what the department said first, and what the deadline was judged by); the later ones go.
DELETE FROM feedback later
 USING feedback earlier
 WHERE later.joint_case_id IS NOT NULL
   AND earlier.joint_case_id = later.joint_case_id
   AND earlier.measure_code = later.measure_code
   AND earlier.reporting_department = later.reporting_department
   AND earlier.id < later.id;

CREATE UNIQUE INDEX feedback_once_per_case ON feedback (joint_case_id, measure_code, reporting_department) WHERE joint_case_id IS NOT NULL;
