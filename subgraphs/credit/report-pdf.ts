/**
 * The credit report as a PDF (公共信用信息报告, 凌源 一(三); 柴桑 (三)): pdfkit with Source Han
 * Sans CN (the npm package @librescore/fonts, OFL) for Chinese and the PDF standard Helvetica for
 * Latin text (the CJK subset has no Latin glyphs), and a QR code of the verification URL.
 * pdfkit embeds only the glyphs a report uses, so a report is tens of kilobytes.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { beijingTime, roleName, subjectLabels, type ReportSection } from '../../lib/credit-report';
import { reportFont } from './report-font';

const LATIN = 'Helvetica';
const CJK = 'SourceHanSansCN';

export interface ReportDocument {
  number: string;
  /** ISO-8601 time of issue. */
  issuedAt: string;
  code: string;
  name: string | null;
  sections: ReportSection[];
  verificationUrl: string;
  /** Who the report was issued to (its contents are what that role may read). */
  issuedToRole: string;
}

/** Runs of text each drawable in one font: Source Han for what it covers, Helvetica for the rest. */
function runs(text: string): { font: string; text: string }[] {
  const font = reportFont();
  const out: { font: string; text: string }[] = [];
  for (const char of text) {
    const which = font.hasGlyphForCodePoint(char.codePointAt(0)!) ? CJK : LATIN;
    const last = out[out.length - 1];
    if (last && last.font === which) last.text += char;
    else out.push({ font: which, text: char });
  }
  return out;
}

function write(doc: PDFKit.PDFDocument, text: string, size: number, options: PDFKit.Mixins.TextOptions = {}): void {
  const parts = runs(text);
  const font = reportFont();
  // One baseline for both fonts (pdfkit places each run by its own font's ascender by default,
  // which lifts the Latin runs above the Chinese ones): the Chinese font's ascender below the top.
  const baseline = -((font.ascent / font.unitsPerEm) * size);
  doc.fontSize(size);
  parts.forEach((part, i) => {
    doc.font(part.font).text(part.text, { ...options, baseline, continued: i < parts.length - 1 });
  });
}

/** Room a section heading needs below it, so a heading never ends a page. */
const MIN_SECTION_SPACE = 80;

const MARK_TEXT = { DISPUTED: '【异议处理中：相关惩戒措施暂停】', CORRECTED_OR_REPAIRED: '【已更正或已完成信用修复】' } as const;

export async function renderReportPdf(report: ReportDocument): Promise<Buffer> {
  const font = reportFont();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `公共信用信息报告 ${report.number}`, Author: '公共信用信息平台', Subject: report.code, CreationDate: new Date(report.issuedAt) },
  });
  // A fontkit font, which pdfkit accepts as it is: parsed once per process (report-font.ts).
  doc.registerFont(CJK, font as unknown as Buffer);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const qr = await QRCode.toBuffer(report.verificationUrl, { type: 'png', margin: 1, width: 200, errorCorrectionLevel: 'M' });
  const right = doc.page.width - doc.page.margins.right;
  doc.image(qr, right - 90, 40, { width: 90 });
  write(doc, '公共信用信息报告', 22, { width: 380 });
  doc.moveDown(0.3);
  write(doc, `报告编号：${report.number}`, 10, { width: 380 });
  write(doc, `出具时间：${beijingTime(report.issuedAt, 'zh')}`, 10, { width: 380 });
  const subject = subjectLabels(report.code, report.name, 'zh');
  write(doc, `信用主体：${subject.name}`, 10, { width: 380 });
  write(doc, `${subject.codeLabel}：${report.code}`, 10, { width: 380 });
  write(doc, `查验：扫描右上角二维码或访问 ${report.verificationUrl}`, 9, { width: 380 });
  doc.moveDown(1);

  for (const section of report.sections) {
    if (doc.y > doc.page.height - doc.page.margins.bottom - MIN_SECTION_SPACE) doc.addPage();
    doc.fillColor('#1a3a6b');
    write(doc, `${section.title}（信息提供单位：${section.department}）`, 13);
    doc.fillColor('#000000');
    doc.moveDown(0.2);
    if (section.note) write(doc, section.note, 10, { indent: 10 });
    for (const item of section.items) {
      write(doc, `• ${item.title}${item.mark ? ` ${MARK_TEXT[item.mark]}` : ''}`, 10.5, { indent: 10 });
      if (item.authority) write(doc, `认定机关：${item.authority}`, 9.5, { indent: 24 });
      if (item.basis) write(doc, `依据：${item.basis}`, 9.5, { indent: 24 });
      for (const [name, value] of item.fields) write(doc, `${name}：${value}`, 9.5, { indent: 24 });
      doc.moveDown(0.2);
    }
    doc.moveDown(0.6);
  }

  doc.moveDown(1);
  doc.fillColor('#555555');
  write(
    doc,
    `说明：本报告由公共信用信息平台根据各部门共享的公开信用信息出具，内容为出具时${roleName(report.issuedToRole, 'zh')}可查看的信息，自然人信息已按规定脱敏。` +
      `本报告编号及其文件摘要（SHA-256）已登记，任何人可凭报告编号在信用网站查验本报告是否真实、未被篡改。`,
    8.5,
  );
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
