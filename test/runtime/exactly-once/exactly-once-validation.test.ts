/**
 * Kafka's DistributedHerder checks of a source connector's exactly-once keys, through validateConnectorConfig as the
 * herders call it: each worker mode, each answer a connector can give, and Kafka's messages on the right key.
 */
import { describe, expect, test } from "bun:test";
import { AbstractConfig, ConfigDef } from "../../../src/api/config-def.ts";
import { ConnectError } from "../../../src/api/errors.ts";
import { ConnectorTransactionBoundaries, type ExactlyOnceSupport } from "../../../src/api/exactly-once.ts";
import type { PluginManifest } from "../../../src/api/plugin.ts";
import { SourceConnector, type SourceTask } from "../../../src/api/source.ts";
import { distributedConfigDef } from "../../../src/runtime/config/distributed-config.ts";
import type { ExactlyOnceSourceSupport } from "../../../src/runtime/config/exactly-once-config.ts";
import { standaloneConfigDef } from "../../../src/runtime/config/worker-config.ts";
import type { ConfigInfos } from "../../../src/runtime/herders/config-infos.ts";
import {
  configErrorsMessage,
  validateConnectorConfig,
  workerLimits,
} from "../../../src/runtime/herders/connector-validation.ts";
import { PluginRegistry, RUNTIME_MANIFESTS } from "../../../src/runtime/plugins/plugin-registry.ts";

const NOT_ENABLED = "This worker does not have exactly-once source support enabled.";
const NO_ANSWER =
  "The connector does not implement the API required for preflight validation of exactly-once source support. " +
  "Please consult the documentation for the connector to determine whether it supports exactly-once semantics, and " +
  'then consider reconfiguring the connector to use the value "requested" for this property (which will disable ' +
  "this preflight check and allow the connector to be created).";
const UNSUPPORTED = "The connector does not support exactly-once semantics with the provided configuration.";
const NO_BOUNDARIES =
  "The connector does not support connector-defined transaction boundaries with the given configuration. Please " +
  "reconfigure it to use a different transaction boundary definition.";
const NULL_BOUNDARIES =
  "This connector has returned a null value from its canDefineTransactionBoundaries method, which is not " +
  "permitted. The connector will be treated as if it cannot define its own transaction boundaries, and cannot be " +
  "configured with 'transaction.boundary' set to 'connector'.";

/** What the connectors below were asked, with which configuration. */
const asked: { method: string; config: Readonly<Record<string, string>> }[] = [];

/** A source connector whose exactly-once answers are given (a function that throws, or a value to return). */
function answering(
  className: string,
  exactlyOnce: () => ExactlyOnceSupport | null,
  boundaries: () => ConnectorTransactionBoundaries = () => ConnectorTransactionBoundaries.UNSUPPORTED,
): PluginManifest {
  class Answering extends SourceConnector {
    version = () => "1";
    start() {}
    taskConfigs = () => [];
    stop() {}
    taskClass = () => null as unknown as new () => SourceTask;
    config = () => new ConfigDef();
    override exactlyOnceSupport(config: Readonly<Record<string, string>>) {
      asked.push({ method: "exactlyOnceSupport", config });
      return exactlyOnce();
    }
    override canDefineTransactionBoundaries(config: Readonly<Record<string, string>>) {
      asked.push({ method: "canDefineTransactionBoundaries", config });
      return boundaries();
    }
  }
  return { type: "source", className, version: "1", create: () => new Answering() };
}

/** A connector from before these hooks: neither method exists. */
class Legacy extends SourceConnector {
  version = () => "1";
  start() {}
  taskConfigs = () => [];
  stop() {}
  taskClass = () => null as unknown as new () => SourceTask;
  config = () => new ConfigDef();
}
Object.assign(Legacy.prototype, { exactlyOnceSupport: undefined, canDefineTransactionBoundaries: undefined });

const plugins = new PluginRegistry([
  ...RUNTIME_MANIFESTS,
  answering("test.Supported", () => "SUPPORTED"),
  answering("test.Unsupported", () => "UNSUPPORTED"),
  answering("test.Unknown", () => null),
  answering("test.Strange", () => "MAYBE" as ExactlyOnceSupport),
  answering(
    "test.Throws",
    () => {
      throw new ConnectError("  cannot reach the source ");
    },
    () => {
      throw new ConnectError("cannot tell");
    },
  ),
  answering(
    "test.ThrowsBare",
    () => {
      throw new Error("");
    },
    () => null as unknown as ConnectorTransactionBoundaries,
  ),
  answering(
    "test.Boundaries",
    () => "SUPPORTED",
    () => "SUPPORTED",
  ),
  { type: "source", className: "test.Legacy", version: "1", create: () => new Legacy() },
]);

function validate(
  mode: ExactlyOnceSourceSupport | null,
  config: Record<string, string>,
): { infos: ConfigInfos; errors: (key: string) => readonly string[] } {
  asked.length = 0;
  const { infos } = validateConnectorConfig(
    plugins,
    { name: "c", ...config },
    {},
    {
      tasksMax: 1000,
      exactlyOnceSource: mode,
    },
  );
  const errors = (key: string) => infos.configs.find((c) => c.value?.name === key)?.value?.errors ?? [];
  return { infos, errors };
}

describe("exactly.once.support=required on a distributed worker", () => {
  test("with exactly-once enabled, a connector that answers SUPPORTED passes", () => {
    const { infos } = validate("enabled", { "connector.class": "test.Supported", "exactly.once.support": "required" });
    expect(infos.error_count).toBe(0);
    expect(asked.map((a) => a.method)).toEqual(["exactlyOnceSupport"]);
  });

  test("any other answer is an error on exactly.once.support, in Kafka's words", () => {
    const cases: [string, string][] = [
      ["test.Unknown", NO_ANSWER],
      ["test.Legacy", NO_ANSWER],
      ["test.Unsupported", UNSUPPORTED],
      [
        "test.Strange",
        "An unexpected error occurred during validation: Unexpected value returned from SourceConnector::exactlyOnceSupport: MAYBE",
      ],
      ["test.Throws", "An unexpected error occurred during validation: cannot reach the source"],
      [
        "test.ThrowsBare",
        "An unexpected error occurred during validation; please see the worker logs for more details.",
      ],
    ];
    for (const [connector, message] of cases) {
      const { infos, errors } = validate("enabled", {
        "connector.class": connector,
        "exactly.once.support": "REQUIRED",
      });
      expect({ connector, errors: errors("exactly.once.support") }).toEqual({ connector, errors: [message] });
      expect(infos.error_count).toBe(1);
    }
  });

  test("the connector gets the configuration as submitted", () => {
    const config = { "connector.class": "test.Supported", "exactly.once.support": "required", extra: "x" };
    validate("enabled", config);
    expect(asked[0]?.config).toEqual({ name: "c", ...config });
  });

  test("a worker with preparing or disabled refuses it, and Kafka still asks the connector", () => {
    for (const mode of ["preparing", "disabled"] as const) {
      const supported = validate(mode, { "connector.class": "test.Supported", "exactly.once.support": "required" });
      expect(supported.errors("exactly.once.support")).toEqual([NOT_ENABLED]);
      const unsupported = validate(mode, { "connector.class": "test.Unsupported", "exactly.once.support": "required" });
      expect(unsupported.errors("exactly.once.support")).toEqual([NOT_ENABLED, UNSUPPORTED]);
      expect(unsupported.infos.error_count).toBe(2);
    }
  });

  test("requested (the default) asks nothing and passes on any worker", () => {
    for (const mode of ["enabled", "preparing", "disabled"] as const) {
      expect(validate(mode, { "connector.class": "test.Unsupported" }).infos.error_count).toBe(0);
      const requested = { "connector.class": "test.Unknown", "exactly.once.support": "requested" };
      expect(validate(mode, requested).infos.error_count).toBe(0);
    }
    expect(asked).toEqual([]);
  });

  test("a value that does not parse gets only its parse error; the connector is not asked", () => {
    const { errors } = validate("enabled", { "connector.class": "test.Unsupported", "exactly.once.support": "maybe" });
    expect(errors("exactly.once.support")).toEqual([
      "Invalid value maybe for configuration exactly.once.support: String must be one of (case insensitive): REQUIRED, REQUESTED",
    ]);
    expect(asked).toEqual([]);
  });
});

describe("transaction.boundary=connector on a distributed worker", () => {
  test("needs a connector that can define transaction boundaries, whatever the worker's setting", () => {
    for (const mode of ["enabled", "preparing", "disabled"] as const) {
      const unsupported = validate(mode, { "connector.class": "test.Supported", "transaction.boundary": "Connector" });
      expect(unsupported.errors("transaction.boundary")).toEqual([NO_BOUNDARIES]);
      expect(unsupported.errors("exactly.once.support")).toEqual([]);
      const legacy = validate(mode, { "connector.class": "test.Legacy", "transaction.boundary": "connector" });
      expect(legacy.errors("transaction.boundary")).toEqual([NO_BOUNDARIES]);
      const supported = validate(mode, { "connector.class": "test.Boundaries", "transaction.boundary": "connector" });
      expect(supported.infos.error_count).toBe(0);
    }
  });

  test("a null answer and a connector that throws have Kafka's own messages", () => {
    const nullAnswer = validate("enabled", {
      "connector.class": "test.ThrowsBare",
      "transaction.boundary": "connector",
    });
    expect(nullAnswer.errors("transaction.boundary")).toEqual([NULL_BOUNDARIES]);
    const throws = validate("enabled", { "connector.class": "test.Throws", "transaction.boundary": "connector" });
    expect(throws.errors("transaction.boundary")).toEqual([
      "An unexpected error occurred during validation: cannot tell",
    ]);
  });

  test("poll and interval ask nothing; an interval set with another boundary is ignored, as in Kafka", () => {
    const config = {
      "connector.class": "test.Unknown",
      "transaction.boundary": "poll",
      "transaction.boundary.interval.ms": "100",
    };
    expect(validate("enabled", config).infos.error_count).toBe(0);
    expect(validate("enabled", { ...config, "transaction.boundary": "interval" }).infos.error_count).toBe(0);
    expect(asked).toEqual([]);
  });
});

describe("other workers and connectors", () => {
  test("a standalone worker checks none of it, as Kafka's standalone herder", () => {
    const config = {
      "connector.class": "test.Unsupported",
      "exactly.once.support": "required",
      "transaction.boundary": "connector",
    };
    expect(validate(null, config).infos.error_count).toBe(0);
    expect(asked).toEqual([]);
  });

  test("the keys still parse on a standalone worker", () => {
    const { errors } = validate(null, {
      "connector.class": "test.Supported",
      "transaction.boundary.interval.ms": "-1",
    });
    expect(errors("transaction.boundary.interval.ms")).toEqual([
      "Invalid value -1 for configuration transaction.boundary.interval.ms: Value must be at least 0",
    ]);
  });

  test("a create or update is refused with every message, in Kafka's order", () => {
    const { infos } = validate("preparing", {
      "connector.class": "test.Unsupported",
      "exactly.once.support": "required",
      "transaction.boundary": "connector",
    });
    expect(configErrorsMessage(infos)).toBe(
      "Connector configuration is invalid and contains the following 3 error(s):\n" +
        `${NOT_ENABLED}\n${UNSUPPORTED}\n${NO_BOUNDARIES}\n` +
        "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
    );
  });

  test("workerLimits reads the mode from the worker's configuration: null for standalone", () => {
    const common = {
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
    };
    const distributed = new AbstractConfig(distributedConfigDef, {
      ...common,
      "group.id": "g",
      "config.storage.topic": "c",
      "offset.storage.topic": "o",
      "status.storage.topic": "s",
      "exactly.once.source.support": "Enabled",
    });
    expect(workerLimits(distributed).exactlyOnceSource).toBe("enabled");
    const standalone = new AbstractConfig(standaloneConfigDef, {
      ...common,
      "offset.storage.file.filename": "/tmp/o",
      "exactly.once.source.support": "enabled",
    });
    expect(workerLimits(standalone).exactlyOnceSource).toBeNull();
  });
});
