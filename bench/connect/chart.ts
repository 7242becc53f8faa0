/**
 * The ratios as an SVG chart, one bar per target, drawn as an advantage (higher is better: sluice / Java for speed,
 * Java / sluice for memory and start-up) on a log scale, with the rounds' range as a whisker and the target as a
 * mark. Plain SVG text, no library: it is a dozen shapes.
 */
import type { Target } from "./report.ts";

const WIDTH = 1040;
const LABEL = 460;
const PLOT = WIDTH - LABEL - 90;
const ROW = 34;
const TOP = 56;
const MIN = 0.03;
const MAX = 100;

function x(value: number): number {
  const clamped = Math.min(MAX, Math.max(MIN, value));
  return LABEL + ((Math.log10(clamped) - Math.log10(MIN)) / (Math.log10(MAX) - Math.log10(MIN))) * PLOT;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function ratioChart(list: readonly Target[], subtitle: string): string {
  const height = TOP + list.length * ROW + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">sluice vs Apache Kafka Connect: advantage per target (higher is better)</text>`,
    `<text x="12" y="40" fill="#555">${xmlEscape(subtitle)}</text>`,
  ];
  for (const tick of [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 25, 100]) {
    const at = x(tick).toFixed(1);
    const stroke = tick === 1 ? "#333" : "#ddd";
    parts.push(`<line x1="${at}" y1="${TOP - 6}" x2="${at}" y2="${TOP + list.length * ROW}" stroke="${stroke}"/>`);
    parts.push(`<text x="${at}" y="${TOP + list.length * ROW + 16}" text-anchor="middle" fill="#555">${tick}×</text>`);
  }
  list.forEach((target, i) => {
    const y = TOP + i * ROW;
    const mid = y + ROW / 2;
    const color = target.met ? "#2e7d32" : "#c62828";
    const { median, min, max } = target.advantage;
    parts.push(`<text x="${LABEL - 8}" y="${mid + 4}" text-anchor="end">${xmlEscape(target.label)}</text>`);
    parts.push(
      `<rect x="${x(MIN)}" y="${mid - 8}" width="${(x(median) - x(MIN)).toFixed(1)}" height="16" fill="${color}" fill-opacity="0.75"/>`,
    );
    parts.push(
      `<line x1="${x(min).toFixed(1)}" y1="${mid}" x2="${x(max).toFixed(1)}" y2="${mid}" stroke="#111" stroke-width="1.5"/>`,
    );
    const goal = x(target.advantageGoal).toFixed(1);
    parts.push(`<line x1="${goal}" y1="${mid - 12}" x2="${goal}" y2="${mid + 12}" stroke="#1565c0" stroke-width="3"/>`);
    parts.push(
      `<text x="${LABEL + PLOT + 8}" y="${mid + 4}" fill="${color}">${median.toFixed(2)}× ${target.met ? "met" : "missed"}</text>`,
    );
  });
  parts.push(
    `<text x="12" y="${height - 8}" fill="#555">bar: median of round-by-round ratios; black line: slowest–fastest round; blue mark: the issue's target</text>`,
  );
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
