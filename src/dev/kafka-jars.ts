/**
 * Fetches the broker's classpath with Maven, once. The jars go into a fresh folder that replaces `libs` only after
 * a complete fetch, so an interrupted run never leaves a half-filled classpath that looks usable.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectError } from "../api/errors.ts";
import { requireCommand, runLogged } from "./external-programs.ts";
import type { BrokerLayout } from "./kafka-layout.ts";
import { KAFKA_VERSION, pomXml } from "./kafka-layout.ts";
import { say, withLogTail } from "./say.ts";

export function kafkaJarsPresent(layout: BrokerLayout): boolean {
  return existsSync(layout.libsMarker);
}

/** Makes sure `layout.libs` holds the broker's jars. The caller holds the broker lock. */
export async function ensureKafkaJars(layout: BrokerLayout, options: { mvn?: string } = {}): Promise<void> {
  if (kafkaJarsPresent(layout)) return;
  const mvn = options.mvn ?? requireCommand("mvn", "maven");
  say(`fetching Apache Kafka ${KAFKA_VERSION} jars through Maven (first run only, about a minute)…`);
  mkdirSync(layout.home, { recursive: true });
  writeFileSync(layout.pom, pomXml());
  writeFileSync(layout.mavenLog, "");
  const staging = `${layout.libs}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const code = await runLogged(
    mvn,
    ["-q", "-B", "-f", layout.pom, "dependency:copy-dependencies", `-DoutputDirectory=${staging}`],
    { cwd: layout.home, logPath: layout.mavenLog },
  );
  const brokerJar = `kafka_2.13-${KAFKA_VERSION}.jar`;
  if (code !== 0 || !existsSync(join(staging, brokerJar))) {
    rmSync(staging, { recursive: true, force: true });
    const why = code !== 0 ? `mvn exited with code ${code}` : `${brokerJar} is missing from its output`;
    throw new ConnectError(withLogTail(`fetching the Kafka jars failed: ${why}.`, layout.mavenLog), {
      code: "KAFKA_FETCH_FAILED",
    });
  }
  writeFileSync(join(staging, ".sluice-complete"), `${KAFKA_VERSION}\n`);
  replaceDir(layout.libs, staging);
  say(`fetched ${readdirSync(layout.libs).filter((name) => name.endsWith(".jar")).length} jars into ${layout.libs}`);
}

/** Puts `fresh` where `target` was. A running broker keeps its open jars, so the old folder can go at once. */
export function replaceDir(target: string, fresh: string): void {
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(fresh, target);
  rmSync(old, { recursive: true, force: true });
}
