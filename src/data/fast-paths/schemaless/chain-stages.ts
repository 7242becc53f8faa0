import { AbstractConfig } from "../../../api/config-def.ts";
import { CAST_CONFIG_DEF, SPEC_CONFIG } from "../../transforms/cast.ts";
import type { CastSpec } from "../../transforms/cast-spec.ts";
import { parseCastSpec } from "../../transforms/cast-spec.ts";
import { DROP_CONFIG_DEF } from "../../transforms/drop.ts";
import { DELIMITER_CONFIG, FLATTEN_ARRAYS_CONFIG, FLATTEN_CONFIG_DEF } from "../../transforms/flatten.ts";
import {
  EXCLUDE_CONFIG,
  INCLUDE_CONFIG,
  parseRenameMappings,
  RENAMES_CONFIG,
  REPLACE_FIELD_CONFIG_DEF,
} from "../../transforms/replace-field.ts";
import { fieldSyntaxVersionFrom } from "../../transforms/util/config-keys.ts";

/**
 * The transforms the JSON fast path can run, read from a connector's configuration as the transforms themselves
 * read it (the same ConfigDefs and parsers). Anything else (another transform, a `$Key` variant, a predicate,
 * Flatten's `flatten.arrays`, a whole-value Cast, a configuration the transform refuses) means no fast path: the
 * general path runs and reports what it must.
 */
export type FastStage =
  | { readonly kind: "flatten"; readonly delimiter: string }
  | { readonly kind: "cast"; readonly spec: CastSpec }
  | {
      readonly kind: "replace";
      readonly exclude: ReadonlySet<string>;
      readonly include: ReadonlySet<string>;
      readonly renames: ReadonlyMap<string, string>;
    }
  | { readonly kind: "drop" };

type StageKind = FastStage["kind"];

/** Kafka's class names and the simple names of the `$Value` variants (the plugin registry refuses duplicates). */
const KINDS: ReadonlyMap<string, StageKind> = new Map([
  ["org.apache.kafka.connect.transforms.Flatten$Value", "flatten"],
  ["Flatten$Value", "flatten"],
  ["org.apache.kafka.connect.transforms.Cast$Value", "cast"],
  ["Cast$Value", "cast"],
  ["org.apache.kafka.connect.transforms.ReplaceField$Value", "replace"],
  ["ReplaceField$Value", "replace"],
  ["io.confluent.connect.transforms.Drop$Value", "drop"],
  ["Drop$Value", "drop"],
]);

function withPrefix(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(config))
    if (key.startsWith(prefix)) result[key.slice(prefix.length)] = value;
  return result;
}

function stageOf(kind: StageKind, settings: Readonly<Record<string, string>>): FastStage | null {
  switch (kind) {
    case "flatten": {
      const config = new AbstractConfig(FLATTEN_CONFIG_DEF, settings);
      if (config.getBoolean(FLATTEN_ARRAYS_CONFIG)) return null;
      return { kind, delimiter: config.getString(DELIMITER_CONFIG) };
    }
    case "cast": {
      const config = new AbstractConfig(CAST_CONFIG_DEF, settings);
      const spec = parseCastSpec(config.getList(SPEC_CONFIG), fieldSyntaxVersionFrom(config));
      // A whole-value cast of a map always fails; the general path says how.
      return spec.whole === null ? { kind, spec } : null;
    }
    case "replace": {
      const config = new AbstractConfig(REPLACE_FIELD_CONFIG_DEF, settings);
      return {
        kind,
        exclude: new Set(config.getList(EXCLUDE_CONFIG)),
        include: new Set(config.getList(INCLUDE_CONFIG)),
        renames: parseRenameMappings(config.getList(RENAMES_CONFIG)),
      };
    }
    case "drop":
      // Validated only: without a schema, every schema.behavior sets the value to null.
      new AbstractConfig(DROP_CONFIG_DEF, settings);
      return { kind };
  }
}

/** The stages of `transforms=...` in order, or null when the fast path cannot run this chain. */
export function readFastStages(config: Readonly<Record<string, string>>): FastStage[] | null {
  const raw = (config.transforms ?? "").trim();
  const aliases = raw === "" ? [] : raw.split(/\s*,\s*/);
  if (new Set(aliases).size !== aliases.length) return null;
  const stages: FastStage[] = [];
  for (const alias of aliases) {
    // The settings as TransformationChain hands them to the transform: all keys under the prefix but these two.
    const settings = withPrefix(config, `transforms.${alias}.`);
    const kind = KINDS.get((settings.type ?? "").trim());
    if (kind === undefined || (settings.predicate ?? "").trim() !== "") return null;
    delete settings.predicate;
    delete settings.negate;
    let stage: FastStage | null;
    try {
      stage = stageOf(kind, settings);
    } catch {
      return null;
    }
    if (stage === null) return null;
    stages.push(stage);
  }
  return stages;
}
