// The part of fontkit 2 (pdfkit's font engine) the credit report uses: which characters a font covers.
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
    readonly ascent: number;
    readonly unitsPerEm: number;
  }
  export function create(buffer: Buffer): Font;
}
