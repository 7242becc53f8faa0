/**
 * Kafka's ErrorHandlingMetrics (group `task-error-metrics`): what a task's error handler did, counted where Kafka
 * counts it (RetryWithToleranceOperator, LogReporter, DeadLetterQueueReporter). Each call is one increment on a
 * failing record's path: nothing is counted while records succeed.
 */
export class ErrorMetrics {
  recordFailures = 0;
  recordErrors = 0;
  recordsSkipped = 0;
  retries = 0;
  errorsLogged = 0;
  dlqProduceRequests = 0;
  dlqProduceFailures = 0;
  /** Epoch milliseconds of the last failure; 0 before any (Kafka's initial value). */
  lastErrorTimestamp = 0;

  /** An attempt failed (Kafka's recordFailure). */
  failure(): void {
    this.recordFailures++;
  }

  /** An operation finally failed: the error handler reported it (Kafka's recordError). */
  error(): void {
    this.recordErrors++;
  }

  /** A record was skipped under `errors.tolerance=all`. */
  skipped(): void {
    this.recordsSkipped++;
  }

  retry(): void {
    this.retries++;
  }

  /** A record was marked as failed: its time (Kafka's recordErrorTimestamp in markAsFailed). */
  failedAt(now: number): void {
    this.lastErrorTimestamp = now;
  }

  logged(): void {
    this.errorsLogged++;
  }

  deadLetterQueueRequest(): void {
    this.dlqProduceRequests++;
  }

  deadLetterQueueFailure(): void {
    this.dlqProduceFailures++;
  }

  values(): Record<string, number> {
    return {
      "total-record-failures": this.recordFailures,
      "total-record-errors": this.recordErrors,
      "total-records-skipped": this.recordsSkipped,
      "total-retries": this.retries,
      "total-errors-logged": this.errorsLogged,
      "deadletterqueue-produce-requests": this.dlqProduceRequests,
      "deadletterqueue-produce-failures": this.dlqProduceFailures,
      "last-error-timestamp": this.lastErrorTimestamp,
    };
  }
}
