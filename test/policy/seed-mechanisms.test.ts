/** The rules of issue 17's mechanisms: joint-case implementers and deadlines, the notice, commitments' deadlines, rectification and interviews. */
import {
  automaticBreachDate,
  earliestBreachReport,
  breachedByDates,
  commitmentDatesRefusal,
  MAX_COMMITMENT_MONTHS,
  MAX_BACKDATED_DAYS,
  MAX_RECTIFICATION_MONTHS,
  rectificationDatesRefusal,
  rectificationEntryEnd,
  rectificationEntrySince,
  rectifiedOnRefusal,
  endRefusal,
  feedbackDeadlineRefusal,
  MAX_FEEDBACK_MONTHS,
  caseAssignments,
  caseImplementers,
  departmentsBelowThreshold,
  feedbackDeadline,
  feedbackDue,
  feedbackLate,
  interviewRefusal,
  JOINT_CASE_FEEDBACK_WORKING_DAYS,
  MISSING_DOCUMENTS_MEASURE,
  namedDepartment,
  namedImplementers,
  NOTICE_ON_TIME_THRESHOLD,
  repeatsFeedback,
  rectificationOverdue,
  rectificationOverdueSince,
} from '../../subgraphs/credit/policy';

describe('joint cases (甘州 二(二), 五(一); 柴桑 (十四), (十七))', () => {
  it('pushes a measure to the departments the catalogue names, 认定部门 being the initiating one', () => {
    expect(namedImplementers(['市场监管（登记机关）', '国资', '金融监管'], 'COURTS')).toEqual(['MARKET']);
    expect(namedImplementers(['信用办', '“信用中国”网站', '认定部门'], 'TAX')).toEqual(['TAX', 'CREDIT_OFFICE']);
    expect(namedImplementers(['市场监管', '税务', '生态环境', '各行业主管部门'], 'COURTS')).toEqual(['MARKET', 'TAX', 'ENVIRONMENT']);
    expect(namedImplementers(['认定部门'], 'COURTS')).toEqual(['COURTS']);
    // 法院 named only as the determining department of a court record.
    expect(namedImplementers(['认定部门'], 'MARKET')).toEqual(['MARKET']);
  });

  it('gives the credit office the measures no department of the graph implements, to relay', () => {
    expect(caseImplementers(['财政（政府采购）', '发展改革（招标投标）'], 'COURTS')).toEqual(['CREDIT_OFFICE']);
    expect(caseImplementers(['税务'], 'COURTS')).toEqual(['TAX']);
    const assignments = caseAssignments(
      [
        { code: 'P_BARRED', implementing: ['财政（政府采购）'] },
        { code: 'P_DISCLOSE', implementing: ['信用办', '认定部门'] },
        { code: 'P_SUPERVISE', implementing: ['市场监管', '生态环境'] },
      ],
      'COURTS',
    );
    expect([...assignments]).toEqual([
      ['MARKET', ['P_SUPERVISE']],
      ['COURTS', ['P_DISCLOSE']],
      ['ENVIRONMENT', ['P_SUPERVISE']],
      ['CREDIT_OFFICE', ['P_BARRED', 'P_DISCLOSE']],
    ]);
  });

  it('sets the feedback deadline in working days (holidays counted) and tells late from due', () => {
    expect(JOINT_CASE_FEEDBACK_WORKING_DAYS).toBe(10);
    // Opened Friday 26 September 2025: 28 Sep (worked), 29, 30, then 9, 10, 11 (worked), 13, 14, 15, 16 October.
    expect(feedbackDeadline('2025-09-26')).toBe('2025-10-16');
    expect(feedbackLate('2026-03-10', '2026-03-10', '2026-03-20')).toBe(false);
    expect(feedbackLate('2026-03-10', '2026-03-11', '2026-03-20')).toBe(true);
    expect(feedbackLate('2026-03-10', null, '2026-03-10')).toBe(false);
    expect(feedbackLate('2026-03-10', null, '2026-03-11')).toBe(true);
    expect(feedbackDue('2026-03-10', null, '2026-03-10')).toBe(false);
    expect(feedbackDue('2026-03-10', null, '2026-03-11')).toBe(true);
    expect(feedbackDue('2026-03-10', '2026-03-01', '2026-03-02')).toBe(true);
  });

  it('names in the notice the departments with measures due whose on-time share is below the threshold', () => {
    expect(NOTICE_ON_TIME_THRESHOLD).toBe(0.9);
    const rows = [
      { department: 'MARKET', measuresDue: 10, measuresOnTime: 9 },
      { department: 'TAX', measuresDue: 10, measuresOnTime: 8 },
      { department: 'COURTS', measuresDue: 0, measuresOnTime: 0 },
    ];
    expect(departmentsBelowThreshold(rows, 0.9).map((r) => r.department)).toEqual(['TAX']);
    expect(departmentsBelowThreshold(rows, 0.95).map((r) => r.department)).toEqual(['MARKET', 'TAX']);
  });
});

describe('commitments and 容缺受理 (凌源 一(一), 二(一))', () => {
  it('breaches a kept commitment that obtained 容缺受理 from the day after its deadline', () => {
    expect(MISSING_DOCUMENTS_MEASURE).toBe('I_ACCEPT_WITH_MISSING_DOCUMENTS');
    expect(automaticBreachDate('2026-02-28')).toBe('2026-03-01');
    const kept = { status: 'KEPT', deadline: '2026-03-10', obtainedMissingDocuments: true, fulfilledOn: null };
    expect(breachedByDates(kept, '2026-03-10')).toBe(false);
    expect(breachedByDates(kept, '2026-03-11')).toBe(true);
    expect(breachedByDates({ ...kept, status: 'BREACHED' }, '2026-04-01')).toBe(false);
    expect(breachedByDates({ ...kept, obtainedMissingDocuments: false }, '2026-04-01')).toBe(false);
    expect(breachedByDates({ ...kept, deadline: null }, '2026-04-01')).toBe(false);
  });

  it('lets a department report a breach only from the day after the deadline, any day for a commitment without one (third issue 17 review)', () => {
    expect(earliestBreachReport({ deadline: '2026-12-31' })).toBe('2027-01-01');
    expect(earliestBreachReport({ deadline: '2026-02-28' })).toBe('2026-03-01');
    expect(earliestBreachReport({ deadline: null })).toBeNull();
  });

  it('decides by the dates, not the order of events: fulfilled by the deadline never breached, after it breached all the same (issue 17 review)', () => {
    const fulfilled = { status: 'FULFILLED', deadline: '2026-03-10', obtainedMissingDocuments: true };
    expect(breachedByDates({ ...fulfilled, fulfilledOn: '2026-03-10' }, '2026-04-01')).toBe(false);
    expect(breachedByDates({ ...fulfilled, fulfilledOn: '2026-03-11' }, '2026-04-01')).toBe(true);
    expect(breachedByDates({ ...fulfilled, status: 'KEPT', fulfilledOn: '2026-03-12' }, '2026-03-12')).toBe(true);
    // Not yet the day after the deadline: nothing to decide.
    expect(breachedByDates({ ...fulfilled, status: 'KEPT', fulfilledOn: null }, '2026-03-10')).toBe(false);
  });

  it('dates a commitment on or after the check it backs, never in the future, with a deadline within the bound', () => {
    expect(MAX_COMMITMENT_MONTHS).toBe(12);
    const today = '2026-12-01';
    expect(commitmentDatesRefusal({ checkedOn: '2026-12-01', madeOn: '2026-12-01', deadline: '2026-12-31' }, today)).toBeNull();
    expect(commitmentDatesRefusal({ checkedOn: '2026-12-01', madeOn: '2026-11-11', deadline: '2026-12-31' }, today)).toEqual({ reason: 'SINCE_BEFORE_RECORD', field: 'start' });
    expect(commitmentDatesRefusal({ checkedOn: null, madeOn: '2026-12-02', deadline: null }, today)).toEqual({ reason: 'SINCE_IN_FUTURE', field: 'start' });
    expect(commitmentDatesRefusal({ checkedOn: null, madeOn: '2026-12-01', deadline: '2026-11-30' }, today)).toEqual({ reason: 'DEADLINE_BEFORE_START', field: 'deadline' });
    expect(commitmentDatesRefusal({ checkedOn: null, madeOn: '2026-12-01', deadline: '2027-12-01' }, today)).toBeNull();
    expect(commitmentDatesRefusal({ checkedOn: null, madeOn: '2026-12-01', deadline: '2027-12-02' }, today)).toEqual({ reason: 'DEADLINE_TOO_FAR', field: 'deadline' });
    expect(commitmentDatesRefusal({ checkedOn: null, madeOn: '2026-12-01', deadline: '9999-12-31' }, today)?.reason).toBe('DEADLINE_TOO_FAR');
  });
});

describe('rectification and interviews (凌源 三(五))', () => {
  const order = { status: 'ORDERED', deadline: '2026-03-10', rectifiedOn: null };

  it('is overdue, and under key attention from the day after, once the deadline has passed unrectified', () => {
    expect(rectificationOverdue(order, '2026-03-10')).toBe(false);
    expect(rectificationOverdue(order, '2026-03-11')).toBe(true);
    expect(rectificationOverdue({ ...order, status: 'RECTIFIED' }, '2026-04-01')).toBe(false);
    expect(rectificationOverdueSince('2026-03-10')).toBe('2026-03-11');
  });

  it('interviews a subject that has not rectified in time, not before the deadline, after rectification or in the future', () => {
    expect(interviewRefusal(order, '2026-03-11', '2026-03-20')).toBeNull();
    expect(interviewRefusal(order, '2026-03-10', '2026-03-20')).toMatch(/deadline/);
    expect(interviewRefusal(order, '2026-03-21', '2026-03-20')).toMatch(/future/);
    // Held today is not in the future; rectified the very day of the interview is rectified before it.
    expect(interviewRefusal(order, '2026-03-20', '2026-03-20')).toBeNull();
    expect(interviewRefusal({ ...order, status: 'RECTIFIED', rectifiedOn: '2026-03-13' }, '2026-03-13', '2026-03-20')).toMatch(/rectified/);
    expect(interviewRefusal({ ...order, status: 'RECTIFIED', rectifiedOn: '2026-03-12' }, '2026-03-13', '2026-03-20')).toMatch(/rectified/);
    expect(interviewRefusal({ ...order, status: 'RECTIFIED', rectifiedOn: '2026-03-14' }, '2026-03-13', '2026-03-20')).toBeNull();
  });

  it('dates an order from its record on, never in the future, with a deadline after it and within the bound (issue 17 review: 1900-01-01, 9999-12-31)', () => {
    expect(MAX_RECTIFICATION_MONTHS).toBe(12);
    const today = '2026-12-01';
    const dated = (orderedOn: string, deadline: string, recordSince: string | null = '2025-06-01') => rectificationDatesRefusal({ recordSince, orderedOn, deadline }, today);
    expect(dated('2026-11-24', '2026-12-21')).toBeNull();
    expect(dated('2026-12-01', '2026-12-01')).toBeNull();
    expect(dated('1900-01-01', '1900-02-01')).toEqual({ reason: 'SINCE_BEFORE_RECORD', field: 'start' });
    expect(dated('2026-12-02', '2026-12-30')).toEqual({ reason: 'SINCE_IN_FUTURE', field: 'start' });
    expect(dated('2026-12-01', '2026-11-30')).toEqual({ reason: 'DEADLINE_BEFORE_START', field: 'deadline' });
    expect(dated('2026-12-01', '9999-12-31')).toEqual({ reason: 'DEADLINE_TOO_FAR', field: 'deadline' });
    // A record the list rules do not date: the order's own day is the bound.
    expect(dated('2026-12-01', '2026-12-15', null)).toBeNull();
  });
});

describe('no backdating (issue 17 second review, M1 and L2)', () => {
  const today = '2026-12-02';
  it('records an order or commitment at most MAX_BACKDATED_DAYS back, with a deadline not yet passed', () => {
    expect(MAX_BACKDATED_DAYS).toBe(7);
    const order = (orderedOn: string, deadline: string) => rectificationDatesRefusal({ recordSince: '2025-06-01', orderedOn, deadline }, today);
    expect(order('2026-11-25', '2026-12-02')).toBeNull();
    expect(order('2026-11-24', '2026-12-15')).toEqual({ reason: 'SINCE_TOO_EARLY', field: 'start' });
    expect(order('2026-10-01', '2026-10-15')).toEqual({ reason: 'SINCE_TOO_EARLY', field: 'start' });
    expect(order('2026-11-30', '2026-12-01')).toEqual({ reason: 'DEADLINE_PASSED', field: 'deadline' });
    expect(commitmentDatesRefusal({ checkedOn: null, madeOn: '1900-01-01', deadline: '1900-02-01' }, today)).toEqual({ reason: 'SINCE_TOO_EARLY', field: 'start' });
    expect(commitmentDatesRefusal({ checkedOn: null, madeOn: '2026-12-01', deadline: '2026-12-01' }, today)).toEqual({ reason: 'DEADLINE_PASSED', field: 'deadline' });
    expect(commitmentDatesRefusal({ checkedOn: null, madeOn: '2026-12-01', deadline: null }, today)).toBeNull();
  });

  it('starts an overdue entry the day after the deadline, or the day the job runs if later', () => {
    expect(rectificationEntrySince('2026-12-01', '2026-12-02')).toBe('2026-12-02');
    expect(rectificationEntrySince('2026-10-15', '2026-12-02')).toBe('2026-12-02');
    expect(rectificationEntrySince('2026-12-05', '2026-12-02')).toBe('2026-12-06');
  });

  it('confirms a rectification not before the order, the latest interview or the published entry, and ends the entry today at the earliest', () => {
    const order = { orderedOn: '2026-11-01', latestInterview: '2026-11-20', entrySince: '2026-11-16' };
    expect(rectifiedOnRefusal(order, '2026-11-20', today)).toBeNull();
    expect(rectifiedOnRefusal(order, '2026-11-19', today)).toMatch(/interview/);
    expect(rectifiedOnRefusal({ ...order, latestInterview: null }, '2026-11-15', today)).toMatch(/published/);
    expect(rectifiedOnRefusal({ ...order, latestInterview: null, entrySince: null }, '2026-10-31', today)).toMatch(/before the order/);
    expect(rectifiedOnRefusal({ ...order, latestInterview: null, entrySince: null }, '2026-11-01', today)).toBeNull();
    expect(rectifiedOnRefusal(order, '2026-12-03', today)).toMatch(/future/);
    expect(endRefusal('2026-12-01', today)).toBe('RETROACTIVE_END');
    expect(endRefusal('2026-12-02', today)).toBeNull();
    expect(rectificationEntryEnd('2026-11-20', today)).toBe(today);
    expect(rectificationEntryEnd(today, today)).toBe(today);
  });
});

describe('joint cases follow their record (issue 17 second review, M2 and M3)', () => {
  it('does not count a suspended (disputed) case late or due until it is fed back', () => {
    expect(feedbackLate('2026-12-01', null, '2026-12-05', true)).toBe(false);
    expect(feedbackDue('2026-12-01', null, '2026-12-05', true)).toBe(false);
    expect(feedbackLate('2026-12-01', null, '2026-12-05')).toBe(true);
    // Feedback given late stays late: the suspension covers what is still awaited.
    expect(feedbackLate('2026-12-01', '2026-12-03', '2026-12-05', true)).toBe(true);
    expect(feedbackDue('2026-12-01', '2026-12-03', '2026-12-05', true)).toBe(true);
  });

  it('bounds a feedback deadline like an order: not in the past, at most 12 months ahead', () => {
    expect(MAX_FEEDBACK_MONTHS).toBe(12);
    expect(feedbackDeadlineRefusal('2026-12-02', '2026-12-02')).toBeNull();
    expect(feedbackDeadlineRefusal('2027-12-02', '2026-12-02')).toBeNull();
    expect(feedbackDeadlineRefusal('2027-12-03', '2026-12-02')).toBe('DEADLINE_TOO_FAR');
    expect(feedbackDeadlineRefusal('9999-12-31', '2026-12-02')).toBe('DEADLINE_TOO_FAR');
    expect(feedbackDeadlineRefusal('2026-12-01', '2026-12-02')).toBe('DEADLINE_BEFORE_START');
  });
});

describe('one feedback per (case, measure, department) (issue 17 second review, L5)', () => {
  it('reads the department a feedback names: its enum value or its catalogue name, none for a body outside the graph', () => {
    expect(namedDepartment('MARKET')).toBe('MARKET');
    expect(namedDepartment('市市场监管局')).toBe('MARKET');
    expect(namedDepartment('国家税务总局深圳市税务局')).toBe('TAX');
    expect(namedDepartment('深圳市中级人民法院')).toBe('COURTS');
    expect(namedDepartment('市生态环境局')).toBe('ENVIRONMENT');
    expect(namedDepartment('市财政局')).toBeNull();
    expect(namedDepartment('market')).toBeNull();
  });

  it('answers the same feedback again and refuses a contradicting one', () => {
    expect(repeatsFeedback({ action: 'APPLIED', note: null }, { action: 'APPLIED', note: null })).toBe(true);
    expect(repeatsFeedback({ action: 'NOT_APPLIED', note: '已注销' }, { action: 'NOT_APPLIED', note: '已注销' })).toBe(true);
    // The same note under another action contradicts the first.
    expect(repeatsFeedback({ action: 'APPLIED', note: '已执行' }, { action: 'NOT_APPLIED', note: '已执行' })).toBe(false);
    expect(repeatsFeedback({ action: 'APPLIED', note: null }, { action: 'NOT_APPLIED', note: '未实施' })).toBe(false);
    expect(repeatsFeedback({ action: 'NOT_APPLIED', note: '已注销' }, { action: 'NOT_APPLIED', note: '另有原因' })).toBe(false);
    expect(repeatsFeedback({ action: 'APPLIED', note: null }, { action: 'APPLIED', note: '已实施' })).toBe(false);
  });
});
