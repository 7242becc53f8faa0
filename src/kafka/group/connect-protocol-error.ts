/**
 * The error for bytes that are not a valid Kafka Connect group message (member metadata or assignment), like the
 * SchemaException Kafka's protocol types throw. The message names the field being read, as Kafka's does
 * ("Error reading field 'url': ..."), so a corrupt or foreign payload can be traced to its place.
 */
import { ConnectError } from "../../api/errors.ts";

export class ConnectProtocolError extends ConnectError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: "CONNECT_PROTOCOL_INVALID", cause: options.cause });
  }
}
