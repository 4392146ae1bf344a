/** plugins/request-id.ts: the client's plain request id is kept and answered; anything else is replaced. */
import { requestIdPlugin } from '../../../gateway/plugins/request-id';
import { send } from './harness';

describe('request-id plugin', () => {
  const plugins = [requestIdPlugin()];
  const query = { query: '{ __typename }' };

  it('keeps a plain id the client chose and answers it in x-request-id', async () => {
    const { headers, request } = await send(plugins, query, { 'x-request-id': 'licence-2026.0042:7' });
    expect(request.id).toBe('licence-2026.0042:7');
    expect(headers['x-request-id']).toBe('licence-2026.0042:7');
  });

  it('replaces an id that could break a log line or a header with a fresh one', async () => {
    for (const hostile of ['a\nb', 'x'.repeat(200), '<script>', 'id with spaces']) {
      const { headers, request } = await send(plugins, query, { 'x-request-id': hostile });
      expect(request.id).not.toBe(hostile);
      expect(headers['x-request-id']).toBe(request.id);
      expect(request.id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    }
  });
});
