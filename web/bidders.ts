/**
 * A list of bidders as a trading-platform clerk pastes it or exports it from a spreadsheet: one
 * bidder a line (or several codes on a line, separated by commas, semicolons, tabs or spaces), or
 * CSV rows with a sequence number, a name and a code in some order, perhaps under a header row.
 * Every line comes back as entries with its line number, so the result can account for each.
 */

/** One bidder as given, with the line it came from; a header line or a line of sequence numbers only is an entry too (nothing to check). */
export type BidderEntry =
  | { line: number; input: string; kind: 'code'; code: string; /** A name on the same row beside the code, to compare with the registered one. */ givenName: string | null }
  | { line: number; input: string; kind: 'name'; name: string }
  | { line: number; input: string; kind: 'header' }
  | { line: number; input: string; kind: 'empty' };

export interface ParsedBidders {
  entries: BidderEntry[];
  /** How many sequence-number cells (序号, a row's first cell) were skipped. */
  skippedNumbers: number;
  /** Each line's 序号 as the file has it, by line number: the clerk finds a row by it, not by the line. */
  sequences: Map<number, string>;
}

const HEADER_WORDS = /^(序号|编号|no\.?|#|code|codes|name|names|代码|信用代码|统一社会信用代码|社会信用代码|名称|企业名称|单位名称|投标人|投标人名称|投标单位|投标单位名称|供应商|供应商名称|公司名称|主体名称)$/i;
const CODE_HEADER = /代码|^codes?$/i;
const NAME_HEADER = /名称|投标人|投标单位|供应商|^names?$/i;
/** A sequence number: digits, far fewer than a code's 18. */
const SEQUENCE_NUMBER = /^\d{1,6}$/;
/** A cell of Latin letters and digits only is a code (a mistyped one is kept, to be reported); anything else is a name. */
const CODE_LIKE = /^[0-9A-Za-z]+$/;

/** The cells of one CSV or pasted line: split on commas, semicolons (either width) and tabs; a double-quoted cell keeps its separators. */
export function splitCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (/[,;，；\t]/.test(char)) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells.map((c) => c.replace(/^[\uFEFF\s'"]+|[\s'"]+$/g, ''));
}

/** Which columns hold the codes and the names, read from a header row, and how many columns it has. */
interface Columns {
  code: number | null;
  name: number | null;
  width: number;
}

/** A header row: a column title (序号, 名称, 统一社会信用代码, ...) and no code; with the columns it names. */
function headerColumns(cells: string[]): Columns | null {
  if (!cells.some((cell) => HEADER_WORDS.test(cell)) || cells.some((cell) => cell !== '' && isCodeCell(cell) && !/^[a-z.#]+$/i.test(cell))) return null;
  const index = (pattern: RegExp) => {
    const at = cells.findIndex((cell) => HEADER_WORDS.test(cell) && pattern.test(cell));
    return at < 0 ? null : at;
  };
  return { code: index(CODE_HEADER), name: index(NAME_HEADER), width: cells.length };
}

const isCodeCell = (cell: string) => cell.split(/\s+/).every((part) => CODE_LIKE.test(part));

/**
 * A cell typed with full-width letters and digits (９１１１…ＸＱ, as Chinese input methods give
 * them) read as the code it spells; any other cell as it was, so a name keeps its （）.
 */
function codeWidth(cell: string): string {
  const narrow = cell.normalize('NFKC').trim();
  return narrow !== '' && isCodeCell(narrow) ? narrow : cell;
}

/**
 * The bidders of one data row: every code in it (several codes separated by spaces are several
 * bidders), or else every name. Under a header row, a row as wide as the header takes its name
 * from the name column only (a contact person's name in another column is no bidder), and
 * whatever stands in the code column is taken as a code, to be reported if it is none.
 */
function rowEntries(line: number, input: string, cells: string[], columns: Columns | null): { entries: BidderEntry[]; numbers: number } {
  // Only a leading sequence column is 序号; other numbers (a price, a count) are no bidder either, and not counted as 序号.
  const numbers = cells.length > 1 && SEQUENCE_NUMBER.test(cells[0]!) ? 1 : 0;
  // A pasted line below a spreadsheet's rows (one cell where the header has several) is read on its own.
  const inColumn = (at: number | null) => (columns && at !== null && cells.length >= columns.width ? cells[at]! : null);
  const codeAt = inColumn(columns?.code ?? null) === null ? null : columns!.code;
  const words = cells.filter((cell, at) => cell !== '' && !SEQUENCE_NUMBER.test(cell) && at !== codeAt);
  const codeColumn = inColumn(columns?.code ?? null);
  const codes = [
    ...(codeColumn && !SEQUENCE_NUMBER.test(codeColumn) ? [codeColumn.replace(/\s+/g, '')] : []),
    ...words.filter(isCodeCell).flatMap((cell) => cell.split(/\s+/)),
  ];
  const nameColumn = inColumn(columns?.name ?? null);
  const names = nameColumn !== null ? (nameColumn !== '' && !isCodeCell(nameColumn) ? [nameColumn] : []) : words.filter((cell) => !isCodeCell(cell));
  if (codes.length > 0) {
    const givenName = codes.length === 1 && names.length === 1 ? names[0]! : null;
    return { entries: codes.map((code) => ({ line, input, kind: 'code', code, givenName })), numbers };
  }
  if (names.length > 0) return { entries: names.map((name) => ({ line, input, kind: 'name', name })), numbers };
  return { entries: [{ line, input, kind: 'empty' }], numbers };
}

/** Bidders from pasted text or a CSV export, in order, each with its line; blank lines are not bidders. */
export function parseBidders(text: string): ParsedBidders {
  const entries: BidderEntry[] = [];
  let skippedNumbers = 0;
  const sequences = new Map<number, string>();
  let columns: Columns | null = null;
  text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).forEach((raw, index) => {
    const input = raw.trim();
    if (input === '') return;
    const cells = splitCells(input).map(codeWidth);
    const header = headerColumns(cells);
    if (header) {
      columns = header.code !== null || header.name !== null ? header : columns;
      entries.push({ line: index + 1, input, kind: 'header' });
      return;
    }
    const row = rowEntries(index + 1, input, cells, columns);
    entries.push(...row.entries);
    skippedNumbers += row.numbers;
    if (row.numbers > 0) sequences.set(index + 1, cells[0]!);
  });
  return { entries, skippedNumbers, sequences };
}
