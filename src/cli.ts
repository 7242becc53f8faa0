#!/usr/bin/env bun
/**
 * The `sluice` command: `sluice worker ...` runs a worker, `sluice kafka start|stop|status` manages the local
 * development broker, `sluice registry start|stop|status` the local Schema Registry,
 * `sluice postgres start|stop|status` the local PostgreSQL, `sluice setup` builds the native
 * pieces. `bun run worker ...` is `sluice worker ...`.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import type { ProgressMode } from "./commands/transform-progress.ts";
import { SLUICE_VERSION } from "./commands/version.ts";

/** The development tooling (local broker, native build) runs on Bun only; on Node.js, say so instead of crashing. */
function requireBun(command: string): boolean {
  if (process.versions.bun !== undefined) return true;
  console.error(`sluice: \`${command}\` runs on Bun only: use \`bun run ${command}\` from the clone`);
  process.exitCode = 2;
  return false;
}

const program = new Command()
  .name("sluice")
  .description("A Kafka Connect runtime for Bun")
  .version(SLUICE_VERSION)
  .showHelpAfterError();

program
  .command("worker")
  .description(
    "run a worker: `worker` alone (defaults, local broker), `worker standalone <worker.properties> [connector files...]`, or `worker distributed <worker.properties>`",
  )
  .argument("[mode]", "standalone or distributed")
  .argument("[files...]", "worker.properties, then connector configurations (.properties or .json)")
  .action(async (mode: string | undefined, files: string[]) => {
    const { runWorkerCommand } = await import("./commands/worker/worker-command.ts");
    process.exitCode = await runWorkerCommand(mode, files);
  });

program
  .command("transform")
  .description(
    "dry run: read records (JSON lines) from stdin, write what the connector's converters and transforms make of them",
  )
  .argument("<connector.properties>", "a connector configuration with converters and transforms")
  .option("--topic <topic>", "read this topic's records from Kafka (start to end) instead of stdin")
  .option("--bootstrap-server <servers>", "the Kafka to read --topic from", "localhost:9092")
  .option("--max-records <n>", "stop after this many records of --topic", (value) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError("a non-negative integer");
    return n;
  })
  .addOption(
    new Option(
      "--progress <when>",
      "a progress line on stderr (records, rate; with stdin from a file, percent and ETA): auto draws it when stderr " +
        "is a terminal and stdout is not, always also when stderr is a pipe (a line a second), never draws none",
    )
      .choices(["auto", "always", "never"])
      .default("auto"),
  )
  .action(
    async (
      file: string,
      options: { topic?: string; bootstrapServer: string; maxRecords?: number; progress: ProgressMode },
    ) => {
      const { runTransformCommand } = await import("./commands/transform-command.ts");
      process.exitCode = await runTransformCommand(
        file,
        { topic: options.topic, bootstrapServers: options.bootstrapServer, maxRecords: options.maxRecords },
        { progress: options.progress },
      );
    },
  );

program
  .command("kafka")
  .description("the local development Kafka broker on 127.0.0.1:9092")
  .argument("<action>", "start | stop | status")
  .action(async (action: string) => {
    if (!requireBun("kafka")) return;
    const { runKafkaCommand } = await import("./dev/kafka-broker.ts");
    process.exitCode = await runKafkaCommand([action]);
  });

program
  .command("registry")
  .description("the local development Schema Registry (Confluent's API) at http://127.0.0.1:8081/apis/ccompat/v7")
  .argument("<action>", "start | stop | status")
  .action(async (action: string) => {
    if (!requireBun("registry")) return;
    const { runRegistryCommand } = await import("./dev/schema-registry.ts");
    process.exitCode = await runRegistryCommand([action]);
  });

program
  .command("postgres")
  .description("the local development PostgreSQL (wal_level=logical) at postgres://postgres@127.0.0.1:5432/postgres")
  .argument("<action>", "start | stop | status")
  .action(async (action: string) => {
    if (!requireBun("postgres")) return;
    const { runPostgresCommand } = await import("./dev/postgres.ts");
    process.exitCode = await runPostgresCommand([action]);
  });

program
  .command("setup")
  .description("build librdkafka (cached outside the clone) and fetch what the worker needs")
  .option("--quiet", "say nothing when everything is already in place")
  .action(async (options: { quiet?: boolean }) => {
    if (!requireBun("setup")) return;
    const { runSetupCommand } = await import("./commands/setup-command.ts");
    process.exitCode = await runSetupCommand(options);
  });

await program.parseAsync(process.argv);
