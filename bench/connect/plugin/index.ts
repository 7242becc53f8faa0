/**
 * The benchmark's source connector for sluice, loaded through `plugin.path` as any external plugin is. Same class
 * name as the Java twin, so the harness writes one connector config for both runtimes.
 */
import { OrdersFileSourceConnector } from "./orders-file-source-connector.ts";
import { VERSION } from "./orders-file-source-task.ts";

export const manifests = [
  {
    type: "source" as const,
    className: "io.sluice.bench.OrdersFileSourceConnector",
    aliases: ["OrdersFileSource"],
    version: VERSION,
    create: () => new OrdersFileSourceConnector(),
  },
];
