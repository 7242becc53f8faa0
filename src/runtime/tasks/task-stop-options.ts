/** How a worker task stops. */
export interface StopOptions {
  /**
   * Whether the task commits its offsets on the way out (default true). False when this worker lost its group
   * membership: another worker may already run the task, and a late commit would move its offsets under it.
   */
  readonly commit?: boolean;
}
