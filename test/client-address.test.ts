/** Whose address a request is counted and audited under (lib/client-address.ts). */
import { clientAddress, FORWARDED_FOR_HEADER, PROXY_SECRET_HEADER } from '../lib/client-address';

const SECRET = 'a-proxy-secret-of-the-deployment-0123456789';

describe('clientAddress', () => {
  it('is the named visitor when the proxy proves itself with the secret', () => {
    expect(clientAddress('127.0.0.1', { [FORWARDED_FOR_HEADER]: '203.0.113.7', [PROXY_SECRET_HEADER]: SECRET }, SECRET)).toBe('203.0.113.7');
    expect(clientAddress('127.0.0.1', { [FORWARDED_FOR_HEADER]: '2001:db8::5, 10.0.0.1', [PROXY_SECRET_HEADER]: SECRET }, SECRET)).toBe('2001:db8::5');
  });

  it('is the peer for anyone else: no secret, a wrong one, none configured, or no address named', () => {
    expect(clientAddress('198.51.100.2', { [FORWARDED_FOR_HEADER]: '203.0.113.7' }, SECRET)).toBe('198.51.100.2');
    expect(clientAddress('198.51.100.2', { [FORWARDED_FOR_HEADER]: '203.0.113.7', [PROXY_SECRET_HEADER]: `${SECRET}x` }, SECRET)).toBe('198.51.100.2');
    expect(clientAddress('198.51.100.2', { [FORWARDED_FOR_HEADER]: '203.0.113.7', [PROXY_SECRET_HEADER]: '' }, SECRET)).toBe('198.51.100.2');
    expect(clientAddress('198.51.100.2', { [FORWARDED_FOR_HEADER]: '203.0.113.7', [PROXY_SECRET_HEADER]: SECRET }, undefined)).toBe('198.51.100.2');
    expect(clientAddress('198.51.100.2', { [PROXY_SECRET_HEADER]: SECRET }, SECRET)).toBe('198.51.100.2');
  });

  it('ignores a forwarded value that is not an address, or sent twice', () => {
    expect(clientAddress('198.51.100.2', { [FORWARDED_FOR_HEADER]: 'evil; drop', [PROXY_SECRET_HEADER]: SECRET }, SECRET)).toBe('198.51.100.2');
    expect(clientAddress('198.51.100.2', { [FORWARDED_FOR_HEADER]: ['203.0.113.7', '203.0.113.8'], [PROXY_SECRET_HEADER]: SECRET }, SECRET)).toBe('198.51.100.2');
  });
});
