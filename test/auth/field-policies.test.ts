/**
 * The role × field matrix, generated from the schema: every field of every
 * object type of the client-facing (API) schema has an @access policy, and
 * for every role and every field the gateway's planFieldAccess, run on a
 * generated operation that reaches the field, forbids it exactly when none
 * of the role's scopes is among the field's. A new field without a policy,
 * a scope misspelt in an SDL, or a policy change that breaks one of the
 * must-hold facts below fails here. Pure: no servers, no databases.
 */
import { getNamedType, isNonNullType, isObjectType, parse, validate, type GraphQLObjectType } from 'graphql';
import { accessPolicies, planFieldAccess, requiredScopes } from '../../gateway/auth/field-access';
import { readSubgraphSdl } from '../../gateway/compose';
import { ROLE_SCOPES, ROLES, SCOPES, type Role } from '../../lib/auth/roles';
import { apiSchema, argumentsOf, policies } from '../helpers/operations';

/** `Type.field` of every field of every object type the client can select (introspection left out). */
const objectTypes = Object.values(apiSchema.getTypeMap()).filter(
  (type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'),
);
const ALL_FIELDS = objectTypes.flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`));
const roots = [apiSchema.getQueryType(), apiSchema.getMutationType()].filter((type): type is GraphQLObjectType => !!type);

const split = (coordinate: string) => coordinate.split('.') as [string, string];
const grants = (scopes: ReadonlySet<string>, coordinate: string) => (requiredScopes(policies, ...split(coordinate)) ?? []).some((s) => scopes.has(s));

// --- Generated operations ---------------------------------------------------------------------

/** The steps from a root type to a field: each `Type.field`. */
type Path = string[];

/**
 * Shortest paths from the roots to every object type, through fields the
 * given scopes may read (or through every field, with no scopes given).
 */
function pathsToTypes(scopes?: ReadonlySet<string>): Map<string, Path> {
  const paths = new Map<string, Path>(roots.map((root) => [root.name, []]));
  const queue = [...roots];
  while (queue.length) {
    const type = queue.shift()!;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (scopes && !grants(scopes, coordinate)) continue;
      const target = getNamedType(field.type);
      if (!isObjectType(target) || paths.has(target.name)) continue;
      paths.set(target.name, [...paths.get(type.name)!, coordinate]);
      queue.push(target);
    }
  }
  return paths;
}

/** An operation selecting `path` and then `coordinate` (a composite field selects only `__typename`). */
function operationReaching(path: Path, coordinate: string): string {
  const steps = [...path, coordinate];
  const operation = split(steps[0]!)[0] === apiSchema.getMutationType()?.name ? 'mutation' : 'query';
  let selection = '';
  for (const step of steps.reverse()) {
    const [typeName, fieldName] = split(step);
    const field = (apiSchema.getType(typeName) as GraphQLObjectType).getFields()[fieldName]!;
    const inner = selection || (isObjectType(getNamedType(field.type)) ? '__typename' : '');
    selection = `${fieldName}${argumentsOf(field.args)}${inner ? ` { ${inner} }` : ''}`;
  }
  return `${operation} { ${selection} }`;
}

const ANY_PATH = pathsToTypes();

/** What planFieldAccess does with `coordinate` for these scopes: a readable path when there is one, else any. */
function plan(scopes: ReadonlySet<string>, coordinate: string, readablePaths = pathsToTypes(scopes)) {
  const parent = split(coordinate)[0];
  const readablePath = readablePaths.get(parent);
  const path = readablePath ?? ANY_PATH.get(parent);
  if (!path) throw new Error(`${coordinate}: no operation reaches ${parent}`);
  const operation = operationReaching(path, coordinate);
  const document = parse(operation);
  const errors = validate(apiSchema, document);
  if (errors.length) throw new Error(`${coordinate}: generated operation is invalid: ${operation}\n${errors.map((e) => e.message).join('\n')}`);
  return { operation, parentReadable: !!readablePath, forbidden: planFieldAccess(apiSchema, document, policies, scopes).forbidden };
}

/** Whether these scopes read the field: some operation reaches it with nothing forbidden on the way. */
const canRead = (scopes: ReadonlySet<string>, coordinate: string) => plan(scopes, coordinate).forbidden.length === 0;
const roleScopes = (role: Role) => new Set<string>(ROLE_SCOPES[role]);
const readableBy = (scopes: ReadonlySet<string>) => {
  const paths = pathsToTypes(scopes);
  return ALL_FIELDS.filter((coordinate) => plan(scopes, coordinate, paths).forbidden.length === 0);
};

// --- Tests ---------------------------------------------------------------------------------

describe('field policies of the API schema', () => {
  it('covers the whole client-facing schema and nothing federation-internal', () => {
    expect(ALL_FIELDS.length).toBeGreaterThan(300);
    expect(ALL_FIELDS).toEqual(expect.arrayContaining(['Query.subject', 'Mutation.publishListEntry', 'TaxArrearsNotice.amount', 'Subject.accessLog']));
    expect(ALL_FIELDS.filter((c) => /^(Query\._|join__|link__)|\._entities$|\._service$/.test(c))).toEqual([]);
    // @inaccessible evidence is not in the API schema.
    expect(ALL_FIELDS).not.toContain('CreditCheck.market');
  });

  it('declares a policy for every field of every object type (none left to deny by default)', () => {
    const withoutPolicy = ALL_FIELDS.filter((coordinate) => requiredScopes(policies, ...split(coordinate)) === undefined);
    expect(withoutPolicy).toEqual([]);
  });

  it('names only scopes of lib/auth/roles.ts, none of them empty', () => {
    const named = [...policies.values()].flatMap((fields) => [...fields.values()]);
    expect(named.filter((scopes) => scopes.length === 0)).toEqual([]);
    expect([...new Set(named.flat())].filter((scope) => !(SCOPES as readonly string[]).includes(scope))).toEqual([]);
  });

  it('keeps every @access of every subgraph SDL through composition', () => {
    const lost: string[] = [];
    for (const subgraph of readSubgraphSdl()) {
      for (const [type, fields] of accessPolicies(subgraph.sdl)) {
        for (const [field, scopes] of fields) {
          const composed = policies.get(type)?.get(field);
          if (!composed || [...composed].sort().join() !== [...scopes].sort().join()) lost.push(`${subgraph.name}: ${type}${field ? `.${field}` : ''} ${scopes.join()} → ${composed?.join() ?? 'none'}`);
        }
      }
    }
    expect(lost).toEqual([]);
  });

  it('makes nullable every field that a role reading its object may not read, so FORBIDDEN never nulls what the caller may read', () => {
    // Known exception: test/composition.test.ts edits `[EnforcementCase!]!` literally; forbidden, it nulls
    // the (nullable) court profile, never the subject.
    const KNOWN = new Set(['CourtProfile.enforcementCases']);
    const wiping: string[] = [];
    for (const role of ROLES) {
      const scopes = roleScopes(role);
      const readablePaths = pathsToTypes(scopes);
      for (const type of objectTypes) {
        // Root fields are the API's contract (subject: Subject!, creditCheck: CreditCheck!): a forbidden root field nulls the data, as GraphQL does.
        if (roots.includes(type) || !readablePaths.has(type.name)) continue;
        for (const field of Object.values(type.getFields())) {
          const coordinate = `${type.name}.${field.name}`;
          if (isNonNullType(field.type) && !grants(scopes, coordinate) && !KNOWN.has(coordinate)) wiping.push(`${coordinate} (${role})`);
        }
      }
    }
    expect(wiping).toEqual([]);
  });

  describe.each(ROLES)('role × field matrix: %s', (role) => {
    const scopes = roleScopes(role);
    const readablePaths = pathsToTypes(scopes);

    it('forbids exactly the fields none of whose scopes the role holds, on an operation reaching each', () => {
      const wrong: string[] = [];
      for (const coordinate of ALL_FIELDS) {
        const granted = grants(scopes, coordinate);
        const { operation, parentReadable, forbidden } = plan(scopes, coordinate, readablePaths);
        // A role granted a field always has a readable way to it (no granted field is stranded behind a forbidden one)…
        if (!parentReadable) {
          if (granted) wrong.push(`${coordinate}: granted, but every way to ${split(coordinate)[0]} is forbidden`);
          else if (forbidden.length === 0 || forbidden.includes(coordinate)) wrong.push(`${coordinate}: ${operation} → forbidden ${JSON.stringify(forbidden)}`);
          continue;
        }
        // …and on that way the field itself, and only it, is forbidden exactly when the role holds none of its scopes.
        const expected = granted ? [] : [coordinate];
        if (JSON.stringify(forbidden) !== JSON.stringify(expected)) wrong.push(`${coordinate}: ${operation} → forbidden ${JSON.stringify(forbidden)}, expected ${JSON.stringify(expected)}`);
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('the intended policy', () => {
    const can = (role: Role, coordinates: string[]) => expect(coordinates.filter((c) => !canRead(roleScopes(role), c))).toEqual([]);
    const cannot = (role: Role, coordinates: string[]) => expect(coordinates.filter((c) => canRead(roleScopes(role), c))).toEqual([]);
    const TAX_FIGURES = ['TaxArrearsNotice.amount', 'TaxProfile.arrears', 'MajorTaxViolation.amount', 'TaxCreditRating.score'];

    it('PUBLIC reads what the rules publish', () => {
      can('PUBLIC', [
        'Query.subject', 'Query.subjects', 'Query.listEntries', 'Query.measureCatalogue', 'Subject.code', 'Subject.name', 'Subject.kind', 'Subject.lists',
        'ListEntry.sourceRecord', 'ListEntryConnection.hasNextPage', 'Measure.legalBasis',
        'Registration.name', 'Registration.entityType', 'Registration.status', 'Registration.establishedOn', 'Registration.address',
        'Registration.registrationAuthority', 'Registration.businessScope', 'Registration.registeredCapital', 'Registration.legalRepresentative', 'ResponsiblePerson.residentId',
        'AdministrativeLicence.licenceName', 'AdministrativePenalty.basis', 'AbnormalOperationsEntry.reason', 'SeriousViolationEntry.reason',
        'DishonestDebtorRecord.caseNumber', 'DishonestDebtorRecord.obligation', 'ConsumptionRestrictionOrder.restrictions', 'RestrictedPerson.name',
        'TaxCreditRating.level', 'TaxCreditRating.year', 'MajorTaxViolation.caseNumber', 'MajorTaxViolation.nature',
        'EnvironmentalCreditRating.level', 'EnvironmentalPenalty.content', 'DischargePermit.permitNumber',
      ]);
    });

    it('PUBLIC reads nothing else', () => {
      cannot('PUBLIC', [
        ...TAX_FIGURES, 'Subject.accessLog', 'Subject.objections', 'Subject.repairApplications', 'Subject.commitments', 'Subject.financialAuthorisations', 'Subject.creditGrade',
        'Query.creditCheck', 'Query.creditChecks', 'Query.checkFeedback', 'Query.objections', 'Query.auditLog', 'Query.auditChainStatus', 'Query.creditStatistics',
        'Query.spotCheckSample', 'Query.marketPublicationTimeliness', 'Query.environmentPublicationTimeliness',
        'Mutation.fileObjection', 'Mutation.applyForRepair', 'Mutation.submitFeedback', 'Mutation.publishListEntry', 'Mutation.publishMeasureCatalogue', 'Mutation.grantFinancialAuthorisation',
        'MarketProfile.spotChecks', 'MarketProfile.representedEntities', 'CourtProfile.enforcementCases', 'EnforcementCase.amount',
      ]);
      const publicFields = readableBy(roleScopes('PUBLIC'));
      expect(publicFields.filter((c) => !requiredScopes(policies, ...split(c))!.includes('public'))).toEqual([]);
    });

    it('FINANCIAL_INSTITUTION reaches tax figures only through tax:detail (its consent), and checks, nothing else non-public', () => {
      can('FINANCIAL_INSTITUTION', [...TAX_FIGURES, 'Query.creditCheck', 'CreditCheck.verdict', 'AppliedMeasure.basis']);
      const withoutConsent = new Set([...roleScopes('FINANCIAL_INSTITUTION')].filter((scope) => scope !== 'tax:detail'));
      expect(TAX_FIGURES.filter((c) => canRead(withoutConsent, c))).toEqual([]);
      cannot('FINANCIAL_INSTITUTION', ['EnforcementCase.amount', 'MarketProfile.spotChecks', 'Subject.objections', 'Mutation.submitFeedback', 'Subject.financialAuthorisations', 'Query.auditLog']);
    });

    it('TRADING_PLATFORM runs checks and reports feedback, but does not read the department records behind them', () => {
      can('TRADING_PLATFORM', ['Query.creditChecks', 'CreditCheck.verdict', 'CreditCheck.missingSources', 'AppliedMeasure.recordId', 'Mutation.submitFeedback', 'Feedback.action']);
      cannot('TRADING_PLATFORM', ['CourtProfile.enforcementCases', 'EnforcementCase.amount', 'EnforcementCase.caseNumber', ...TAX_FIGURES, 'MarketProfile.spotChecks', 'Subject.objections']);
    });

    it('APPROVAL_SYSTEM checks, reads the records behind a verdict and reports feedback; no workflows, lists or audit', () => {
      can('APPROVAL_SYSTEM', ['Query.creditCheck', 'CreditCheck.measures', 'LegalRepresentative.residentId', 'Mutation.submitFeedback', 'Query.checkFeedback', 'EnforcementCase.amount', 'TaxArrearsNotice.amount', 'SpotCheckResult.outcome']);
      cannot('APPROVAL_SYSTEM', ['Mutation.publishListEntry', 'Mutation.fileObjection', 'Query.auditLog', 'Subject.accessLog', 'Query.creditStatistics', 'Mutation.grantFinancialAuthorisation']);
    });

    it('DEPARTMENT publishes to the lists, runs the workflows and reads its statistics; not the audit log, consent or the catalogue', () => {
      can('DEPARTMENT', [
        'Mutation.publishListEntry', 'Mutation.endListEntry', 'Mutation.verifyObjection', 'Mutation.decideRepair', 'Mutation.reportCommitmentBreach', 'Mutation.openJointCase',
        'Mutation.submitFeedback', 'JointCase.feedback', 'Subject.objections', 'Query.creditStatistics', 'Query.marketPublicationTimeliness', 'PublicationCounts.unpublishedOverdue',
        'Query.spotCheckSample', 'SampledSubject.grade', 'Subject.creditGrade', 'EnforcementCase.amount',
      ]);
      cannot('DEPARTMENT', ['Mutation.publishMeasureCatalogue', 'Query.auditLog', 'Subject.accessLog', 'Mutation.grantFinancialAuthorisation', 'Subject.financialAuthorisations', 'Query.creditCheck']);
    });

    it('DEVELOPER sees exactly the public data', () => {
      expect(readableBy(roleScopes('DEVELOPER'))).toEqual(readableBy(roleScopes('PUBLIC')));
    });

    it('CREDIT_OFFICE reads every field, nothing missing', () => {
      expect(ALL_FIELDS.filter((c) => !canRead(roleScopes('CREDIT_OFFICE'), c))).toEqual([]);
    });

    it('only the credit office reads the audit log and a subject’s consent; only it publishes the catalogue', () => {
      for (const coordinate of ['Query.auditLog', 'Query.auditChainStatus', 'Subject.accessLog', 'Subject.financialAuthorisations', 'Mutation.grantFinancialAuthorisation', 'Mutation.revokeFinancialAuthorisation', 'Mutation.publishMeasureCatalogue']) {
        expect([coordinate, ROLES.filter((role) => canRead(roleScopes(role), coordinate))]).toEqual([coordinate, ['CREDIT_OFFICE']]);
      }
    });
  });
});
