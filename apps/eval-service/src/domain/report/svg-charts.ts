import { escapeHtml, formatNumber } from './html.js';

/** One bar of a chart. */
export interface Bar {
  readonly label: string;
  readonly value: number;
}

/**
 * A horizontal bar chart as inline SVG: one labelled bar per entry, scaled
 * to `max` (default: the largest value), the value printed after the bar.
 */
export function horizontalBarChart(
  title: string,
  bars: readonly Bar[],
  options: {
    readonly max?: number;
    readonly format?: (v: number) => string;
  } = {},
): string {
  const format = options.format ?? formatNumber;
  const max = options.max ?? Math.max(1e-9, ...bars.map((b) => b.value));
  const rowHeight = 22;
  const labelWidth = 170;
  const barWidth = 260;
  const height = 28 + bars.length * rowHeight;
  const rows = bars
    .map((bar, i) => {
      const y = 24 + i * rowHeight;
      const w = Math.max(0, Math.min(1, bar.value / max)) * barWidth;
      return (
        `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end" font-size="12">${escapeHtml(bar.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="#0969da"/>` +
        `<text x="${(labelWidth + w + 4).toFixed(1)}" y="${y + 14}" font-size="12">${escapeHtml(format(bar.value))}</text>`
      );
    })
    .join('');
  const width = labelWidth + barWidth + 70;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}"><text x="0" y="14" font-size="13" font-weight="600">${escapeHtml(title)}</text>${rows}</svg>`;
}

/**
 * A histogram as inline SVG: `values` counted into `bins` equal-width bins
 * over [min, max] (the last bin includes max), bar heights scaled to the
 * largest count, bin bounds under the axis.
 */
export function histogram(
  title: string,
  values: readonly number[],
  options: {
    readonly bins: number;
    readonly min: number;
    readonly max: number;
  },
): string {
  const { bins, min } = options;
  const max = options.max > min ? options.max : min + 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const index = Math.min(
      bins - 1,
      Math.max(0, Math.floor(((v - min) / (max - min)) * bins)),
    );
    counts[index] = (counts[index] ?? 0) + 1;
  }
  const top = Math.max(1, ...counts);
  const plotHeight = 110;
  const binWidth = Math.max(18, Math.floor(300 / bins));
  const width = 40 + bins * binWidth;
  const bars = counts
    .map((count, i) => {
      const h = (count / top) * plotHeight;
      const x = 30 + i * binWidth;
      const y = 24 + plotHeight - h;
      const lower = min + ((max - min) * i) / bins;
      return (
        `<rect x="${x + 1}" y="${y.toFixed(1)}" width="${binWidth - 2}" height="${h.toFixed(1)}" fill="#8250df"><title>${escapeHtml(`${formatNumber(lower)}–${formatNumber(lower + (max - min) / bins)}: ${count}`)}</title></rect>` +
        (count > 0
          ? `<text x="${x + binWidth / 2}" y="${(y - 3).toFixed(1)}" font-size="10" text-anchor="middle">${count}</text>`
          : '')
      );
    })
    .join('');
  const axis = `<line x1="30" y1="${24 + plotHeight}" x2="${width - 10}" y2="${24 + plotHeight}" stroke="#656d76"/>`;
  const labels =
    `<text x="30" y="${24 + plotHeight + 14}" font-size="10">${escapeHtml(formatNumber(min))}</text>` +
    `<text x="${width - 10}" y="${24 + plotHeight + 14}" font-size="10" text-anchor="end">${escapeHtml(formatNumber(max))}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${plotHeight + 46}" role="img" aria-label="${escapeHtml(title)}"><text x="0" y="14" font-size="13" font-weight="600">${escapeHtml(title)}</text>${bars}${axis}${labels}</svg>`;
}
