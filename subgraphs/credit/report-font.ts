/**
 * The credit report's Chinese font (lib/fonts.ts), shipped as WOFF2. fontkit decodes WOFF2 with a brotli decoder written in JavaScript,
 * which takes seconds for this 3.5 MB font (8 s on a loaded machine) the first time a report
 * needs a glyph; Node's own brotli takes milliseconds. So the WOFF2 container (W3C WOFF 2.0,
 * section 5) is unpacked here into the plain OpenType font it wraps, which fontkit then reads
 * as it is. Only what this font needs is handled (a CFF font whose tables are stored as they
 * are); anything else falls back to fontkit's own WOFF2 decoding.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import * as fontkit from 'fontkit';
import { CHINESE_FONT_PATH } from '../../lib/fonts';

/** The tags WOFF2 names by index (section 5.1, "Known Table Tags"). */
const KNOWN_TAGS = (
  'cmap head hhea hmtx maxp name OS/2 post cvt  fpgm glyf loca prep CFF  VORG EBDT EBLC gasp hdmx kern LTSH PCLT VDMX vhea vmtx BASE ' +
  'GDEF GPOS GSUB EBSC JSTF MATH CBDT CBLC COLR CPAL SVG  sbix acnt avar bdat bloc bsln cvar fdsc feat fmtx fvar gvar hsty just lcar ' +
  'mort morx opbd prop trak Zapf Silf Glat Gloc Feat Sill'
).match(/.{4}\s?/g)!.map((tag) => tag.slice(0, 4));

const WOFF2_SIGNATURE = 0x774f4632; // 'wOF2'
const HEADER_SIZE = 48;

interface TableEntry {
  tag: string;
  length: number;
}

/** UIntBase128 (section 4.1): 7 bits a byte, high bit set on all but the last, at most 5 bytes. */
function readBase128(buffer: Buffer, at: { offset: number }): number {
  let value = 0;
  for (let i = 0; i < 5; i += 1) {
    const byte = buffer[at.offset++]!;
    if (i === 0 && byte === 0x80) throw new Error('WOFF2: UIntBase128 with a leading zero');
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return value;
  }
  throw new Error('WOFF2: UIntBase128 longer than 5 bytes');
}

/**
 * The OpenType font inside a WOFF2 file whose tables are all stored untransformed, or null when
 * it is not such a file (a TrueType font with transformed glyf/loca, a collection, ...).
 */
export function woff2ToOpenType(woff2: Buffer): Buffer | null {
  if (woff2.length < HEADER_SIZE || woff2.readUInt32BE(0) !== WOFF2_SIGNATURE) return null;
  const flavor = woff2.readUInt32BE(4);
  if (flavor === 0x74746366) return null; // 'ttcf': a collection
  const numTables = woff2.readUInt16BE(12);
  const totalCompressedSize = woff2.readUInt32BE(20);
  const at = { offset: HEADER_SIZE };
  const tables: TableEntry[] = [];
  for (let i = 0; i < numTables; i += 1) {
    const flags = woff2[at.offset++]!;
    const tagIndex = flags & 0x3f;
    const tag = tagIndex === 63 ? woff2.toString('latin1', at.offset, (at.offset += 4)) : KNOWN_TAGS[tagIndex];
    if (!tag) return null;
    const transform = flags >> 6;
    const length = readBase128(woff2, at);
    // glyf and loca are transformed unless version 3; every other table unless version 0.
    const transformed = tag === 'glyf' || tag === 'loca' ? transform !== 3 : transform !== 0;
    if (transformed) return null;
    tables.push({ tag, length });
  }
  const data = zlib.brotliDecompressSync(woff2.subarray(at.offset, at.offset + totalCompressedSize));
  if (data.length !== tables.reduce((sum, t) => sum + t.length, 0)) return null;

  // The sfnt (OpenType section "Organization of an OpenType font"): offset table, table records
  // sorted by tag, then each table 4-byte aligned.
  const sorted = tables.map((table, index) => ({ ...table, index })).sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const sourceOffsets: number[] = [];
  tables.reduce((offset, table, i) => ((sourceOffsets[i] = offset), offset + table.length), 0);
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const directorySize = 12 + numTables * 16;
  const padded = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(directorySize + sorted.reduce((sum, t) => sum + padded(t.length), 0));
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = directorySize;
  sorted.forEach((table, i) => {
    const bytes = data.subarray(sourceOffsets[table.index]!, sourceOffsets[table.index]! + table.length);
    bytes.copy(out, offset);
    let checksum = 0;
    for (let p = 0; p < padded(table.length); p += 4) checksum = (checksum + out.readUInt32BE(offset + p)) >>> 0;
    const record = 12 + i * 16;
    out.write(table.tag, record, 4, 'latin1');
    out.writeUInt32BE(checksum, record + 4);
    out.writeUInt32BE(offset, record + 8);
    out.writeUInt32BE(table.length, record + 12);
    offset += padded(table.length);
  });
  return out;
}

let cached: fontkit.Font | undefined;

/** The report font, read once per process. */
export function reportFont(): fontkit.Font {
  if (!cached) {
    const woff2 = fs.readFileSync(CHINESE_FONT_PATH);
    cached = fontkit.create(woff2ToOpenType(woff2) ?? woff2);
  }
  return cached;
}
