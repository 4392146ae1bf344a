/**
 * A table as the files a clerk downloads: CSV (RFC 4180, with a byte-order mark so spreadsheet
 * programs read the Chinese as UTF-8) and XLSX (write-excel-file), the same header and rows.
 */

export interface Sheet {
  header: string[];
  rows: string[][];
}

/**
 * RFC 4180 CSV with a byte-order mark. A cell that a spreadsheet would run as a formula (=, +, -,
 * @ first) gets a leading apostrophe: names come from the departments' data, not from us.
 */
export function toCsv(table: Sheet): string {
  const inert = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
  const cell = (raw: string) => {
    const value = inert(raw);
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  return `\uFEFF${[table.header, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Widest a column gets, in characters: the measures column wraps instead. */
const MAX_COLUMN_WIDTH = 60;

/**
 * The table as an XLSX workbook of one sheet: a bold header, every cell a string (so nothing in
 * the departments' data can become a formula), text wrapped, columns as wide as their content.
 */
export async function toXlsx(table: Sheet, sheetName: string): Promise<Buffer> {
  const width = (column: number) =>
    Math.min(MAX_COLUMN_WIDTH, Math.max(6, ...[table.header, ...table.rows].map((row) => Math.max(...(row[column] ?? '').split('\n').map(displayWidth)))) + 2);
  const data = [
    table.header.map((value) => ({ value, fontWeight: 'bold' as const, type: String })),
    ...table.rows.map((row) => row.map((value) => ({ value, type: String, wrap: true }))),
  ];
  // The package is an ES module (its CommonJS build is what require finds at run time).
  const { default: writeXlsxFile } = await import('write-excel-file/node');
  return writeXlsxFile(data, { sheet: sheetName, columns: table.header.map((_, column) => ({ width: width(column) })), stickyRowsCount: 1 }).toBuffer();
}

/** A text's width in a spreadsheet's character units: a Chinese character takes two. */
function displayWidth(text: string): number {
  return Array.from(text).reduce((sum, char) => sum + (/[\u2e80-\uffef]/.test(char) ? 2 : 1), 0);
}
