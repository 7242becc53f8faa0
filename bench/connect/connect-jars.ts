/**
 * Apache Kafka Connect 4.1.1 standalone, the reference runtime: its classpath fetched from Maven Central once, into
 * `<cache>/connect-4.1.1/libs` (outside the clone, shared by every clone on the machine). A fresh fetch goes into a
 * staging folder that replaces `libs` only when complete, as the broker's jars do (src/dev/kafka-jars.ts).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireCommand, runLogged } from "../../src/dev/external-programs.ts";
import { withFileLock } from "../../src/dev/file-lock.ts";
import { replaceDir } from "../../src/dev/kafka-jars.ts";
import { KAFKA_VERSION } from "../../src/dev/kafka-layout.ts";
import { withLogTail } from "../../src/dev/say.ts";
import { sluiceCacheDir } from "../../src/kafka/native-build.ts";

/** The same log4j 2 binding the development broker uses (src/dev/kafka-layout.ts says why this one). */
const LOG4J_VERSION = "2.24.3";

export interface ConnectLayout {
  /** `<cache>/connect-4.1.1`. */
  readonly home: string;
  readonly libs: string;
  /**
   * Our compiled source connector (bench/connect/java), in a folder named after a hash of its source: the cache is
   * shared by every clone on the machine, and clones with different versions of the connector must not run (or
   * overwrite) each other's classes.
   */
  readonly classes: string;
}

const JAVA_SOURCE = join(import.meta.dir, "java", "OrdersFileSourceConnector.java");

export function connectLayout(cacheDir: string = sluiceCacheDir()): ConnectLayout {
  const home = join(cacheDir, `connect-${KAFKA_VERSION}`);
  const hash = createHash("sha256").update(readFileSync(JAVA_SOURCE)).digest("hex").slice(0, 12);
  return { home, libs: join(home, "libs"), classes: join(home, `bench-classes-${hash}`) };
}

function pomXml(): string {
  const dependency = (group: string, artifact: string, version: string) =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  const kafka = ["connect-runtime", "connect-file", "connect-json", "connect-transforms"];
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by sluice (bench/connect/connect-jars.ts): Apache Kafka Connect standalone for the benchmark. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sluice</groupId>
  <artifactId>connect-bench</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${kafka.map((artifact) => dependency("org.apache.kafka", artifact, KAFKA_VERSION)).join("\n")}
${dependency("org.apache.logging.log4j", "log4j-core", LOG4J_VERSION)}
${dependency("org.apache.logging.log4j", "log4j-slf4j-impl", LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

const MARKER = ".sluice-complete";

/** Makes sure Connect's jars are in `layout.libs`; fetches them (about a minute) on first use only. */
export async function ensureConnectJars(layout: ConnectLayout = connectLayout(), say = (_: string) => {}) {
  if (existsSync(join(layout.libs, MARKER))) return layout;
  mkdirSync(layout.home, { recursive: true });
  await withFileLock(join(layout.home, "fetch.lock"), async () => {
    if (existsSync(join(layout.libs, MARKER))) return;
    const mvn = requireCommand("mvn", "maven");
    say(`fetching Apache Kafka Connect ${KAFKA_VERSION} through Maven (first run only, about a minute)…`);
    const pom = join(layout.home, "pom.xml");
    const log = join(layout.home, "mvn.log");
    writeFileSync(pom, pomXml());
    writeFileSync(log, "");
    const staging = `${layout.libs}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const args = ["-q", "-B", "-f", pom, "dependency:copy-dependencies", `-DoutputDirectory=${staging}`];
    const code = await runLogged(mvn, args, { cwd: layout.home, logPath: log });
    const runtimeJar = `connect-runtime-${KAFKA_VERSION}.jar`;
    if (code !== 0 || !existsSync(join(staging, runtimeJar))) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(withLogTail(`fetching Kafka Connect failed (mvn exit ${code}).`, log));
    }
    writeFileSync(join(staging, MARKER), `${KAFKA_VERSION}\n`);
    replaceDir(layout.libs, staging);
    say(`fetched ${readdirSync(layout.libs).filter((name) => name.endsWith(".jar")).length} jars into ${layout.libs}`);
  });
  return layout;
}
