/** plugins/request-id.ts: the gateway names every request itself; a client's plain id is kept beside it, never in its place. */
import { requestIdPlugin } from '../../../gateway/plugins/request-id';
import { send } from './harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request-id plugin', () => {
  const plugins = [requestIdPlugin()];
  const query = { query: '{ __typename }' };

  it('answers the gateway\'s own id, and keeps a plain id the client chose beside it', async () => {
    const { headers, request } = await send(plugins, query, { 'x-request-id': 'licence-2026.0042:7' });
    expect(request.id).toMatch(UUID);
    expect(request.id).not.toBe('licence-2026.0042:7');
    expect(request.clientRequestId).toBe('licence-2026.0042:7');
    expect(headers['x-request-id']).toBe(request.id);
    expect(headers['x-client-request-id']).toBe('licence-2026.0042:7');
  });

  it('gives two requests with the same client id two ids', async () => {
    const [a, b] = await Promise.all([send(plugins, query, { 'x-request-id': 'same' }), send(plugins, query, { 'x-request-id': 'same' })]);
    expect(a!.request.id).not.toBe(b!.request.id);
  });

  it('keeps nothing of an id that could break a log line or a header', async () => {
    for (const hostile of ['a\nb', 'x'.repeat(200), '<script>', 'id with spaces']) {
      const { headers, request } = await send(plugins, query, { 'x-request-id': hostile });
      expect(request.clientRequestId).toBeNull();
      expect(headers['x-request-id']).toBe(request.id);
      expect(headers['x-client-request-id']).toBeUndefined();
      expect(request.id).toMatch(UUID);
    }
  });
});
