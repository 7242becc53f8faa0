/**
 * Where the development broker lives and what it is configured with. Everything is outside the clone, under
 * sluiceCacheDir(), so that every clone and CI run on a machine shares one set of jars and one running broker.
 */
import { join } from "node:path";
import { sluiceCacheDir } from "../kafka/native-build.ts";

export const KAFKA_VERSION = "4.1.1";
export const BROKER_HOST = "127.0.0.1";
export const BROKER_PORT = 9092;
export const CONTROLLER_PORT = 9093;
export const BOOTSTRAP = `${BROKER_HOST}:${BROKER_PORT}`;

export interface BrokerLayout {
  host: string;
  port: number;
  controllerPort: number;
  /** `host:port`. */
  bootstrap: string;
  /** `<cache>/kafka-4.1.1`: the Maven project that fetches the jars. */
  home: string;
  pom: string;
  mavenLog: string;
  /** The broker's classpath (`java -cp 'libs/*'`). */
  libs: string;
  /** Written into `libs` after a complete fetch; its absence means "fetch again". */
  libsMarker: string;
  /** `<cache>/kafka-data`: configuration, state and logs of the running broker. */
  dataDir: string;
  /** Kafka's `log.dirs` (topic data and the KRaft metadata log). */
  logDirs: string;
  serverProperties: string;
  log4jConfig: string;
  /** The broker's own output (log4j to stdout, plus JVM errors); the previous run's is kept as `broker.log.1`. */
  logFile: string;
  pidFile: string;
  lockFile: string;
}

/** The development broker's layout; tests pass another cache dir and ports to run a broker of their own. */
export function brokerLayout(
  cacheDir: string = sluiceCacheDir(),
  ports: { port: number; controllerPort: number } = { port: BROKER_PORT, controllerPort: CONTROLLER_PORT },
): BrokerLayout {
  const home = join(cacheDir, `kafka-${KAFKA_VERSION}`);
  const dataDir = join(cacheDir, "kafka-data");
  return {
    host: BROKER_HOST,
    port: ports.port,
    controllerPort: ports.controllerPort,
    bootstrap: `${BROKER_HOST}:${ports.port}`,
    home,
    pom: join(home, "pom.xml"),
    mavenLog: join(home, "mvn.log"),
    libs: join(home, "libs"),
    libsMarker: join(home, "libs", ".sluice-complete"),
    dataDir,
    logDirs: join(dataDir, "kraft-combined-logs"),
    serverProperties: join(dataDir, "server.properties"),
    log4jConfig: join(dataDir, "log4j2.properties"),
    logFile: join(dataDir, "broker.log"),
    pidFile: join(dataDir, "broker.pid"),
    lockFile: join(dataDir, "broker.lock"),
  };
}

/**
 * The broker's classpath. kafka-tools is included for the command-line tools (topics, perf tests). Kafka 4 logs
 * through log4j 2; its Maven dependencies carry log4j-core but no SLF4J binding (the binary distribution adds
 * log4j-slf4j-impl), so without one the broker would log nothing. slf4j-reload4j must not be added: it would route
 * SLF4J to log4j 1 next to the log4j 2 that Kafka configures.
 */
export function pomXml(): string {
  const dependency = (group: string, artifact: string, version: string) =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by sluice (src/dev/kafka-layout.ts): the classpath of the development Kafka broker. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sluice</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependency("org.apache.kafka", "kafka_2.13", KAFKA_VERSION)}
${dependency("org.apache.kafka", "kafka-tools", KAFKA_VERSION)}
${dependency("org.apache.logging.log4j", "log4j-slf4j-impl", "2.24.3")}
  </dependencies>
</project>
`;
}

/** A single-node KRaft cluster (combined broker and controller) on loopback, tuned for tests rather than safety. */
export function serverProperties(layout: BrokerLayout): string {
  return `# Written by sluice (src/dev/kafka-layout.ts) on every start; edits here are lost.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=${layout.host}:${layout.controllerPort}
listeners=PLAINTEXT://${layout.host}:${layout.port},CONTROLLER://${layout.host}:${layout.controllerPort}
advertised.listeners=PLAINTEXT://${layout.host}:${layout.port},CONTROLLER://${layout.host}:${layout.controllerPort}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${layout.logDirs}

# One broker: every internal topic has one replica.
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Fewer offsets partitions than the default 50: the first consumer group of a fresh broker then starts faster.
offsets.topic.num.partitions=10

# Tests join groups all the time; the default 3 s delay would slow every first rebalance.
group.initial.rebalance.delay.ms=0
# Kafka Connect's FileStream connectors (and many tests) produce to topics nobody created.
auto.create.topics.enable=true
delete.topic.enable=true

# A development broker: keep the disk use of benchmarks bounded.
log.retention.hours=6
log.segment.bytes=134217728
log.retention.check.interval.ms=60000
`;
}

/** log4j 2 to stdout (redirected to broker.log), quiet for the per-request loggers. */
export function log4jProperties(): string {
  return `# Written by sluice (src/dev/kafka-layout.ts) on every start.
status = warn
name = sluice-kafka
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = WARN
`;
}
