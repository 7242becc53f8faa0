import type { PluginManifest } from "../../../api/plugin.ts";
import { Cast } from "../cast.ts";
import { Drop } from "../drop.ts";
import { ExtractField } from "../extract-field.ts";
import { Flatten } from "../flatten.ts";
import { HoistField } from "../hoist-field.ts";
import { InsertField } from "../insert-field.ts";
import { ReplaceField } from "../replace-field.ts";
import { keyAndValueManifests } from "../util/manifest.ts";

/**
 * The field transforms under Kafka's class names (`org.apache.kafka.connect.transforms.Flatten$Value`, ...) and
 * Confluent's for Drop (`io.confluent.connect.transforms.Drop$Key`), each also accepted by its simple name
 * (`Flatten$Value`, `Drop$Key`).
 */
export const fieldTransformManifests: PluginManifest[] = [
  ...keyAndValueManifests("org.apache.kafka.connect.transforms.Cast", (side) => new Cast(side)),
  ...keyAndValueManifests("org.apache.kafka.connect.transforms.ExtractField", (side) => new ExtractField(side)),
  ...keyAndValueManifests("org.apache.kafka.connect.transforms.Flatten", (side) => new Flatten(side)),
  ...keyAndValueManifests("org.apache.kafka.connect.transforms.HoistField", (side) => new HoistField(side)),
  ...keyAndValueManifests("org.apache.kafka.connect.transforms.InsertField", (side) => new InsertField(side)),
  ...keyAndValueManifests("org.apache.kafka.connect.transforms.ReplaceField", (side) => new ReplaceField(side)),
  ...keyAndValueManifests("io.confluent.connect.transforms.Drop", (side) => new Drop(side)),
];
