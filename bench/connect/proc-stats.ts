/**
 * What a worker process costs, read from /proc: CPU time (utime + stime of all its threads, /proc/<pid>/stat) and
 * resident memory (VmRSS now, VmHWM the peak since start, /proc/<pid>/status). Linux only, as the machines are.
 */
import { readdirSync, readFileSync } from "node:fs";

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

/** One thread's CPU seconds (user + system) over a span. */
export interface ThreadCpu {
  /** Its name (/proc/<pid>/task/<tid>/comm: Java's thread names cut to 15 bytes; Bun names few of its threads). */
  readonly name: string;
  readonly cpuSeconds: number;
}

/** CPU seconds used so far by each live thread of the process, by thread id. */
export function threadCpuSeconds(pid: number): Map<number, ThreadCpu> {
  const threads = new Map<number, ThreadCpu>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "latin1");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      threads.set(Number(tid), { name, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return threads;
}

/**
 * The threads that used the most CPU between two snapshots (threads started in between count from zero; threads
 * that ended before `after` are not seen), the busiest first.
 */
export function busiestThreads(
  before: ReadonlyMap<number, ThreadCpu>,
  after: ReadonlyMap<number, ThreadCpu>,
  top = 8,
): ThreadCpu[] {
  const used = [...after].map(([tid, t]) => ({
    name: t.name,
    cpuSeconds: t.cpuSeconds - (before.get(tid)?.cpuSeconds ?? 0),
  }));
  return used.sort((a, b) => b.cpuSeconds - a.cpuSeconds).slice(0, top);
}

/** The machine's CPU time so far, all cores (/proc/stat, in clock ticks): busy (not idle, not waiting) and total. */
export function machineCpuTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "latin1").split("\n", 1)[0] ?? "";
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const total = ticks.slice(0, 8).reduce((sum, t) => sum + t, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

/** Cores kept busy between two machineCpuTicks() readings, out of `cores`. */
export function machineCoresBusy(
  before: { busy: number; total: number },
  after: { busy: number; total: number },
  cores: number,
): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * cores : Number.NaN;
}
