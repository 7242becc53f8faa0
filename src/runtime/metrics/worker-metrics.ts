import { DEFAULT_WINDOW, type WindowConfig, WindowedStat } from "./windowed-stat.ts";

/**
 * Kafka's Worker metrics group (`connect-worker-metrics`) for what happens on the main thread: connector and task
 * start-ups, counted where Kafka's Worker counts them (a start that created the connector or task counts as a
 * success even if the task then fails in its own start, as Kafka's does). The counts of connectors and tasks, and
 * of each connector's tasks by state, are read from the worker when measured.
 */
export class StartupCounts {
  private attempts = 0;
  private successes = 0;
  private readonly outcomes: WindowedStat;

  constructor(window: WindowConfig) {
    this.outcomes = new WindowedStat(window);
  }

  record(succeeded: boolean, now = Date.now()): void {
    this.attempts++;
    if (succeeded) this.successes++;
    this.outcomes.record(succeeded ? 1 : 0, now);
  }

  values(prefix: "connector" | "task", now = Date.now()): Record<string, number> {
    const success = this.outcomes.fraction(now);
    const attempted = !Number.isNaN(this.outcomes.avg(now));
    return {
      [`${prefix}-startup-attempts-total`]: this.attempts,
      [`${prefix}-startup-success-total`]: this.successes,
      [`${prefix}-startup-failure-total`]: this.attempts - this.successes,
      [`${prefix}-startup-success-percentage`]: success,
      [`${prefix}-startup-failure-percentage`]: attempted ? 1 - success : 0,
    };
  }
}

export class WorkerStartupMetrics {
  readonly connectors: StartupCounts;
  readonly tasks: StartupCounts;

  constructor(window: WindowConfig = DEFAULT_WINDOW) {
    this.connectors = new StartupCounts(window);
    this.tasks = new StartupCounts(window);
  }

  values(now = Date.now()): Record<string, number> {
    return { ...this.connectors.values("connector", now), ...this.tasks.values("task", now) };
  }
}
