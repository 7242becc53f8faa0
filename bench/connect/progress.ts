/**
 * Progress while the benchmark runs: a cli-progress bar on a terminal (records done in the current step, and which
 * step of how many), plain lines on stderr otherwise (CI, the smoke test), where a bar would be noise.
 */
import { Presets, SingleBar } from "cli-progress";

export interface Progress {
  /** A new step (one runtime's run, or kcat's) of `records` records begins. */
  step(label: string, records: number): void;
  /** Records done in the current step. */
  update(done: number): void;
  /** A line that stays (a finished round). */
  log(line: string): void;
  stop(): void;
}

export function createProgress(totalSteps: number): Progress {
  const tty = process.stderr.isTTY === true;
  let steps = 0;
  if (!tty) {
    return {
      step: (label) => {
        steps++;
        process.stderr.write(`  [${steps}/${totalSteps}] ${label}\n`);
      },
      update: () => {},
      log: (line) => process.stderr.write(`${line}\n`),
      stop: () => {},
    };
  }
  const bar = new SingleBar(
    {
      format: " {bar} {percentage}% | step {step}/{steps} | {label} | {value}/{total} records",
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    step(label, records) {
      steps++;
      const payload = { label, step: steps, steps: totalSteps };
      if (!started) {
        bar.start(records, 0, payload);
        started = true;
      } else {
        bar.setTotal(records);
        bar.update(0, payload);
      }
    },
    update(done) {
      if (started) bar.update(done);
    },
    log(line) {
      // Clears the bar's line, writes ours above it; the bar redraws at its next update.
      process.stderr.write(`\r\x1b[2K${line}\n`);
      if (started) bar.render();
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
