/**
 * One chaos run: its own broker and three distributed workers, the verifiable source and sink over several tasks,
 * the faults in turn, then the verdict (see delivery-check.ts and final-state.ts). Everything it starts it stops,
 * whatever happens; the run's folder keeps the logs and the report.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PrivateBroker } from "../private-broker.ts";
import { ChaosCluster } from "./chaos-cluster.ts";
import type { ChaosOptions } from "./chaos-options.ts";
import { type ChaosReport, duplicatesByStep, formatStep, verdictProblems } from "./chaos-report.ts";
import { createConnector } from "./connect-rest.ts";
import { applyFault, type FaultContext, faultTargets, type StepResult } from "./faults.ts";
import { drainAndCheck } from "./final-state.ts";
import { awaitRecovery, type Pipeline } from "./recovery.ts";
import { TopicReader } from "./topic-reader.ts";

export async function runChaos(
  options: ChaosOptions,
  print: (line: string) => void = console.log,
): Promise<ChaosReport> {
  const runStartedAt = performance.now();
  const runStartedEpochMs = Date.now();
  mkdirSync(options.dir, { recursive: true });
  const sinkDir = join(options.dir, "sink");
  mkdirSync(sinkDir, { recursive: true });
  const log = (line: string) => {
    const stamped = `[${((performance.now() - runStartedAt) / 1000).toFixed(1).padStart(6)} s] ${line}`;
    appendFileSync(join(options.dir, "chaos.log"), `${stamped}\n`);
    print(stamped);
  };

  const broker = await PrivateBroker.create(options.dir);
  const group = `chaos-${Date.now().toString(36)}`;
  const cluster = new ChaosCluster(
    options.dir,
    group,
    broker.bootstrap,
    options.timings,
    options.exactlyOnce ? { "exactly.once.source.support": "enabled" } : {},
  );
  const steps: StepResult[] = [];
  let reader: TopicReader | null = null;
  const stopEverything = async () => {
    log("stopping the workers and the broker");
    await reader?.close().catch(() => undefined);
    await cluster.stopAll().catch((error: Error) => log(`stopping the workers: ${error.message}`));
    await broker.stop().catch((error: Error) => log(`stopping the broker: ${error.message}`));
  };
  // Ctrl-C of `bun run chaos`: the broker runs detached and would outlive the run.
  const interrupted = () => void stopEverything().finally(() => process.exit(130));
  process.once("SIGINT", interrupted);
  try {
    log(`starting a broker of the suite's own at ${broker.bootstrap} (data and log in ${broker.layout.dataDir})`);
    await broker.start();
    reader = await TopicReader.create(broker.bootstrap);
    const topic = "verifiable";
    await reader.createTopic(topic, options.partitions);
    log(`starting ${options.workers} distributed workers, group ${group}`);
    await cluster.startAll(options.workers);
    const pipeline: Pipeline = {
      cluster,
      reader,
      topic,
      partitions: options.partitions,
      source: { name: "verifiable-source", tasks: options.sourceTasks },
      sink: { name: "verifiable-sink", tasks: options.sinkTasks },
      transactional: options.exactlyOnce,
    };
    const createdAt = performance.now();
    await createConnector(cluster, pipeline.source.name, {
      "connector.class": "org.apache.kafka.connect.tools.VerifiableSourceConnector",
      "tasks.max": String(options.sourceTasks),
      topic,
      throughput: String(options.throughput),
    });
    await createConnector(cluster, pipeline.sink.name, {
      "connector.class": "org.apache.kafka.connect.tools.VerifiableSinkConnector",
      "tasks.max": String(options.sinkTasks),
      topics: topic,
      "output.dir": sinkDir,
    });
    const started = await awaitRecovery(pipeline, createdAt, options.recoveryTimeoutMs);
    log(`connectors created: ${formatStep({ fault: "start", target: "cluster", ...started })}`);
    if (started.problem !== null) throw new Error(`the connectors never ran: ${started.problem}`);

    const context: FaultContext = { pipeline, broker, options, runStartedAt };
    for (let round = 0; round < options.rounds; round++) {
      for (const kind of options.faults) {
        for (const target of faultTargets(kind, context, round)) {
          const step = await applyFault(kind, target, context);
          steps.push(step);
          log(formatStep(step));
          await Bun.sleep(options.settleMs);
        }
      }
    }

    log("stopping the source, waiting for the sink to commit everything");
    const final = await drainAndCheck(pipeline, sinkDir, options.drainTimeoutMs);
    const { duplicateTimes, ...delivery } = final.delivery;
    const report: ChaosReport = {
      dir: options.dir,
      group,
      bootstrap: broker.bootstrap,
      options,
      durationMs: Math.round(performance.now() - runStartedAt),
      steps,
      ...final,
      delivery,
      duplicatesByStep: duplicatesByStep(duplicateTimes, steps, runStartedEpochMs),
      problems: [],
    };
    const problems = verdictProblems(report);
    const done = { ...report, problems };
    writeFileSync(join(options.dir, "report.json"), `${JSON.stringify(done, null, 2)}\n`);
    return done;
  } finally {
    process.off("SIGINT", interrupted);
    await stopEverything();
  }
}
