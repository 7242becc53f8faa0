/**
 * The public API of sluice: what a connector, converter or transform author imports. It re-exports `api/` and
 * nothing of the runtime.
 */
export * from "./api/config-def.ts";
export * from "./api/config-provider.ts";
export * from "./api/connector.ts";
export * from "./api/converter.ts";
export { ConnectDate } from "./api/date.ts";
export * from "./api/decimal.ts";
export * from "./api/errors.ts";
export * from "./api/exactly-once.ts";
export * from "./api/headers.ts";
export * from "./api/idle-timer.ts";
export * from "./api/java-date-format.ts";
export { formatDouble, formatFloat } from "./api/java-number-format.ts";
export * from "./api/java-numbers.ts";
export * from "./api/plugin.ts";
export * from "./api/record.ts";
export * from "./api/schema.ts";
export * from "./api/sink.ts";
export * from "./api/source.ts";
export * from "./api/struct.ts";
export * from "./api/time.ts";
export * from "./api/timestamp.ts";
export * from "./api/transform.ts";
export { Values } from "./api/values.ts";
