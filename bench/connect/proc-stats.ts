/**
 * What a worker process costs, read from /proc: CPU time (utime + stime of all its threads, /proc/<pid>/stat) and
 * resident memory (VmRSS now, VmHWM the peak since start, /proc/<pid>/status). Linux only, as the machines are.
 */
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's times (getconf CLK_TCK; 100 on every Linux the project runs on). */
const CLOCK_TICKS = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

/** CPU seconds the process has used so far, user + system. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 (utime, stime) are at 11 and 12 after the state field (3).
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export interface Memory {
  /** VmRSS: resident now. */
  readonly rssBytes: number;
  /** VmHWM: the peak resident size since the process started. */
  readonly peakBytes: number;
}

export function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, "latin1");
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssBytes: kib("VmRSS") * 1024, peakBytes: kib("VmHWM") * 1024 };
}

/** Samples VmRSS every `intervalMs` until stopped; the largest sample is the RSS under load. */
export class RssSampler {
  private max = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    try {
      this.max = Math.max(this.max, memory(this.pid).rssBytes);
    } catch {
      // the process ended between two samples; the ones taken stand
    }
  }

  /** Stops sampling; the largest VmRSS seen. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.max;
  }
}
