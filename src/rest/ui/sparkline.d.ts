// This browser module as the worker imports it, its text (`with { type: "text" }`, served by routes/ui.ts), and as
// a test imports it, its DOM-free functions.
declare const text: string;
export default text;

export const SPARKLINE_POINTS: number;
export function sparklinePoints(values: readonly number[], width: number, height: number): string;
