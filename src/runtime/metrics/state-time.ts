/**
 * Kafka's StateTracker for a task's running-ratio and pause-ratio: how long the task has been in each state since its
 * metrics began, as a fraction of that whole time (not windowed).
 */
export type TaskState = "unassigned" | "running" | "paused" | "failed" | "restarting" | "destroyed";

export class StateTime {
  private readonly since: number;
  private state: TaskState = "unassigned";
  private enteredAt: number;
  private readonly spent = new Map<TaskState, number>();

  constructor(now: number) {
    this.since = now;
    this.enteredAt = now;
  }

  get current(): TaskState {
    return this.state;
  }

  change(state: TaskState, now: number): void {
    if (state === this.state) return;
    this.spent.set(this.state, (this.spent.get(this.state) ?? 0) + (now - this.enteredAt));
    this.state = state;
    this.enteredAt = now;
  }

  ratio(state: TaskState, now: number): number {
    const total = now - this.since;
    if (total <= 0) return state === this.state ? 1 : 0;
    const inState = (this.spent.get(state) ?? 0) + (state === this.state ? now - this.enteredAt : 0);
    return inState / total;
  }
}
