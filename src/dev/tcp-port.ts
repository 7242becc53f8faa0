/**
 * Whether a TCP port is taken, for the development services' "is the port free?" check before they start: a service
 * that cannot bind its port dies at startup with a Java stack trace, where this names the port and who to ask.
 */
import type { Socket } from "node:net";
import { connect } from "node:net";

/** Whether something accepts TCP connections at host:port (a server that accepts and stays silent counts). */
export async function isPortOpen(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  let socket: Socket | undefined;
  const open = await new Promise<boolean>((resolve) => {
    socket = connect(port, host);
    socket.setTimeout(timeoutMs);
    socket.once("connect", () => resolve(true));
    socket.once("timeout", () => resolve(true));
    socket.once("error", () => resolve(false));
  });
  socket?.destroy();
  return open;
}
