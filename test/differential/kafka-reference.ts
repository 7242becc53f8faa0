/**
 * The Java side: Apache Kafka's own converters and transforms, run by our TransformHarness.java on the jars the
 * development broker uses (src/dev/kafka-jars.ts fetches them from Maven Central). The harness is compiled once
 * into the sluice cache, outside the clone, and recompiled only when its source is newer than the class file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { requireJava, systemWhich } from "../../src/dev/external-programs.ts";
import { withFileLock } from "../../src/dev/file-lock.ts";
import { ensureKafkaJars, kafkaJarsPresent } from "../../src/dev/kafka-jars.ts";
import { brokerLayout, KAFKA_VERSION } from "../../src/dev/kafka-layout.ts";
import { sluiceCacheDir } from "../../src/kafka/native-build.ts";

const SOURCE = join(import.meta.dir, "java", "TransformHarness.java");
const MAIN_CLASS = "TransformHarness";

export interface SideRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ReferenceJob {
  properties: string;
  input: string;
  output: string;
}

async function run(command: string[]): Promise<SideRun> {
  const proc = Bun.spawn(command, { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { exitCode, stdout, stderr };
}

/**
 * `javac`, or where only a JRE is installed (CI installs openjdk-17-jre-headless), the same compiler through the
 * jdk.compiler module that Debian's JRE still ships.
 */
function compilerCommand(java: string): string[] {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, "bin", "javac"))) return [join(home, "bin", "javac")];
  const javac = systemWhich("javac");
  return javac ? [javac] : [java, "-m", "jdk.compiler/com.sun.tools.javac.Main"];
}

/** The classpath for the harness: Kafka's jars plus our compiled class, both made ready on first use. */
export async function referenceClasspath(): Promise<{ java: string; classpath: string }> {
  const layout = brokerLayout();
  if (!kafkaJarsPresent(layout)) await withFileLock(layout.lockFile, () => ensureKafkaJars(layout));
  const java = requireJava();
  const classes = join(sluiceCacheDir(), `differential-harness-kafka-${KAFKA_VERSION}`);
  const classFile = join(classes, `${MAIN_CLASS}.class`);
  if (!existsSync(classFile) || statSync(classFile).mtimeMs <= statSync(SOURCE).mtimeMs) {
    // Compiled aside and renamed into place, so a concurrent test run never loads a half-written class.
    const staging = `${classes}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const compiled = await run([
      ...compilerCommand(java),
      "-nowarn",
      "-encoding",
      "UTF-8",
      "-cp",
      // Listed jar by jar: javac run as a module main class does not expand a `libs/*` wildcard.
      readdirSync(layout.libs)
        .filter((name) => name.endsWith(".jar"))
        .map((name) => join(layout.libs, name))
        .join(":"),
      "-d",
      staging,
      SOURCE,
    ]);
    if (compiled.exitCode !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`compiling ${SOURCE} failed:\n${compiled.stdout}${compiled.stderr}`);
    }
    rmSync(classes, { recursive: true, force: true });
    renameSync(staging, classes);
  }
  return { java, classpath: `${join(layout.libs, "*")}:${classes}` };
}

/** The feature version of the JVM that runs the harness (17 for "17.0.15"): float printing changed in JDK 19. */
export async function javaFeatureVersion(): Promise<number> {
  const { stderr } = await run([requireJava(), "-version"]);
  const version = /version "(\d+)(?:\.(\d+))?/.exec(stderr);
  if (!version) throw new Error(`cannot read the Java version from: ${stderr}`);
  // Java 8 and older call themselves "1.8".
  return version[1] === "1" ? Number(version[2]) : Number(version[1]);
}

/**
 * Runs every job in one JVM (the harness's --batch mode): one JVM start instead of one per chain. Each job's
 * output lands in its file; the result maps each properties path to its exit code and error text.
 */
export async function runReference(jobs: readonly ReferenceJob[], listFile: string): Promise<Map<string, SideRun>> {
  const { java, classpath } = await referenceClasspath();
  await Bun.write(listFile, jobs.map((job) => `${job.properties}\t${job.input}\t${job.output}\n`).join(""));
  const batch = await run([
    java,
    "-Xshare:auto",
    "-XX:TieredStopAtLevel=1",
    "-cp",
    classpath,
    MAIN_CLASS,
    "--batch",
    listFile,
  ]);
  if (batch.exitCode !== 0) throw new Error(`TransformHarness --batch failed (${batch.exitCode}):\n${batch.stderr}`);
  const results = new Map<string, SideRun>();
  for (const line of batch.stdout.split("\n").filter(Boolean)) {
    const status = JSON.parse(line) as { properties: string; exitCode: number; stderr: string };
    const job = jobs.find((j) => j.properties === status.properties);
    if (!job) continue;
    results.set(status.properties, {
      exitCode: status.exitCode,
      stdout: readFileSync(job.output, "utf8"),
      stderr: status.stderr,
    });
  }
  return results;
}
