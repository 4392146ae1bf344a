/**
 * Bar charts as inline SVG, drawn on the server (nothing to load, works offline), each with
 * its numbers in a table beside it: the table is what screen readers and printouts rely on,
 * so the SVG is marked as an image named by the caption.
 */
import { html, type Html } from './html';

export interface Series {
  name: string;
  values: number[];
}

const COLOURS = ['#1f5fa8', '#c0392b', '#2e7d32', '#8e44ad', '#8a5a00'];

export function barChart(options: { id: string; title: string; categories: string[]; series: Series[]; categoryLabel: string }): Html {
  const { id, title, categories, series } = options;
  const width = 560;
  const height = 220;
  const left = 40;
  const bottom = 40;
  const plotHeight = height - bottom - 10;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const groupWidth = (width - left - 10) / Math.max(1, categories.length);
  const barWidth = Math.max(4, (groupWidth - 8) / Math.max(1, series.length));
  const legendStep = Math.min(120, (width - left) / Math.max(1, series.length));
  const y = (value: number) => 10 + plotHeight - (value / max) * plotHeight;
  const bars = categories.flatMap((category, c) =>
    series.map((s, i) => {
      const value = s.values[c] ?? 0;
      const x = left + c * groupWidth + 4 + i * barWidth;
      return html`<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(10 + plotHeight - y(value)).toFixed(1)}" fill="${COLOURS[i % COLOURS.length]!}"><title>${category} · ${s.name}: ${value}</title></rect>`;
    }),
  );
  const labels = categories.map(
    (category, c) => html`<text x="${(left + c * groupWidth + groupWidth / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="11">${category}</text>`,
  );
  const legend = series.map(
    (s, i) => html`<rect x="${left + i * legendStep}" y="${height - 14}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]!}"></rect><text x="${left + i * legendStep + 14}" y="${height - 5}" font-size="11">${s.name}</text>`,
  );
  return html`<figure class="chart" id="${id}">
  <figcaption id="${id}-title">${title}</figcaption>
  <div class="chart-body">
    <svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title" focusable="false">
      <line x1="${left}" y1="${10 + plotHeight}" x2="${width - 10}" y2="${10 + plotHeight}" stroke="#555"></line>
      <text x="${left - 6}" y="14" text-anchor="end" font-size="11">${max}</text>
      <text x="${left - 6}" y="${10 + plotHeight}" text-anchor="end" font-size="11">0</text>
      ${bars}${labels}${legend}
    </svg>
    <table class="numbers">
      <caption class="visually-hidden">${title}</caption>
      <thead><tr><th scope="col">${options.categoryLabel}</th>${series.map((s) => html`<th scope="col">${s.name}</th>`)}</tr></thead>
      <tbody>${categories.map((category, c) => html`<tr><th scope="row">${category}</th>${series.map((s) => html`<td>${s.values[c] ?? 0}</td>`)}</tr>`)}</tbody>
    </table>
  </div>
</figure>`;
}
