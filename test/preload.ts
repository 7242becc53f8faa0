/**
 * Runs before every test file: the end-to-end tests need the development Kafka broker, so make sure it runs
 * (a few milliseconds when it already does). SLUICE_SKIP_BROKER=1 skips it for runs of pure unit tests.
 *
 * The development Schema Registry is not started here: most files never use it, and a start costs seconds (a first
 * build, half a minute). A file that needs it calls useSchemaRegistry() from test/harness.ts.
 */
import { ensureBroker } from "../src/dev/kafka-broker.ts";

// In-process workers log at WARN in tests, so that the test output shows failures rather than routine events.
process.env.SLUICE_LOG_LEVEL ??= "WARN";

if (process.env.SLUICE_SKIP_BROKER !== "1") await ensureBroker({ quiet: true });
