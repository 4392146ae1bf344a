/** The text of a PDF, pages joined by newlines, extracted by pdf.js in a child process (test/helpers/pdf-text.mjs). */
import { execFile } from 'node:child_process';
import path from 'node:path';

export function pdfText(pdf: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [path.join(__dirname, 'pdf-text.mjs')], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`pdf text extraction failed: ${stderr || error.message}`));
      else resolve((JSON.parse(stdout) as string[]).join('\n'));
    });
    child.stdin!.end(Buffer.from(pdf));
  });
}
