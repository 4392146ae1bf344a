// Prints the text of the PDF read from stdin, page by page (pdf.js; CJK through the fonts' ToUnicode
// maps). A separate process because pdf.js is ESM only, which jest's CommonJS transform cannot load.
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
const standardFontDataUrl = `${path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const document = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), standardFontDataUrl, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= document.numPages; n += 1) {
  const content = await (await document.getPage(n)).getTextContent();
  pages.push(content.items.map((item) => item.str ?? '').join(''));
}
await document.destroy();
process.stdout.write(JSON.stringify(pages));
