-- Catalogue version 5: the bar on senior posts (P_NO_SENIOR_POST, licensing) reaches the legal
-- representative of every black-listed organisation, whichever department black-listed it, as the
-- persons' measures of the other scenarios already do (migration 012). Version 1 named only the
-- court's debtors and the market's serious illegal list, so a company black-listed by tax, by
-- environment, for a serious penalty or a breached commitment carried no person-level measure in
-- its licensing check while its representative's own check was barred (found by a black-box review).
-- 国发〔2016〕33号: "对严重失信企业及其法定代表人、主要负责人和对失信行为负有直接责任的注册执业人员等实施市场和行业禁入措施".
INSERT INTO catalogue_version (version, note, published_by)
SELECT max(version) + 1, '不得担任法定代表人、董事、监事、高级管理人员：适用于所有严重失信主体（黑名单）的法定代表人（国发〔2016〕33号）', 'migration 020_senior_post_every_black_list'
  FROM catalogue_version;
INSERT INTO measure (version, code, name, description, kind, mandatory, channel, effect, triggers, scenarios,
                     initiating_departments, implementing_departments, person_level, legal_basis, period_months)
SELECT (SELECT max(version) FROM catalogue_version), code, name, description, kind, mandatory, channel, effect,
       CASE WHEN code = 'P_NO_SENIOR_POST'
            THEN ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH','REPRESENTS_BLACKLISTED_ENTITY']
            ELSE triggers END,
       scenarios, initiating_departments, implementing_departments, person_level,
       legal_basis,  -- already cites 国发〔2016〕33号's 市场和行业禁入 for the persons of every seriously dishonest enterprise
       period_months
  FROM measure
 WHERE version = (SELECT max(version) - 1 FROM catalogue_version);
