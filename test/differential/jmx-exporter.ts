import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { requireCommand, runLogged } from "../../src/dev/external-programs.ts";
import { withFileLock } from "../../src/dev/file-lock.ts";
import { withLogTail } from "../../src/dev/say.ts";
import { sluiceCacheDir } from "../../src/kafka/native-build.ts";

/** The Prometheus JMX exporter's Java agent, which turns a JVM's MBeans into Prometheus metrics. */
export const JMX_EXPORTER_VERSION = "1.0.1";

/** The agent's jar, fetched from Maven Central into sluice's cache on first use. */
export async function ensureJmxExporterAgent(): Promise<string> {
  const dir = join(sluiceCacheDir(), "jmx-exporter");
  const jar = join(dir, `jmx_prometheus_javaagent-${JMX_EXPORTER_VERSION}.jar`);
  if (existsSync(jar)) return jar;
  mkdirSync(dir, { recursive: true });
  await withFileLock(join(dir, "fetch.lock"), async () => {
    if (existsSync(jar)) return;
    const log = join(dir, "mvn.log");
    const code = await runLogged(
      requireCommand("mvn", "maven"),
      [
        "-q",
        "-B",
        "dependency:copy",
        `-Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:${JMX_EXPORTER_VERSION}`,
        `-DoutputDirectory=${dir}`,
      ],
      { cwd: dir, logPath: log },
    );
    if (code !== 0 || !existsSync(jar))
      throw new Error(withLogTail(`fetching the JMX exporter failed (mvn exit ${code}).`, log));
  });
  return jar;
}
