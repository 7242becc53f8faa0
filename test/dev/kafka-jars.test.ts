import { afterAll, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectError } from "../../src/api/errors.ts";
import { ensureKafkaJars } from "../../src/dev/kafka-jars.ts";
import { brokerLayout } from "../../src/dev/kafka-layout.ts";

const root = mkdtempSync(join(tmpdir(), "sluice-jars-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeMvn(name: string, script: string): string {
  const path = join(root, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

test("a failed Maven fetch is reported with its log and leaves no classpath behind", async () => {
  const layout = brokerLayout(join(root, "failed"));
  const mvn = fakeMvn(
    "mvn-fails",
    'echo "[ERROR] Could not resolve dependencies for project sluice:kafka-broker"; exit 1',
  );
  const error = await ensureKafkaJars(layout, { mvn }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectError);
  expect((error as ConnectError).code).toBe("KAFKA_FETCH_FAILED");
  expect((error as ConnectError).message).toContain("mvn exited with code 1");
  expect((error as ConnectError).message).toContain("Could not resolve dependencies");
  expect(existsSync(layout.libs)).toBe(false);
  // The pom asks for the log4j 2 SLF4J binding, not reload4j (see pomXml()).
  expect(readFileSync(layout.pom, "utf8")).toContain("log4j-slf4j-impl");
  expect(readFileSync(layout.pom, "utf8")).not.toContain("reload4j");
});

test("a Maven run that yields no broker jar is a failure too", async () => {
  const layout = brokerLayout(join(root, "empty"));
  const error = await ensureKafkaJars(layout, { mvn: fakeMvn("mvn-empty", "exit 0") }).catch((e: unknown) => e);
  expect((error as ConnectError).code).toBe("KAFKA_FETCH_FAILED");
  expect((error as ConnectError).message).toContain("kafka_2.13-4.1.1.jar is missing");
});

test("a successful fetch is marked and not repeated", async () => {
  const layout = brokerLayout(join(root, "ok"));
  const script =
    'for a in "$@"; do case "$a" in -DoutputDirectory=*) d=$(echo "$a" | cut -d= -f2-);; esac; done\nmkdir -p "$d" && touch "$d/kafka_2.13-4.1.1.jar"';
  await ensureKafkaJars(layout, { mvn: fakeMvn("mvn-ok", script) });
  expect(existsSync(join(layout.libs, "kafka_2.13-4.1.1.jar"))).toBe(true);
  expect(existsSync(layout.libsMarker)).toBe(true);
  // A second call must not run Maven at all.
  await ensureKafkaJars(layout, { mvn: fakeMvn("mvn-never", "exit 9") });
});
