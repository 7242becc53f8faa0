/** Shared helpers for tests that talk to the development Kafka broker (started by test/preload.ts). */
import { BOOTSTRAP as DEV_BOOTSTRAP } from "../src/dev/kafka-layout.ts";

/** The development broker's bootstrap address, "127.0.0.1:9092". */
export const BOOTSTRAP: string = DEV_BOOTSTRAP;

let sequence = 0;

/**
 * A topic name no other test (in this or a concurrent test run) uses: tests share one long-lived broker, so a
 * fixed name would see records left by earlier runs. Characters Kafka does not allow in names become "-".
 */
export function uniqueTopic(prefix = "test"): string {
  const safe = prefix.replace(/[^a-zA-Z0-9._-]/g, "-").slice(0, 150);
  sequence += 1;
  return `${safe}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}
