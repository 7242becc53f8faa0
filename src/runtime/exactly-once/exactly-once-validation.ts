import type { ConfigValue } from "../../api/config-def.ts";
import { ConnectorTransactionBoundaries, ExactlyOnceSupport } from "../../api/exactly-once.ts";
import type { SourceConnector } from "../../api/source.ts";
import { createLogger } from "../../common/logger.ts";
import {
  EXACTLY_ONCE_SUPPORT_CONFIG,
  type ExactlyOnceSourceSupport,
  TRANSACTION_BOUNDARY_CONFIG,
} from "../config/exactly-once-config.ts";

/**
 * The exactly-once checks of Kafka's DistributedHerder.validateSourceConnectorConfig, which its standalone herder
 * does not make: `exactly.once.support=required` needs a worker with `exactly.once.source.support=enabled` and a
 * connector that answers SUPPORTED, and `transaction.boundary=connector` a connector that can define transaction
 * boundaries. Both are checked whatever the worker's setting (Kafka asks the connector even when the worker alone
 * already fails `required`), each only when its key parsed, and the errors go on that key, in Kafka's words.
 */

const log = createLogger("herder");

export function addExactlyOnceSourceErrors(
  connector: SourceConnector,
  config: Readonly<Record<string, string>>,
  values: ReadonlyMap<string, ConfigValue>,
  workerSupport: ExactlyOnceSourceSupport,
): void {
  const support = values.get(EXACTLY_ONCE_SUPPORT_CONFIG);
  if (support && support.errors.length === 0 && parsedChoice(support) === "required") {
    if (workerSupport !== "enabled")
      support.errors.push("This worker does not have exactly-once source support enabled.");
    const problem = askConnector("exactly-once semantics", () => exactlyOnceProblem(connector, config));
    if (problem !== null) support.errors.push(problem);
  }
  const boundary = values.get(TRANSACTION_BOUNDARY_CONFIG);
  if (boundary && boundary.errors.length === 0 && parsedChoice(boundary) === "connector") {
    const problem = askConnector("defining its own transaction boundaries", () => boundariesProblem(connector, config));
    if (problem !== null) boundary.errors.push(problem);
  }
}

function parsedChoice(value: ConfigValue): string {
  return String(value.value).trim().toLowerCase();
}

function exactlyOnceProblem(connector: SourceConnector, config: Readonly<Record<string, string>>): string | null {
  // A plugin built against an older API has no such method: the default's answer, as Java's default method gives.
  const answer = typeof connector.exactlyOnceSupport === "function" ? connector.exactlyOnceSupport(config) : null;
  if (answer === ExactlyOnceSupport.SUPPORTED) return null;
  if (answer === null || answer === undefined) {
    return (
      "The connector does not implement the API required for preflight validation of exactly-once source support. " +
      "Please consult the documentation for the connector to determine whether it supports exactly-once semantics, " +
      'and then consider reconfiguring the connector to use the value "requested" for this property (which will ' +
      "disable this preflight check and allow the connector to be created)."
    );
  }
  if (answer === ExactlyOnceSupport.UNSUPPORTED) {
    return "The connector does not support exactly-once semantics with the provided configuration.";
  }
  throw new Error(`Unexpected value returned from SourceConnector::exactlyOnceSupport: ${String(answer)}`);
}

function boundariesProblem(connector: SourceConnector, config: Readonly<Record<string, string>>): string | null {
  const answer =
    typeof connector.canDefineTransactionBoundaries === "function"
      ? connector.canDefineTransactionBoundaries(config)
      : ConnectorTransactionBoundaries.UNSUPPORTED;
  if (answer === null || answer === undefined) {
    return (
      "This connector has returned a null value from its canDefineTransactionBoundaries method, which is not " +
      "permitted. The connector will be treated as if it cannot define its own transaction boundaries, and cannot " +
      "be configured with 'transaction.boundary' set to 'connector'."
    );
  }
  if (answer === ConnectorTransactionBoundaries.SUPPORTED) return null;
  return (
    "The connector does not support connector-defined transaction boundaries with the given configuration. " +
    "Please reconfigure it to use a different transaction boundary definition."
  );
}

/** Runs one check; a connector that throws gets Kafka's message with its own, and the error in the log. */
function askConnector(what: string, check: () => string | null): string | null {
  try {
    return check();
  } catch (error) {
    log.error(`Failed while validating connector support for ${what}`, error);
    const message = error instanceof Error ? error.message.trim() : String(error ?? "").trim();
    return message === ""
      ? "An unexpected error occurred during validation; please see the worker logs for more details."
      : `An unexpected error occurred during validation: ${message}`;
  }
}
