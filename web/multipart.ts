/**
 * A `multipart/form-data` body (RFC 7578), as a browser posts a form with a file input: the
 * verification page takes the report PDF by a plain form post, so it works without JavaScript.
 * Small and strict: the parts, their names, file names and bytes; anything malformed is null.
 */

export interface FormPart {
  name: string;
  filename: string | null;
  data: Buffer;
}

/** The boundary of a multipart content type, quoted or not; null if it names none. */
function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]!) : null;
}

/** A part's header value parameter (`name="report"` in Content-Disposition). */
function parameter(header: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(header);
  return match ? match[1]! : null;
}

export function parseMultipart(body: Buffer, contentType: string): FormPart[] | null {
  const boundary = boundaryOf(contentType);
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at !== 0) return null;
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts; // the closing delimiter
    const headersStart = afterDelimiter + 2; // CRLF
    const headersEnd = body.indexOf('\r\n\r\n', headersStart);
    if (headersEnd < 0) return null;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd + 4);
    if (next < 0) return null;
    const headers = body.subarray(headersStart, headersEnd).toString('utf8');
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
    const name = parameter(disposition, 'name');
    if (name === null) return null;
    parts.push({ name, filename: parameter(disposition, 'filename'), data: body.subarray(headersEnd + 4, next) });
    at = next + 2;
  }
}
