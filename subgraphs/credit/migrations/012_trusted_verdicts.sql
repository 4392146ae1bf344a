-- Verdicts the credit office can defend (issue 12, review of the running graph).
--
-- 1. A measure is applied once per trigger and record: a person's measure
--    applied both as REPRESENTS_BLACKLISTED_ENTITY and as the entity's own
--    trigger on the same record keeps both rows (the unique key lacked the trigger).
DO $$
DECLARE
  name text;
BEGIN
  SELECT conname INTO name FROM pg_constraint WHERE conrelid = 'applied_measure'::regclass AND contype = 'u';
  IF name IS NOT NULL THEN
    EXECUTE format('ALTER TABLE applied_measure DROP CONSTRAINT %I', name);
  END IF;
END
$$;
ALTER TABLE applied_measure ADD CONSTRAINT applied_measure_once UNIQUE (check_id, measure_code, trigger, initiating_department, record_id);

-- 2. A new trigger: a contract-honouring recognition (守合同重信用企业) of market
--    supervision puts its subject on the red list (policy/lists.ts).
ALTER TABLE measure DROP CONSTRAINT measure_triggers_check;
ALTER TABLE measure ADD CONSTRAINT measure_triggers_check CHECK (cardinality(triggers) > 0 AND triggers <@ ARRAY[
  'DISHONEST_JUDGMENT_DEBTOR','CONSUMPTION_RESTRICTION','MAJOR_TAX_VIOLATION','TAX_RATING_D',
  'TAX_ARREARS','SERIOUS_VIOLATION_LIST','ABNORMAL_OPERATIONS','SERIOUS_PENALTY',
  'ADMINISTRATIVE_PENALTY','ENVIRONMENTAL_RATING_BLACK','ENVIRONMENTAL_RATING_RED',
  'COMMITMENT_BREACH','REPRESENTS_BLACKLISTED_ENTITY','TAX_RATING_A',
  'ENVIRONMENTAL_RATING_GREEN','CONTRACT_HONOURING','NO_ADVERSE_RECORD_3_YEARS']::text[]);

-- 3. A new catalogue version: the latest one's measures, with
--    - the red-list incentives also for 守合同重信用企业 (CONTRACT_HONOURING, market supervision initiating);
--    - P_NO_SENIOR_POST initiated by whichever department black-listed the entity a person represents
--      (a TAX-, ENVIRONMENT- or MARKET-listed entity's representative was barred "by" a department the
--      measure did not name);
--    - the person-level measures of every scenario the catalogue names: a responsible person of a
--      seriously dishonest entity was CLEAR in public-resource trading (unless the entity was a court's
--      debtor), financial services, fiscal support and inspections.
INSERT INTO catalogue_version (version, note, published_by)
SELECT max(version) + 1,
       '责任人员在各应用场景承担人员层面惩戒措施（公共资源交易、融资授信、财政资金、重点监管），限制担任职务措施由认定严重失信的部门发起；“守合同重信用”企业纳入红名单，享受守信联合激励',
       'migration 012_trusted_verdicts'
  FROM catalogue_version;

INSERT INTO measure (version, code, name, description, kind, mandatory, channel, effect, triggers, scenarios,
                     initiating_departments, implementing_departments, person_level, legal_basis, period_months)
SELECT latest.version, m.code, m.name, m.description, m.kind, m.mandatory, m.channel, m.effect,
       CASE WHEN m.kind = 'INCENTIVE' AND 'TAX_RATING_A' = ANY (m.triggers)
            THEN ARRAY(SELECT t FROM unnest(ARRAY['TAX_RATING_A','ENVIRONMENTAL_RATING_GREEN','CONTRACT_HONOURING','NO_ADVERSE_RECORD_3_YEARS']) WITH ORDINALITY AS v(t, n)
                        WHERE t = ANY (m.triggers || 'CONTRACT_HONOURING'::text) ORDER BY n)
            ELSE m.triggers END,
       m.scenarios,
       CASE WHEN m.code = 'P_NO_SENIOR_POST' THEN ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE']
            WHEN m.kind = 'INCENTIVE' AND 'TAX_RATING_A' = ANY (m.triggers)
            THEN ARRAY(SELECT d FROM unnest(ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE']) WITH ORDINALITY AS v(d, n)
                        WHERE d = ANY (m.initiating_departments || 'MARKET'::text) ORDER BY n)
            ELSE m.initiating_departments END,
       m.implementing_departments, m.person_level,
       CASE WHEN m.kind = 'INCENTIVE' AND 'TAX_RATING_A' = ANY (m.triggers)
            THEN m.legal_basis || '；市场监督管理部门公示的“守合同重信用”企业（红名单）'
            ELSE m.legal_basis END,
       m.period_months
  FROM measure m, (SELECT max(version) AS version FROM catalogue_version) AS latest
 WHERE m.version = latest.version - 1;

INSERT INTO measure (version, code, name, description, kind, mandatory, channel, effect, triggers, scenarios,
                     initiating_departments, implementing_departments, person_level, legal_basis, period_months)
SELECT latest.version, p.code, p.name, p.description, 'PUNISHMENT', false, p.channel, 'RESTRICT',
       ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH','REPRESENTS_BLACKLISTED_ENTITY'],
       ARRAY[p.scenario], ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], p.implementing, true,
       '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“对严重失信企业及其法定代表人、主要负责人和对失信行为负有直接责任的注册执业人员等实施市场和行业禁入措施”；' || p.basis,
       NULL
  FROM (SELECT max(version) AS version FROM catalogue_version) AS latest,
       (VALUES
         ('P_RESPONSIBLE_PERSONS_TRADING_RESTRICTION', '责任人员参与公共资源交易从严审查',
          '严重失信主体的法定代表人、主要负责人和对失信行为负有直接责任的人员，以个人名义或作为其他主体的法定代表人、项目负责人参与政府采购、招标投标等公共资源交易活动时从严审查，不得担任评标评审专家。',
          'ADMINISTRATIVE', 'PUBLIC_RESOURCE_TRADING', ARRAY['公共资源交易管理部门','财政（政府采购）','发展改革（招标投标）','招标人和采购人'],
          '《关于在招标投标活动中对失信被执行人实施联合惩戒的通知》（法〔2016〕285号）；《关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录》（发改财金〔2014〕3062号）'),
         ('P_RESPONSIBLE_PERSONS_FINANCING_CAUTION', '责任人员融资授信从严审查',
          '金融机构将其作为严重失信主体法定代表人、主要负责人或负有直接责任人员的情况作为个人融资授信审查的重要参考，从严审核贷款、保险等金融服务。',
          'MARKET', 'FINANCIAL_SERVICES', ARRAY['人民银行','金融监管','金融机构'],
          '《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）；《关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录》（发改财金〔2014〕3062号）'),
         ('P_RESPONSIBLE_PERSONS_FISCAL_SUPPORT_RESTRICTION', '责任人员申请财政性资金从严审查',
          '严重失信主体的法定代表人、主要负责人和对失信行为负有直接责任的人员，以个人名义或作为其他主体的法定代表人申请财政性资金、政策性补贴时从严审查。',
          'ADMINISTRATIVE', 'FISCAL_SUPPORT', ARRAY['财政','发展改革','工业和信息化','科技','人力资源社会保障'],
          '《关于加快推进失信被执行人信用监督、警示和惩戒机制建设的意见》（中办发〔2016〕64号）；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）'),
         ('P_RESPONSIBLE_PERSONS_FOCUSED_SUPERVISION', '责任人员任职主体列为重点监管对象',
          '严重失信主体的法定代表人、主要负责人和对失信行为负有直接责任的人员担任法定代表人、负责人的其他市场主体，列为重点监管对象，提高“双随机”抽查比例和频次。',
          'ADMINISTRATIVE', 'REGULATORY_INSPECTION', ARRAY['市场监管','税务','生态环境','各行业主管部门'],
          '《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）；《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）')
       ) AS p(code, name, description, channel, scenario, implementing, basis)
 WHERE NOT EXISTS (SELECT 1 FROM measure m WHERE m.version = latest.version AND m.code = p.code);
