/**
 * The three Kafka Connect group protocols and how the `connect.protocol` worker setting maps onto them, as in
 * Kafka's ConnectProtocolCompatibility: `eager` is wire name `default` (version 0, ConnectProtocol), `compatible`
 * is `compatible` (version 1) and `sessioned` is `sessioned` (version 2), both IncrementalCooperativeConnectProtocol.
 * A worker offers its own mode and every older one, most preferred first; the group coordinator picks the one all
 * members offer.
 */
import { ConfigError } from "../../api/errors.ts";
import { ConnectProtocolError } from "./connect-protocol-error.ts";

export type ConnectProtocolMode = "eager" | "compatible" | "sessioned";

export interface ConnectProtocolInfo {
  readonly mode: ConnectProtocolMode;
  /** The protocol name in JoinGroup / SyncGroup. */
  readonly name: string;
  /** The version in the header of the metadata and assignments of this protocol. */
  readonly version: number;
}

export const CONNECT_PROTOCOL_V0 = 0;
export const CONNECT_PROTOCOL_V1 = 1;
export const CONNECT_PROTOCOL_V2 = 2;

/** WorkerCoordinator.protocolType(). */
export const CONNECT_PROTOCOL_TYPE = "connect";

const EAGER: ConnectProtocolInfo = { mode: "eager", name: "default", version: CONNECT_PROTOCOL_V0 };
const COMPATIBLE: ConnectProtocolInfo = { mode: "compatible", name: "compatible", version: CONNECT_PROTOCOL_V1 };
const SESSIONED: ConnectProtocolInfo = { mode: "sessioned", name: "sessioned", version: CONNECT_PROTOCOL_V2 };
const ALL: readonly ConnectProtocolInfo[] = [EAGER, COMPATIBLE, SESSIONED];

/** The mode named by a `connect.protocol` value (case-insensitive, as Kafka's compatibility(name)). */
export function connectProtocolMode(value: string): ConnectProtocolMode {
  const found = ALL.find((info) => info.mode === value.toLowerCase());
  if (found === undefined) {
    throw new ConfigError(`Unknown Connect protocol compatibility mode: ${value}`, { key: "connect.protocol" });
  }
  return found.mode;
}

/** The protocol chosen by the group coordinator, from its wire name (case-insensitive, as fromProtocol). */
export function connectProtocolByName(name: string): ConnectProtocolInfo {
  const found = ALL.find((info) => info.name === name.toLowerCase());
  if (found === undefined) {
    throw new ConnectProtocolError(`Not found Connect protocol compatibility mode for protocol: ${name}`);
  }
  return found;
}

/** The protocols a worker in `mode` offers in JoinGroup, in order of preference (metadataRequest). */
export function offeredConnectProtocols(mode: ConnectProtocolMode): readonly ConnectProtocolInfo[] {
  switch (mode) {
    case "sessioned":
      return [SESSIONED, COMPATIBLE, EAGER];
    case "compatible":
      return [COMPATIBLE, EAGER];
    case "eager":
      return [EAGER];
  }
}
