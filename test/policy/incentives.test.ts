/** Who may be rewarded: a known subject that still trades, with nothing adverse in force. */
import { CLOSED_REGISTRATION_STATUSES, mayBeRewarded, registrationKnown } from '../../subgraphs/credit/policy/incentives';

const known = { registered: true, registrationStatus: 'ACTIVE', adverseInForce: false } as const;

describe('incentives', () => {
  it('says a subject is registered when anyone knows it, not registered only when every department answered', () => {
    expect(registrationKnown(true, true)).toBe(true);
    expect(registrationKnown(true, false)).toBe(true);
    expect(registrationKnown(false, true)).toBe(false);
    expect(registrationKnown(false, false)).toBeNull();
  });

  it('rewards a known, trading subject with nothing adverse in force', () => {
    expect(mayBeRewarded(known)).toBe(true);
    expect(mayBeRewarded({ ...known, registrationStatus: null })).toBe(true);
  });

  it('rewards no unknown or unregistered subject, none with an adverse record, none deregistered or revoked', () => {
    expect(mayBeRewarded({ ...known, registered: null })).toBe(false);
    expect(mayBeRewarded({ ...known, registered: false })).toBe(false);
    expect(mayBeRewarded({ ...known, adverseInForce: true })).toBe(false);
    expect(mayBeRewarded({ ...known, registrationStatus: 'DEREGISTERED' })).toBe(false);
    expect(mayBeRewarded({ ...known, registrationStatus: 'REVOKED' })).toBe(false);
    expect(CLOSED_REGISTRATION_STATUSES).toEqual(['REVOKED', 'DEREGISTERED']);
  });
});
