import { CREDENTIAL_ROLES, GATEWAY_SERVICE_ROLE, isCredentialRole, isRole, ROLE_SCOPES, ROLES, roleHasScope, SCOPES, type Scope } from '../../lib/auth/roles';

const holders = (scope: Scope) => ROLES.filter((role) => roleHasScope(role, scope));

describe('roles and scopes', () => {
  it('are the roles of API.md, PUBLIC being the only one no credential carries', () => {
    expect([...ROLES]).toEqual(['PUBLIC', 'APPROVAL_SYSTEM', 'TRADING_PLATFORM', 'FINANCIAL_INSTITUTION', 'DEPARTMENT', 'CREDIT_OFFICE', 'DEVELOPER']);
    expect(CREDENTIAL_ROLES).toEqual(ROLES.filter((r) => r !== 'PUBLIC'));
    expect(isRole('PUBLIC')).toBe(true);
    expect(isCredentialRole('PUBLIC')).toBe(false);
    expect(isRole(GATEWAY_SERVICE_ROLE)).toBe(false);
  });

  it('give every role known scopes, each once, and every role at least the public scope', () => {
    for (const role of ROLES) {
      const scopes = ROLE_SCOPES[role];
      expect(scopes).toContain('public');
      expect(new Set(scopes).size).toBe(scopes.length);
      for (const scope of scopes) expect(SCOPES).toContain(scope);
    }
  });

  it('hold each scope somewhere', () => {
    for (const scope of SCOPES) expect(holders(scope).length).toBeGreaterThan(0);
  });

  it('keep the sensitive scopes where DESIGN.md puts them', () => {
    expect(ROLE_SCOPES.PUBLIC).toEqual(['public']);
    expect(holders('introspection')).toEqual(['DEVELOPER']);
    expect(holders('tax:detail')).toEqual(['FINANCIAL_INSTITUTION', 'CREDIT_OFFICE']);
    expect(holders('personal')).toEqual(['DEPARTMENT', 'CREDIT_OFFICE']);
    expect(holders('audit')).toEqual(['CREDIT_OFFICE']);
    expect(holders('consent')).toEqual(['CREDIT_OFFICE']);
    expect(holders('catalogue:publish')).toEqual(['CREDIT_OFFICE']);
    expect(holders('lists:publish')).toEqual(['DEPARTMENT', 'CREDIT_OFFICE']);
    expect(holders('checks')).toEqual(['APPROVAL_SYSTEM', 'TRADING_PLATFORM', 'FINANCIAL_INSTITUTION', 'CREDIT_OFFICE']);
    expect([...ROLE_SCOPES.CREDIT_OFFICE].sort()).toEqual(SCOPES.filter((s) => s !== 'introspection').sort());
  });
});
