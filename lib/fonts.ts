/**
 * The Chinese font of the website and the credit report: Source Han Sans CN (Adobe, OFL 1.1),
 * as the WOFF2 the npm package @librescore/fonts ships (3.5 MB, simplified Chinese, no Latin).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const CHINESE_FONT_PATH: string = require('@librescore/fonts').CN;
