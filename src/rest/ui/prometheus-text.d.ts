// This browser module as the worker imports it, its text (`with { type: "text" }`, served by routes/ui.ts), and as
// a test imports it, its functions.
declare const text: string;
export default text;

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}
export function parsePrometheusText(text: string): Map<string, Sample[]>;
export function taskValue(
  metrics: Map<string, Sample[]>,
  name: string,
  connector: string,
  task: number | string,
): number | undefined;
