import type { ConfigValue } from "../../api/config-def.ts";
import { ConfigError, DataError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import { isSchemalessMap } from "../../api/schemaless-map.ts";
import type { Predicate, Transformation } from "../../api/transform.ts";
import { compileMapChainPlan, type MapChainPlan } from "../../data/fast-paths/schemaless/map-chain-plan.ts";
import { compileStructChainPlan, type StructChainPlan } from "../../data/fast-paths/structs/struct-chain-plan.ts";
import { type DescribesStructStage, describesStructStage } from "../../data/transforms/util/struct-stage.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";

/** One configured transform: `transforms.<alias>.*`, with its optional predicate (`transforms.<alias>.predicate`). */
interface TransformationStage<R extends ConnectRecord> {
  readonly alias: string;
  readonly className: string;
  readonly transformation: Transformation<R>;
  readonly predicate: Predicate<R> | null;
  readonly negate: boolean;
}

/** A transform that threw: which one, so the error handler can name the stage and class. */
export class TransformationError extends DataError {
  constructor(
    readonly alias: string,
    readonly className: string,
    cause: unknown,
  ) {
    super(`Transform ${alias} (${className}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      code: "TRANSFORMATION_FAILED",
      cause,
    });
  }
}

/** The keys under `prefix`, with the prefix removed. */
function withPrefix(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(config))
    if (key.startsWith(prefix)) result[key.slice(prefix.length)] = value;
  return result;
}

function aliases(config: Readonly<Record<string, string>>, key: "transforms" | "predicates"): string[] {
  const raw = (config[key] ?? "").trim();
  if (raw === "") return [];
  const list = raw.split(/\s*,\s*/);
  if (new Set(list).size !== list.length) {
    throw new ConfigError(`Invalid value ${raw} for configuration ${key}: Duplicate alias provided.`, { key });
  }
  return list;
}

/**
 * The single message transforms of a connector, configured as Kafka's ConnectorConfig reads them (`transforms`,
 * `transforms.<alias>.type|predicate|negate`, `predicates`, `predicates.<alias>.type`), applied in order. `apply` is
 * synchronous and allocation-free beyond what the transforms themselves do. A chain of the transforms the fast paths
 * cover (Flatten, Cast, ReplaceField, Drop on values, without predicates) also runs as one compiled step, with the
 * transforms' result: per record shape on schemaless map values (map-chain-plan.ts), per schema on Structs
 * (struct-chain-plan.ts).
 */
export class TransformationChain<R extends ConnectRecord = ConnectRecord> {
  private constructor(
    private readonly stages: readonly TransformationStage<R>[],
    private readonly predicates: readonly Predicate<R>[],
    /** The same stages compiled per record shape, for schemaless map values (see map-chain-plan.ts). */
    private readonly valuePlan: MapChainPlan | null,
    /** The same stages compiled per schema, for Struct values (see struct-chain-plan.ts). */
    private readonly structPlan: StructChainPlan | null,
  ) {}

  static readonly EMPTY = new TransformationChain<never>([], [], null, null);

  /** Builds and configures every transform and predicate; throws a ConfigError naming the first bad key. */
  static fromConfig<R extends ConnectRecord>(
    config: Readonly<Record<string, string>>,
    plugins: PluginRegistry,
    options: { readonly compilePlans?: boolean } = {},
  ): TransformationChain<R> {
    const predicates = new Map<string, Predicate<R>>();
    for (const alias of aliases(config, "predicates")) {
      const prefix = `predicates.${alias}.`;
      const type = config[`${prefix}type`];
      if (type === undefined || type.trim() === "") {
        throw new ConfigError(`Missing required configuration "${prefix}type" which has no default value.`, {
          key: `${prefix}type`,
        });
      }
      const predicate = configure(
        `${prefix}type`,
        () => plugins.predicate(type).create() as Predicate<R>,
        (p) => p.configure(withPrefix(config, prefix)),
      );
      predicates.set(alias, predicate);
    }
    const stages: TransformationStage<R>[] = [];
    for (const alias of aliases(config, "transforms")) {
      const prefix = `transforms.${alias}.`;
      const type = config[`${prefix}type`];
      if (type === undefined || type.trim() === "") {
        throw new ConfigError(`Missing required configuration "${prefix}type" which has no default value.`, {
          key: `${prefix}type`,
        });
      }
      const settings = withPrefix(config, prefix);
      const predicateAlias = settings.predicate;
      const negateText = settings.negate;
      delete settings.predicate;
      delete settings.negate;
      let predicate: Predicate<R> | null = null;
      if (predicateAlias !== undefined && predicateAlias.trim() !== "") {
        predicate = predicates.get(predicateAlias.trim()) ?? null;
        if (!predicate) {
          throw new ConfigError(
            `Invalid value ${predicateAlias} for configuration ${prefix}predicate: the predicate is not listed in predicates.`,
            { key: `${prefix}predicate` },
          );
        }
      }
      if (negateText !== undefined && !/^(true|false)$/i.test(negateText.trim())) {
        throw new ConfigError(
          `Invalid value ${negateText} for configuration ${prefix}negate: Expected value to be either true or false`,
          { key: `${prefix}negate` },
        );
      }
      const transformation = configure(
        `${prefix}type`,
        () => plugins.transformation(type).create() as Transformation<R>,
        (t) => t.configure(settings),
      );
      stages.push({
        alias,
        className: type.trim(),
        transformation,
        predicate,
        negate: negateText?.trim().toLowerCase() === "true",
      });
    }
    const compile = options.compilePlans !== false && stages.every((stage) => stage.predicate === null);
    const plan = compile ? compileMapChainPlan(config) : null;
    const structPlan = compile ? compileStructChainPlan(stages.map((stage) => stage.transformation)) : null;
    return new TransformationChain(stages, [...predicates.values()], plan, structPlan);
  }

  /** Validation results of the transform keys, for the connector's validation (each problem on its key). */
  static validate(config: Readonly<Record<string, string>>, plugins: PluginRegistry): ConfigValue[] {
    try {
      TransformationChain.fromConfig(config, plugins).close();
      return [];
    } catch (error) {
      const key = error instanceof ConfigError && error.key ? error.key : "transforms";
      return [
        {
          name: key,
          value: config[key] ?? null,
          recommendedValues: [],
          errors: [(error as Error).message],
          visible: true,
        },
      ];
    }
  }

  /**
   * The transforms, for a fast path that composes them per Struct schema (util/struct-stage.ts): every one of them
   * when each can describe itself and none has a predicate, else null. Empty for an empty chain.
   */
  structStages(): DescribesStructStage[] | null {
    const stages: DescribesStructStage[] = [];
    for (const stage of this.stages) {
      if (stage.predicate !== null || !describesStructStage(stage.transformation)) return null;
      stages.push(stage.transformation);
    }
    return stages;
  }

  get isEmpty(): boolean {
    return this.stages.length === 0;
  }

  /** The record after every transform, or null when one of them dropped it. Throws a TransformationError. */
  apply(record: R): R | null {
    if (this.valuePlan !== null && record.valueSchema === null && isSchemalessMap(record.value)) {
      // One step for the whole chain; undefined leaves the record to the transforms (which may fail on it).
      const value = this.valuePlan(record.value);
      if (value !== undefined) return { ...record, valueSchema: null, value };
    } else if (this.structPlan !== null && record.valueSchema !== null) {
      // One step per schema; undefined leaves the record to the transforms.
      const transformed = this.structPlan(record);
      if (transformed !== undefined) return transformed;
    }
    let current: R | null = record;
    for (const stage of this.stages) {
      if (current === null) return null;
      if (stage.predicate !== null && stage.predicate.test(current) === stage.negate) continue;
      try {
        current = stage.transformation.apply(current);
      } catch (error) {
        throw new TransformationError(stage.alias, stage.className, error);
      }
    }
    return current;
  }

  close(): void {
    for (const stage of this.stages) stage.transformation.close();
    for (const predicate of this.predicates) predicate.close();
  }
}

/** Creates and configures a plugin, turning its ConfigErrors into errors on the prefixed key. */
function configure<T>(typeKey: string, create: () => T, apply: (instance: T) => void): T {
  const prefix = typeKey.slice(0, -"type".length);
  let instance: T;
  try {
    instance = create();
  } catch (error) {
    throw new ConfigError(`Invalid value for configuration ${typeKey}: ${(error as Error).message}`, {
      key: typeKey,
      cause: error,
    });
  }
  try {
    apply(instance);
  } catch (error) {
    if (error instanceof ConfigError) {
      const key = error.key ? `${prefix}${error.key}` : typeKey;
      throw new ConfigError(`${key}: ${error.message}`, { key, cause: error });
    }
    throw error;
  }
  return instance;
}
