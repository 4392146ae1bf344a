// The part of fontkit 2 (pdfkit's font engine) the credit report and its tests use.
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
    readonly ascent: number;
    readonly numGlyphs: number;
    layout(text: string): { glyphs: { id: number; path: { toSVG(): string } }[] };
    readonly unitsPerEm: number;
  }
  export function create(buffer: Buffer): Font;
}
