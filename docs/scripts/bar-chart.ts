/**
 * A horizontal bar chart as a standalone SVG string: groups of labelled bars, one scale, the value printed at each
 * bar's end. Deterministic (the same data gives the same bytes), so regenerated charts only show in a diff when a
 * figure changed. No fonts or scripts are loaded: it renders the same on the site, on a code host and offline.
 */

/** One bar. `value` is drawn; `note` (e.g. `0.88×`) is printed after it. */
export interface Bar {
  label: string;
  value: number;
  note?: string | undefined;
  /** Draw it in the highlight colour (kgo's own bars). */
  highlight?: boolean | undefined;
}

/** Bars shown together under a group heading (e.g. "concurrency 16"). */
export interface BarGroup {
  label: string;
  bars: readonly Bar[];
}

/** What to draw. */
export interface BarChart {
  title: string;
  /** The unit after each value and in the axis note: `req/s`, `ms`, `MiB`. */
  unit: string;
  /** Printed under the title: what "better" means, the source file. */
  subtitle?: string | undefined;
  groups: readonly BarGroup[];
}

const WIDTH = 760;
const VALUE_WIDTH = 150;
const BAR_HEIGHT = 20;
const BAR_GAP = 6;
const GROUP_GAP = 16;
const TOP = 62;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A value for a label: 3 significant digits, thousands separated (`1,179`, `45.2`, `0.265`). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The SVG of `chart`. Groups without bars are left out; a chart without any bar says so. */
export function renderBarChart(chart: BarChart): string {
  const groups = chart.groups.filter((group) => group.bars.length > 0);
  const max = Math.max(0, ...groups.flatMap((group) => group.bars.map((bar) => (Number.isFinite(bar.value) ? bar.value : 0))));
  // The label column fits the longest label (about 6.5 px a character at 12 px), within bounds.
  const longest = Math.max(0, ...groups.flatMap((group) => group.bars.map((bar) => bar.label.length)));
  const LABEL_WIDTH = Math.min(380, Math.max(140, Math.ceil(longest * 6.5) + 24));
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const scale = max > 0 ? plotWidth / max : 0;
  const parts: string[] = [];
  let y = TOP;
  for (const group of groups) {
    parts.push(`<text class="group" x="16" y="${y + 12}">${escapeXml(group.label)}</text>`);
    y += 22;
    for (const bar of group.bars) {
      const width = Number.isFinite(bar.value) ? Math.max(1, Math.round(bar.value * scale * 10) / 10) : 0;
      const text = `${formatValue(bar.value)} ${chart.unit}${bar.note ? ` · ${bar.note}` : ''}`;
      parts.push(
        `<text class="label" x="${LABEL_WIDTH - 10}" y="${y + 14}">${escapeXml(bar.label)}</text>`,
        `<rect class="${bar.highlight ? 'bar kgo' : 'bar'}" x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}" rx="3"/>`,
        `<text class="value" x="${LABEL_WIDTH + width + 8}" y="${y + 14}">${escapeXml(text)}</text>`,
      );
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  if (groups.length === 0) {
    parts.push(`<text class="label" x="16" y="${y + 14}" text-anchor="start">no data in the results file</text>`);
    y += 40;
  }
  const height = y + 4;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeXml(chart.title)}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    `<title>${escapeXml(chart.title)}</title>`,
    '<style>',
    '.title { font-size: 16px; font-weight: 600; fill: #1f2333; }',
    '.subtitle { font-size: 12px; fill: #55596b; }',
    '.group { font-size: 13px; font-weight: 600; fill: #1f2333; }',
    '.label { font-size: 12px; fill: #2c3040; text-anchor: end; }',
    '.value { font-size: 12px; fill: #2c3040; }',
    '.bar { fill: #a9adbd; }',
    '.bar.kgo { fill: #5468d4; }',
    '</style>',
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" rx="10" fill="#ffffff"/>`,
    `<text class="title" x="16" y="26">${escapeXml(chart.title)}</text>`,
    chart.subtitle ? `<text class="subtitle" x="16" y="46">${escapeXml(chart.subtitle)}</text>` : '',
    ...parts,
    '</svg>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n');
}
