-- The measures catalogue (联合奖惩措施清单): every joint incentive and joint
-- punishment as data. A catalogue is published as a whole, as a new version;
-- a published version never changes, so a past check (credit_check records
-- the version it was decided with) can be explained with the catalogue as it
-- was. Version 1, the initial catalogue, is inserted below.

CREATE TABLE catalogue_version (
  version       integer PRIMARY KEY CHECK (version >= 1),
  published_at  timestamptz NOT NULL DEFAULT now(),
  note          text NOT NULL,
  published_by  text NOT NULL
);

CREATE TABLE measure (
  version                   integer NOT NULL REFERENCES catalogue_version (version),
  code                      text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{1,63}$'),
  name                      text NOT NULL CHECK (name <> ''),
  description               text NOT NULL,
  kind                      text NOT NULL CHECK (kind IN ('INCENTIVE','PUNISHMENT')),
  mandatory                 boolean NOT NULL,
  channel                   text NOT NULL CHECK (channel IN ('ADMINISTRATIVE','MARKET','INDUSTRY','SOCIAL')),
  effect                    text NOT NULL CHECK (effect IN ('PROHIBIT','RESTRICT','FACILITATE')),
  -- The kinds of record that apply the measure (vocabulary.ts TRIGGERS).
  triggers                  text[] NOT NULL CHECK (cardinality(triggers) > 0 AND triggers <@ ARRAY[
                              'DISHONEST_JUDGMENT_DEBTOR','CONSUMPTION_RESTRICTION','MAJOR_TAX_VIOLATION','TAX_RATING_D',
                              'TAX_ARREARS','SERIOUS_VIOLATION_LIST','ABNORMAL_OPERATIONS','SERIOUS_PENALTY',
                              'ADMINISTRATIVE_PENALTY','ENVIRONMENTAL_RATING_BLACK','ENVIRONMENTAL_RATING_RED',
                              'COMMITMENT_BREACH','REPRESENTS_BLACKLISTED_ENTITY','TAX_RATING_A',
                              'ENVIRONMENTAL_RATING_GREEN','NO_ADVERSE_RECORD_3_YEARS']::text[]),
  scenarios                 text[] NOT NULL CHECK (cardinality(scenarios) > 0 AND scenarios <@ ARRAY[
                              'ADMINISTRATIVE_LICENSING','PUBLIC_RESOURCE_TRADING','FINANCIAL_SERVICES',
                              'FISCAL_SUPPORT','HONORS_AND_AWARDS','REGULATORY_INSPECTION']::text[]),
  -- The departments whose determinations (the triggering records) initiate it.
  initiating_departments    text[] NOT NULL CHECK (cardinality(initiating_departments) > 0 AND initiating_departments <@ ARRAY[
                              'MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE']::text[]),
  -- Who applies it: free text (发展改革、财政、人民银行、金融机构、行业协会…).
  implementing_departments  text[] NOT NULL CHECK (cardinality(implementing_departments) > 0
                                                   AND array_position(implementing_departments, NULL) IS NULL
                                                   AND array_position(implementing_departments, '') IS NULL),
  -- Applies to the legal representative and directly responsible persons rather than the entity.
  person_level              boolean NOT NULL,
  legal_basis               text NOT NULL CHECK (legal_basis <> ''),
  -- NULL: for as long as the triggering record is in force.
  period_months             integer CHECK (period_months IS NULL OR period_months > 0),
  -- An incentive facilitates; a punishment prohibits or restricts.
  CHECK ((kind = 'INCENTIVE') = (effect = 'FACILITATE')),
  PRIMARY KEY (version, code)
);

-- Published versions are immutable.
CREATE FUNCTION refuse_catalogue_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'catalogue version % is published and cannot change; publish a new version', OLD.version;
END
$$;
CREATE TRIGGER catalogue_version_immutable BEFORE UPDATE OR DELETE ON catalogue_version
  FOR EACH ROW EXECUTE FUNCTION refuse_catalogue_change();
CREATE TRIGGER measure_immutable BEFORE UPDATE OR DELETE ON measure
  FOR EACH ROW EXECUTE FUNCTION refuse_catalogue_change();

-- Version 1: the initial catalogue.
INSERT INTO catalogue_version (version, note, published_by) VALUES
  (1, '初始联合奖惩措施清单：严重失信主体（黑名单）联合惩戒、重点关注对象约束、守信主体（红名单及连续三年无不良信用记录）联合激励', 'migration 002_measure_catalogue');

INSERT INTO measure (version, code, name, description, kind, mandatory, channel, effect, triggers, scenarios,
                     initiating_departments, implementing_departments, person_level, legal_basis, period_months) VALUES

-- Joint incentives (守信联合激励): red list (tax rating A, environmental rating GREEN); three years without an adverse
-- record earns the green channel, 容缺受理 and fewer inspections (国发〔2016〕33号 names it for those only).
(1, 'I_GREEN_CHANNEL', '行政审批“绿色通道”',
 '办理行政许可时开辟绿色通道，优先受理、优先办理、加快审批。',
 'INCENTIVE', false, 'ADMINISTRATIVE', 'FACILITATE',
 ARRAY['TAX_RATING_A','ENVIRONMENTAL_RATING_GREEN','NO_ADVERSE_RECORD_3_YEARS'], ARRAY['ADMINISTRATIVE_LICENSING'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT'], ARRAY['各级行政审批部门','政务服务中心'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“对诚信典型和连续三年无不良信用记录的行政相对人，可根据实际情况实施‘绿色通道’和‘容缺受理’等便利服务措施”；《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》（发改财金〔2016〕1467号）',
 NULL),

(1, 'I_ACCEPT_WITH_MISSING_DOCUMENTS', '“容缺受理”',
 '基本条件具备、主要申报材料齐全且符合法定条件，非核心材料欠缺的，先予受理，申请人在约定期限内补齐。',
 'INCENTIVE', false, 'ADMINISTRATIVE', 'FACILITATE',
 ARRAY['TAX_RATING_A','ENVIRONMENTAL_RATING_GREEN','NO_ADVERSE_RECORD_3_YEARS'], ARRAY['ADMINISTRATIVE_LICENSING'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT'], ARRAY['各级行政审批部门','政务服务中心'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“对诚信典型和连续三年无不良信用记录的行政相对人，可根据实际情况实施‘绿色通道’和‘容缺受理’等便利服务措施”；《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）',
 NULL),

(1, 'I_SUBSIDY_AND_INVESTMENT_PRIORITY', '财政资金安排和招商引资优惠政策优先支持',
 '在实施财政性资金项目安排、政策性补贴和招商引资配套优惠政策等各类政府优惠政策中，同等条件下优先支持。',
 'INCENTIVE', false, 'ADMINISTRATIVE', 'FACILITATE',
 ARRAY['TAX_RATING_A','ENVIRONMENTAL_RATING_GREEN'], ARRAY['FISCAL_SUPPORT'],
 ARRAY['TAX','ENVIRONMENT'], ARRAY['财政','发展改革','商务','工业和信息化','科技'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“在实施财政性资金项目安排、招商引资配套优惠政策等各类政府优惠政策中，优先考虑诚信市场主体”；《企业环境信用评价办法（试行）》（环发〔2013〕150号）；《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》（发改财金〔2016〕1467号）',
 NULL),

(1, 'I_TRADING_CREDIT_BONUS', '公共资源交易信用加分',
 '在政府采购、招标投标等公共资源交易活动中，依法依约对守信主体给予信用加分等优惠。',
 'INCENTIVE', false, 'MARKET', 'FACILITATE',
 ARRAY['TAX_RATING_A','ENVIRONMENTAL_RATING_GREEN'], ARRAY['PUBLIC_RESOURCE_TRADING'],
 ARRAY['TAX','ENVIRONMENT'], ARRAY['公共资源交易中心','招标人和采购人','发展改革','财政'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“在有关公共资源交易活动中，提倡依法依约对诚信市场主体采取信用加分等措施”',
 NULL),

(1, 'I_FEWER_INSPECTIONS', '降低抽查比例和频次',
 '“双随机、一公开”监管中对信用较好、风险较低的市场主体合理降低抽查比例和频次，减少对正常生产经营的影响。',
 'INCENTIVE', false, 'ADMINISTRATIVE', 'FACILITATE',
 ARRAY['TAX_RATING_A','ENVIRONMENTAL_RATING_GREEN','NO_ADVERSE_RECORD_3_YEARS'], ARRAY['REGULATORY_INSPECTION'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT'], ARRAY['市场监管','税务','生态环境','各行业主管部门'], false,
 '《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）；《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）；《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
 NULL),

(1, 'I_BETTER_FINANCING_TERMS', '融资授信优惠',
 '金融机构在融资授信、利率、还款方式等方面给予优惠或便利，如“银税互动”信用贷款。',
 'INCENTIVE', false, 'MARKET', 'FACILITATE',
 ARRAY['TAX_RATING_A','ENVIRONMENTAL_RATING_GREEN'], ARRAY['FINANCIAL_SERVICES'],
 ARRAY['TAX','ENVIRONMENT'], ARRAY['人民银行','金融监管','金融机构'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）；《国家税务总局 中国银行业监督管理委员会关于开展“银税互动”助力小微企业发展活动的通知》（税总发〔2015〕96号）；《企业环境信用评价办法（试行）》（环发〔2013〕150号）',
 NULL),

(1, 'I_HONOURS_PRIORITY', '评先评优优先推荐并公开推介',
 '在评先评优中同等条件下优先推荐，并通过“信用中国”网站等公开推介诚信典型。',
 'INCENTIVE', false, 'SOCIAL', 'FACILITATE',
 ARRAY['TAX_RATING_A','ENVIRONMENTAL_RATING_GREEN'], ARRAY['HONORS_AND_AWARDS'],
 ARRAY['TAX','ENVIRONMENT'], ARRAY['各级评选表彰部门','信用办','“信用中国”网站'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“大力推介诚信市场主体”；《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》（发改财金〔2016〕1467号）',
 NULL),

-- Joint punishments (失信联合惩戒) of the black list: dishonest judgment debtors, major tax violation parties, the
-- serious illegal and dishonest list, serious penalties, environmental rating BLACK, breach of a credit commitment.
(1, 'P_LICENCE_STRICT_REVIEW', '从严审核行政许可',
 '从严审核行政许可审批项目，从严控制生产许可证发放，不适用告知承诺制和“容缺受理”等便利措施。',
 'PUNISHMENT', true, 'ADMINISTRATIVE', 'RESTRICT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['ADMINISTRATIVE_LICENSING'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['各级行政审批部门','政务服务中心'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“从严审核行政许可审批项目，从严控制生产许可证发放”；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）；《关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录》（发改财金〔2014〕3062号）；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）；《关于对环境保护领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录》（发改财金〔2016〕1580号）；《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）',
 NULL),

(1, 'P_NO_NEW_PROJECT_APPROVAL', '限制新增项目审批、核准',
 '不予审批、核准新增投资项目。',
 'PUNISHMENT', true, 'ADMINISTRATIVE', 'PROHIBIT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['ADMINISTRATIVE_LICENSING'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['发展改革','工业和信息化','自然资源','生态环境','住房城乡建设'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“限制新增项目审批、核准”；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）；《关于对环境保护领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录》（发改财金〔2016〕1580号）',
 NULL),

(1, 'P_BARRED_FROM_PUBLIC_RESOURCE_TRADING', '限制参与政府采购、招标投标和公共资源交易',
 '依法限制或禁止参与政府采购、工程建设项目招标投标、国有土地出让等公共资源交易活动，以及基础设施和公用事业特许经营。',
 'PUNISHMENT', true, 'ADMINISTRATIVE', 'PROHIBIT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['PUBLIC_RESOURCE_TRADING'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['财政（政府采购）','发展改革（招标投标）','公共资源交易管理部门','招标人和采购人'], false,
 '《中华人民共和国政府采购法》第二十二条；《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“限制参与有关公共资源交易活动，限制参与基础设施和公用事业特许经营”；《关于在招标投标活动中对失信被执行人实施联合惩戒的通知》（法〔2016〕285号）；《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2013〕17号，2017年修正）；《关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录》（发改财金〔2014〕3062号）；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）',
 NULL),

(1, 'P_NO_FISCAL_FUNDS', '限制申请财政性资金和政策性补贴',
 '严格限制申请财政性资金项目，不予安排政府补贴、专项资金等各类优惠政策。',
 'PUNISHMENT', true, 'ADMINISTRATIVE', 'PROHIBIT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['FISCAL_SUPPORT'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['财政','发展改革','工业和信息化','科技','商务'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“严格限制申请财政性资金项目”；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）；《关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录》（发改财金〔2014〕3062号）；《企业环境信用评价办法（试行）》（环发〔2013〕150号）',
 NULL),

(1, 'P_NO_BOND_ISSUANCE', '限制发行债券',
 '限制发行企业债券、公司债券和非金融企业债务融资工具，限制股票发行上市融资。',
 'PUNISHMENT', true, 'ADMINISTRATIVE', 'PROHIBIT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['FINANCIAL_SERVICES'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['发展改革','人民银行','证监会','银行间市场交易商协会'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“限制股票发行上市融资或发行债券”；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）；《关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录》（发改财金〔2014〕3062号）',
 NULL),

(1, 'P_LOAN_RESTRICTION', '提高贷款利率或限制贷款',
 '金融机构将失信信息作为融资授信的重要参考，提高贷款利率和财产保险费率，或限制提供贷款、保荐、承销、保险等服务。',
 'PUNISHMENT', false, 'MARKET', 'RESTRICT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['FINANCIAL_SERVICES'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['人民银行','金融监管','金融机构'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“提高贷款利率和财产保险费率，或者限制向其提供贷款、保荐、承销、保险等服务”；《企业环境信用评价办法（试行）》（环发〔2013〕150号）',
 NULL),

(1, 'P_HONOURS_DISQUALIFIED', '取消评先评优资格，撤销荣誉称号',
 '取消参加各类荣誉评选资格，已获得的荣誉称号予以撤销；延及法定代表人、主要负责人和负有直接责任的人员。',
 'PUNISHMENT', true, 'ADMINISTRATIVE', 'PROHIBIT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['HONORS_AND_AWARDS'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['各级评选表彰部门','文明办','工会','共青团','妇联'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“及时撤销严重失信企业及其法定代表人、负责人、高级管理人员和对失信行为负有直接责任的董事、股东等人员的荣誉称号，取消参加各类荣誉评选资格”；《关于加快推进失信被执行人信用监督、警示和惩戒机制建设的意见》（中办发〔2016〕64号）',
 NULL),

(1, 'P_INDUSTRY_DISCIPLINE', '行业协会商会惩戒',
 '行业协会商会按照章程给予通报批评、公开谴责、降低会员等级、取消会员资格，不予参加行业评优。',
 'PUNISHMENT', false, 'INDUSTRY', 'RESTRICT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['HONORS_AND_AWARDS'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['行业协会商会'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“加强对失信行为的行业性约束和惩戒”；《社会信用体系建设规划纲要（2014—2020年）》（国发〔2014〕21号）',
 NULL),

(1, 'P_NO_SENIOR_POST', '不得担任法定代表人、董事、监事、高级管理人员',
 '法定代表人、主要负责人和负有直接责任的人员不得担任公司、企业的法定代表人、董事、监事、高级管理人员；登记机关不予办理相应的设立或变更登记。',
 'PUNISHMENT', true, 'ADMINISTRATIVE', 'PROHIBIT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','SERIOUS_VIOLATION_LIST','REPRESENTS_BLACKLISTED_ENTITY'], ARRAY['ADMINISTRATIVE_LICENSING'],
 ARRAY['MARKET','COURTS','CREDIT_OFFICE'], ARRAY['市场监管（登记机关）','国资','金融监管'], true,
 '《中华人民共和国公司法》第一百七十八条；《关于加快推进失信被执行人信用监督、警示和惩戒机制建设的意见》（中办发〔2016〕64号）；《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“对严重失信企业及其法定代表人、主要负责人和对失信行为负有直接责任的注册执业人员等实施市场和行业禁入措施”；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）',
 NULL),

(1, 'P_RESTRICTED_HIGH_CONSUMPTION', '限制高消费',
 '不得乘坐飞机、列车软卧、轮船二等以上舱位和高铁一等以上座位，不得在星级以上宾馆、酒店等场所高消费，不得购买不动产或者新建、扩建、高档装修房屋（不动产登记、施工许可、国有土地使用权竞买时审查），不得支付高额保费购买保险理财产品；被执行人为单位的，其法定代表人、主要负责人、影响债务履行的直接责任人员和实际控制人同受限制。',
 'PUNISHMENT', true, 'MARKET', 'RESTRICT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','CONSUMPTION_RESTRICTION'], ARRAY['ADMINISTRATIVE_LICENSING','PUBLIC_RESOURCE_TRADING','FINANCIAL_SERVICES'],
 ARRAY['COURTS'], ARRAY['民航','铁路','文化和旅游','住房城乡建设','自然资源','金融机构','保险机构'], true,
 '《最高人民法院关于限制被执行人高消费及有关消费的若干规定》（法释〔2010〕8号，2015年修正）第三条；《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2013〕17号，2017年修正）；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
 NULL),

(1, 'P_PUBLIC_DISCLOSURE', '依法公开披露失信信息',
 '通过“信用中国”网站、国家企业信用信息公示系统和认定部门门户网站向社会公开披露严重失信主体信息。',
 'PUNISHMENT', true, 'SOCIAL', 'RESTRICT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['ADMINISTRATIVE_LICENSING','PUBLIC_RESOURCE_TRADING','FINANCIAL_SERVICES','FISCAL_SUPPORT','HONORS_AND_AWARDS','REGULATORY_INSPECTION'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['信用办','“信用中国”网站','国家企业信用信息公示系统','认定部门'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“加强对失信行为的社会性约束和惩戒”；《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）；《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2013〕17号，2017年修正）；《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）；《中华人民共和国行政处罚法》第四十八条',
 NULL),

(1, 'P_FOCUSED_SUPERVISION', '列为重点监管对象，提高检查频次',
 '列为重点监管对象，提高“双随机”抽查比例和频次，必要时实施全覆盖检查。',
 'PUNISHMENT', true, 'ADMINISTRATIVE', 'RESTRICT',
 ARRAY['DISHONEST_JUDGMENT_DEBTOR','MAJOR_TAX_VIOLATION','SERIOUS_VIOLATION_LIST','SERIOUS_PENALTY','ENVIRONMENTAL_RATING_BLACK','COMMITMENT_BREACH'],
 ARRAY['REGULATORY_INSPECTION'],
 ARRAY['MARKET','TAX','COURTS','ENVIRONMENT','CREDIT_OFFICE'], ARRAY['市场监管','税务','生态环境','各行业主管部门'], false,
 '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）“应将其列为重点监管对象”；《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）；《企业环境信用评价办法（试行）》（环发〔2013〕150号）',
 NULL),

-- Key attention (重点关注): dishonest conduct below the black-list threshold; recommended restrictions.
(1, 'P_KEY_ATTENTION_STRICT_REVIEW', '重点关注对象审慎审核',
 '办理行政许可、安排财政性资金和评先评优时作为重点审查对象审慎审核，不适用“容缺受理”等便利措施。',
 'PUNISHMENT', false, 'ADMINISTRATIVE', 'RESTRICT',
 ARRAY['TAX_RATING_D','TAX_ARREARS','ABNORMAL_OPERATIONS','ADMINISTRATIVE_PENALTY','ENVIRONMENTAL_RATING_RED'],
 ARRAY['ADMINISTRATIVE_LICENSING','FISCAL_SUPPORT','HONORS_AND_AWARDS'],
 ARRAY['MARKET','TAX','ENVIRONMENT'], ARRAY['各级行政审批部门','财政','各级评选表彰部门'], false,
 '《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）；《企业信息公示暂行条例》第十八条；《企业经营异常名录管理暂行办法》（国家工商行政管理总局令第68号）；《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）；《中华人民共和国税收征收管理法》第四十五条、《欠税公告办法（试行）》（国家税务总局令第9号）；《企业环境信用评价办法（试行）》（环发〔2013〕150号）',
 NULL),

(1, 'P_KEY_ATTENTION_TRADING_RESTRICTION', '公共资源交易中从严审查、信用扣分',
 '在政府采购、工程招投标、国有土地出让等活动中将其作为重要考量因素，依法从严审查或予以信用扣分。',
 'PUNISHMENT', false, 'ADMINISTRATIVE', 'RESTRICT',
 ARRAY['TAX_RATING_D','TAX_ARREARS','ABNORMAL_OPERATIONS','ADMINISTRATIVE_PENALTY','ENVIRONMENTAL_RATING_RED'],
 ARRAY['PUBLIC_RESOURCE_TRADING'],
 ARRAY['MARKET','TAX','ENVIRONMENT'], ARRAY['公共资源交易管理部门','招标人和采购人','财政','发展改革'], false,
 '《企业信息公示暂行条例》第十八条“在政府采购、工程招投标、国有土地出让、授予荣誉称号等工作中，将企业信息作为重要考量因素，对被列入经营异常名录或者严重违法企业名单的企业依法予以限制或者禁入”；《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）',
 NULL),

(1, 'P_KEY_ATTENTION_MORE_INSPECTION', '提高抽查比例和频次',
 '在“双随机、一公开”监管中适当提高抽查比例和频次。',
 'PUNISHMENT', false, 'ADMINISTRATIVE', 'RESTRICT',
 ARRAY['TAX_RATING_D','TAX_ARREARS','ABNORMAL_OPERATIONS','ADMINISTRATIVE_PENALTY','ENVIRONMENTAL_RATING_RED'],
 ARRAY['REGULATORY_INSPECTION'],
 ARRAY['MARKET','TAX','ENVIRONMENT'], ARRAY['市场监管','税务','生态环境','各行业主管部门'], false,
 '《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）“对违法失信、风险较高的市场主体，适当提高抽查比例和频次”；《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）；《企业环境信用评价办法（试行）》（环发〔2013〕150号）',
 NULL),

(1, 'P_KEY_ATTENTION_FINANCING_CAUTION', '审慎授信',
 '金融机构将其作为授信审查的参考，严格贷款条件。',
 'PUNISHMENT', false, 'MARKET', 'RESTRICT',
 ARRAY['TAX_RATING_D','TAX_ARREARS','ABNORMAL_OPERATIONS','ADMINISTRATIVE_PENALTY','ENVIRONMENTAL_RATING_RED'],
 ARRAY['FINANCIAL_SERVICES'],
 ARRAY['MARKET','TAX','ENVIRONMENT'], ARRAY['人民银行','金融监管','金融机构'], false,
 '《企业环境信用评价办法（试行）》（环发〔2013〕150号）；《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）；《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）',
 NULL);
