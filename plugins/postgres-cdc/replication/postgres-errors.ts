/** Reading postgres.js errors: server errors carry a SQLSTATE `code`, network failures a Node code such as ECONNREFUSED. */

/** The error's code (SQLSTATE or network code) and message, for messages that wrap it. */
export function errorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Whether the error is the network's or the connection's (worth retrying), not the server's answer to a command. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  // SQLSTATE class 08 is connection_exception; 57P0x are shutdowns (admin, crash, cannot connect now).
  return /^E[A-Z]/.test(code) || code.startsWith("08") || code.startsWith("57P") || /^CONNECT/.test(code);
}
