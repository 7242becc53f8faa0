import { afterAll, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { debeziumLayout, ensureDebeziumJars, JDBC_PLUGIN, POSTGRES_PLUGIN } from "../../bench/connect/debezium-jars.ts";
import { ConnectError } from "../../src/api/errors.ts";

const root = mkdtempSync(join(tmpdir(), "sluice-debezium-jars-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeMvn(name: string, script: string): string {
  const path = join(root, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A fake `mvn` that copies the named jars into -DoutputDirectory. */
function mvnCopying(name: string, jars: string): string {
  const script =
    'for a in "$@"; do case "$a" in -DoutputDirectory=*) d=$(echo "$a" | cut -d= -f2-);; esac; done\n' +
    `mkdir -p "$d" && cd "$d" && touch ${jars}`;
  return fakeMvn(name, script);
}

test("a failed Maven fetch is reported with its log and leaves no plugin folder behind", async () => {
  const layout = debeziumLayout(join(root, "failed"));
  const mvn = fakeMvn(
    "mvn-fails",
    'echo "[ERROR] Could not find artifact io.debezium:debezium-connector-jdbc"; exit 1',
  );
  const error = await ensureDebeziumJars(layout, { mvn }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectError);
  expect((error as ConnectError).code).toBe("DEBEZIUM_FETCH_FAILED");
  expect((error as ConnectError).message).toContain("mvn exited with code 1");
  expect((error as ConnectError).message).toContain("Could not find artifact");
  expect(existsSync(layout.plugins)).toBe(false);
});

test("a JDBC sink folder without Hibernate or the PostgreSQL driver is a failed fetch", async () => {
  const layout = debeziumLayout(join(root, "incomplete"));
  const mvn = mvnCopying("mvn-incomplete", "debezium-connector-postgres-3.6.1.Final.jar postgresql-42.7.11.jar");
  const error = await ensureDebeziumJars(layout, { mvn }).catch((e: unknown) => e);
  expect((error as ConnectError).code).toBe("DEBEZIUM_FETCH_FAILED");
  expect((error as ConnectError).message).toContain("debezium-connector-jdbc-3.6.0.Final.jar");
  expect((error as ConnectError).message).toContain("hibernate-core-");
  expect(existsSync(layout.plugins)).toBe(false);
});

test("a complete fetch gives one plugin.path folder per connector, from poms that leave out Kafka's own jars", async () => {
  const layout = debeziumLayout(join(root, "ok"));
  const jars =
    "debezium-connector-postgres-3.6.1.Final.jar debezium-connector-jdbc-3.6.0.Final.jar postgresql-42.7.11.jar " +
    "hibernate-core-7.2.6.Final.jar hibernate-agroal-7.2.19.Final.jar";
  await ensureDebeziumJars(layout, { mvn: mvnCopying("mvn-ok", jars) });
  for (const plugin of [POSTGRES_PLUGIN, JDBC_PLUGIN]) {
    expect(existsSync(join(layout.plugins, plugin.folder, `${plugin.artifact}-${plugin.version}.jar`))).toBe(true);
    const pom = readFileSync(join(layout.home, `${plugin.folder}.pom.xml`), "utf8");
    expect(pom).toContain("<groupId>org.apache.kafka</groupId><artifactId>*</artifactId>");
  }
  expect(readFileSync(join(layout.home, "debezium-connector-jdbc.pom.xml"), "utf8")).toContain("com.mysql");
  // A second call must not run Maven at all.
  await ensureDebeziumJars(layout, { mvn: fakeMvn("mvn-never", "exit 9") });
});
