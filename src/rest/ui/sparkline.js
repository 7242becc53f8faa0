// A sparkline as inline SVG: a polyline over the last points, scaled to the largest, drawn with DOM calls only.

const SVG = "http://www.w3.org/2000/svg";
export const SPARKLINE_POINTS = 60;

/** The `points` attribute of a polyline for `values` in a `width` × `height` box (0 at the bottom). */
export function sparklinePoints(values, width, height) {
  const max = Math.max(1, ...values);
  const step = width / Math.max(1, SPARKLINE_POINTS - 1);
  const offset = (SPARKLINE_POINTS - values.length) * step;
  return values
    .map((v, i) => `${(offset + i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`)
    .join(" ");
}

export function createSparkline(label) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 120 28");
  svg.setAttribute("class", "sparkline");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  const line = document.createElementNS(SVG, "polyline");
  svg.append(line);
  return svg;
}

export function drawSparkline(svg, values) {
  svg.firstChild.setAttribute("points", sparklinePoints(values, 120, 28));
}
