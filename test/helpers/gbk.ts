/**
 * Text as GBK bytes, the encoding Excel on Chinese Windows saves CSV in: Node encodes only UTF-8,
 * so the table is read back from the WHATWG GB18030 decoder (GBK's superset), two bytes a character.
 */
let table: Map<string, [number, number]> | null = null;

function gbkTable(): Map<string, [number, number]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (char.length === 1 && char !== '\ufffd' && !table.has(char)) table.set(char, [lead, trail]);
    }
  }
  return table;
}

export function encodeGbk(text: string): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
    else {
      const pair = gbkTable().get(char);
      if (!pair) throw new Error(`no GBK encoding for ${char}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}
