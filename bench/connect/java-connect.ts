/**
 * Apache Kafka Connect's side: our Java source connector compiled into the cache (with javac, or where only a JRE is
 * installed, the compiler module the JRE ships, as test/differential/kafka-reference.ts does), and the command line
 * that runs ConnectStandalone with the JVM options Kafka's own `connect-standalone.sh` uses.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireJava, systemWhich } from "../../src/dev/external-programs.ts";
import { withFileLock } from "../../src/dev/file-lock.ts";
import { SOURCE_CONNECTOR_CLASS } from "./classes.ts";
import type { ConnectLayout } from "./connect-jars.ts";

const SOURCE = join(import.meta.dir, "java", "OrdersFileSourceConnector.java");

/**
 * KAFKA_HEAP_OPTS and KAFKA_JVM_PERFORMANCE_OPTS as bin/connect-standalone.sh and bin/kafka-run-class.sh set them:
 * what a user who starts Connect from Kafka's distribution runs with.
 */
export const JVM_OPTIONS: readonly string[] = [
  "-Xms256M",
  "-Xmx2G",
  "-server",
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:InitiatingHeapOccupancyPercent=35",
  "-XX:+ExplicitGCInvokesConcurrent",
  "-XX:MaxInlineLevel=15",
  "-Djava.awt.headless=true",
];

function compilerCommand(java: string): string[] {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, "bin", "javac"))) return [join(home, "bin", "javac")];
  const javac = systemWhich("javac");
  return javac ? [javac] : [java, "-m", "jdk.compiler/com.sun.tools.javac.Main"];
}

/** Compiles the connector into `layout.classes` (named after the source's hash) unless it is there already. */
export async function ensureJavaConnector(layout: ConnectLayout): Promise<void> {
  const marker = join(layout.classes, "io", "sluice", "bench", "OrdersFileSourceConnector.class");
  const fresh = () => existsSync(marker) && statSync(marker).mtimeMs > statSync(SOURCE).mtimeMs;
  if (fresh()) return;
  await withFileLock(`${layout.classes}.lock`, async () => {
    if (fresh()) return;
    const java = requireJava();
    // Compiled aside and renamed into place, so a concurrent run never loads a half-written class.
    const staging = `${layout.classes}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    // Listed jar by jar: javac run as a module main class does not expand a `libs/*` wildcard.
    const classpath = readdirSync(layout.libs)
      .filter((name) => name.endsWith(".jar"))
      .map((name) => join(layout.libs, name))
      .join(":");
    const argv = [...compilerCommand(java), "-nowarn", "-encoding", "UTF-8", "-cp", classpath, "-d", staging, SOURCE];
    const proc = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
    const [code, out, err] = await Promise.all([
      proc.exited,
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
    ]);
    if (code !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`compiling ${SOURCE} failed:\n${out}${err}`);
    }
    // The service manifest lets Connect find the plugin with plugin.discovery=service_load (no classpath scan).
    mkdirSync(join(staging, "META-INF", "services"), { recursive: true });
    writeFileSync(
      join(staging, "META-INF", "services", "org.apache.kafka.connect.source.SourceConnector"),
      `${SOURCE_CONNECTOR_CLASS}\n`,
    );
    rmSync(layout.classes, { recursive: true, force: true });
    renameSync(staging, layout.classes);
  });
}

/** `java ... ConnectStandalone worker.properties`: connectors are created over REST, as on the sluice side. */
export function javaWorkerCommand(layout: ConnectLayout, workerProperties: string, log4jConfig: string): string[] {
  return [
    requireJava(),
    ...JVM_OPTIONS,
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    "-cp",
    `${join(layout.libs, "*")}:${layout.classes}`,
    "org.apache.kafka.connect.cli.ConnectStandalone",
    workerProperties,
  ];
}

/** Connect's INFO logging to stdout (which the harness sends to a file), as connect-log4j2.yaml does by default. */
export function log4jProperties(): string {
  return `# Written by sluice's benchmark (bench/connect/java-connect.ts).
status = warn
name = sluice-bench-connect
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
`;
}
