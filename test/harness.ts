/**
 * Shared helpers for tests that talk to the development Kafka broker (started by test/preload.ts), Schema Registry
 * and PostgreSQL.
 */
import { beforeAll } from "bun:test";
import { BOOTSTRAP as DEV_BOOTSTRAP } from "../src/dev/kafka-layout.ts";
import { POSTGRES_URL as DEV_POSTGRES_URL } from "../src/dev/postgres-layout.ts";
import { SCHEMA_REGISTRY_URL as DEV_SCHEMA_REGISTRY_URL } from "../src/dev/schema-registry-layout.ts";

/** The development broker's bootstrap address, "127.0.0.1:9092". */
export const BOOTSTRAP: string = DEV_BOOTSTRAP;

/**
 * The development Schema Registry's Confluent-compatible base URL, "http://127.0.0.1:8081/apis/ccompat/v7" (a
 * converter's `schema.registry.url`). Only a test file that calls useSchemaRegistry() may count on it answering.
 */
export const SCHEMA_REGISTRY_URL: string = DEV_SCHEMA_REGISTRY_URL;

let registryStarted: Promise<unknown> | undefined;

/**
 * Makes sure the development Schema Registry runs before the calling file's tests: the preload's hook for the
 * registry, taken lazily, so that only the files that need it pay for it (a few milliseconds when it runs already,
 * as in CI; about 5 s to start it, and a one-time Maven build of about half a minute on a fresh machine).
 */
export function useSchemaRegistry(): void {
  beforeAll(async () => {
    const { ensureSchemaRegistry } = await import("../src/dev/schema-registry.ts");
    registryStarted ??= ensureSchemaRegistry({ quiet: true });
    await registryStarted;
  }, 300_000);
}

/**
 * The development PostgreSQL's URL, "postgres://postgres@127.0.0.1:5432/postgres". Only a test file that calls
 * usePostgres() may count on it answering.
 */
export const POSTGRES_URL: string = DEV_POSTGRES_URL;

let postgresStarted: Promise<unknown> | undefined;

/**
 * Makes sure the development PostgreSQL runs before the calling file's tests, started lazily so that only the files
 * that need it pay for it (milliseconds when it runs already, as in CI; about a second to start it).
 */
export function usePostgres(): void {
  beforeAll(async () => {
    const { ensurePostgres } = await import("../src/dev/postgres.ts");
    postgresStarted ??= ensurePostgres({ quiet: true });
    await postgresStarted;
  }, 120_000);
}

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
