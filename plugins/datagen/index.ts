import type { PluginManifest } from "../../src/index.ts";
import { DatagenConnector } from "./datagen-connector.ts";
import { DATAGEN_PLUGIN_VERSION } from "./version.ts";

export { DatagenConnector } from "./datagen-connector.ts";
export { DatagenTask } from "./datagen-task.ts";

export const manifests: PluginManifest[] = [
  {
    type: "source",
    className: "io.sluice.connect.datagen.DatagenConnector",
    aliases: ["Datagen", "DatagenConnector"],
    version: DATAGEN_PLUGIN_VERSION,
    create: () => new DatagenConnector(),
  },
];
