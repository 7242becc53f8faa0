import type { PluginManifest } from "../../api/plugin.ts";
import { TRANSFORMS_VERSION } from "../transforms/util/manifest.ts";
import { HasHeaderKey } from "./has-header-key.ts";
import { RecordIsTombstone } from "./record-is-tombstone.ts";
import { TopicNameMatches } from "./topic-name-matches.ts";

/** The built-in predicates under Kafka's class names, with their simple class names as aliases. */

const PACKAGE = "org.apache.kafka.connect.transforms.predicates";

export const predicateManifests: PluginManifest[] = [
  {
    type: "predicate",
    className: `${PACKAGE}.TopicNameMatches`,
    aliases: ["TopicNameMatches"],
    version: TRANSFORMS_VERSION,
    create: () => new TopicNameMatches(),
  },
  {
    type: "predicate",
    className: `${PACKAGE}.HasHeaderKey`,
    aliases: ["HasHeaderKey"],
    version: TRANSFORMS_VERSION,
    create: () => new HasHeaderKey(),
  },
  {
    type: "predicate",
    className: `${PACKAGE}.RecordIsTombstone`,
    aliases: ["RecordIsTombstone"],
    version: TRANSFORMS_VERSION,
    create: () => new RecordIsTombstone(),
  },
];
