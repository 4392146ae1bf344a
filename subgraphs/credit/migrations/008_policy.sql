-- The credit policy module (subgraphs/credit/policy/, docs/policy.md).
--
-- 1. Check history (可查可核可溯): who asked for a check and why, and whether
--    the subject was known to anyone (no incentive without a record).
ALTER TABLE credit_check
  ADD COLUMN requested_by    text,
  ADD COLUMN requester_role  text,
  ADD COLUMN purpose         text,
  ADD COLUMN registered      boolean;

-- 2. The objection deadline is the policy's (policy/objection.ts, 20 days),
--    written when the objection is filed, not a second definition here.
ALTER TABLE objection ALTER COLUMN verify_by DROP EXPRESSION;

-- 3. The person-level measures reach the legal representative in every scenario
--    the catalogue names: 国发〔2016〕33号 revokes the honours of a seriously
--    dishonest entity's legal representative and responsible persons too, which
--    P_HONOURS_DISQUALIFIED describes but applied to the entity only. A new
--    catalogue version: the latest one's measures and the person-level measure.
INSERT INTO catalogue_version (version, note, published_by)
SELECT max(version) + 1,
       '责任人员：严重失信主体的法定代表人、主要负责人和负有直接责任的人员取消评先评优资格（人员层面措施）',
       'migration 008_policy'
  FROM catalogue_version;

INSERT INTO measure (version, code, name, description, kind, mandatory, channel, effect, triggers, scenarios,
                     initiating_departments, implementing_departments, person_level, legal_basis, period_months)
SELECT latest.version, m.code, m.name, m.description, m.kind, m.mandatory, m.channel, m.effect, m.triggers, m.scenarios,
       m.initiating_departments, m.implementing_departments, m.person_level, m.legal_basis, m.period_months
  FROM measure m, (SELECT max(version) AS version FROM catalogue_version) AS latest
 WHERE m.version = latest.version - 1;

INSERT INTO measure (version, code, name, description, kind, mandatory, channel, effect, triggers, scenarios,
                     initiating_departments, implementing_departments, person_level, legal_basis, period_months)
SELECT latest.version, 'P_RESPONSIBLE_PERSONS_HONOURS_DISQUALIFIED', '责任人员取消评先评优资格，撤销荣誉称号',
       '严重失信主体的法定代表人、主要负责人和对失信行为负有直接责任的人员，取消参加各类荣誉评选资格，已获得的荣誉称号予以撤销。',
       'PUNISHMENT', true, 'ADMINISTRATIVE', 'PROHIBIT',
       ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH','REPRESENTS_BLACKLISTED_ENTITY'],
       ARRAY['HONORS_AND_AWARDS'],
       ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['各级评选表彰部门','文明办','工会','共青团','妇联'], true,
       '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“及时撤销严重失信企业及其法定代表人、负责人、高级管理人员和对失信行为负有直接责任的董事、股东等人员的荣誉称号，取消参加各类荣誉评选资格”',
       NULL
  FROM (SELECT max(version) AS version FROM catalogue_version) AS latest
 WHERE NOT EXISTS (SELECT 1 FROM measure m, (SELECT max(version) AS version FROM catalogue_version) l
                    WHERE m.version = l.version AND m.code = 'P_RESPONSIBLE_PERSONS_HONOURS_DISQUALIFIED');
