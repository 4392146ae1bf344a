/** plugins/input-strings.ts: text no department can store is refused at the gateway, naming where it is, before anything runs. */
import { inputStringsPlugin, isStorableString, unstorableStrings } from '../../../gateway/plugins/input-strings';
import { parseValidatePlugin } from '../../../gateway/plugins/parse-validate';
import { executions, schema, send } from './harness';

describe('input-strings plugin', () => {
  const plugins = [parseValidatePlugin({ schema: () => schema }), inputStringsPlugin()];

  it('tells storable text from a NUL or half a surrogate pair', () => {
    expect(isStorableString('许可 2026-0042 😀')).toBe(true);
    expect(isStorableString('a\u0000b')).toBe(false);
    expect(isStorableString('a\ud800b')).toBe(false);
    expect(isStorableString('a\udc00')).toBe(false);
    expect(unstorableStrings({ input: { reason: 'ok', note: 'x\u0000' }, codes: ['A', '\ud83d'], ['k\u0000']: 1 }, 'variables')).toEqual([
      'variables.input.note',
      'variables.codes[1]',
      'variables (a key)',
    ]);
  });

  it('refuses them in variables and in the text\'s literals with BAD_USER_INPUT INVALID_STRING, and runs nothing', async () => {
    const before = executions.count;
    const inVariable = await send(plugins, { query: 'query($t: String!) { search(text: $t) { __typename } }', variables: { t: 'a\u0000b' } });
    expect(inVariable.status).toBe(400);
    expect(inVariable.body.errors).toEqual([{ message: expect.stringMatching(/^variables\.t holds a character no department can store/), extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' } }]);
    const inLiteral = await send(plugins, { query: '{\n  search(text: "a\\u0000b") { __typename } }' });
    expect(inLiteral.status).toBe(400);
    expect(inLiteral.body.errors[0]).toMatchObject({ locations: [{ line: 2, column: 16 }], extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_STRING' } });
    const surrogate = await send(plugins, { query: 'query($c: [ID!]!) { subjects(codes: $c) { code } }', variables: { c: ['A', '\ud800'] } });
    expect(surrogate.body.errors[0].message).toMatch(/^variables\.c\[1\]/);
    expect(surrogate.request.outcome).toBe('BAD_USER_INPUT');
    expect(executions.count).toBe(before);
    expect((await send(plugins, { query: '{ search(text: "许可") { __typename } }' })).status).toBe(200);
  });
});
