/**
 * One logical replication stream: `START_REPLICATION SLOT ... LOGICAL ...` with pgoutput, read by the task's poll.
 *
 * Pull-based: the server's messages wait in a bounded buffer until read() takes them; past `maxBufferedMessages`
 * or `maxBufferedBytes` the copy stream is paused, postgres.js then stops reading the socket, and TCP holds the
 * server back, so a huge transaction costs a bounded amount of memory however slowly the task reads.
 *
 * Acknowledgement is the caller's: the flush LSN reported to the server (which becomes the slot's
 * confirmed_flush_lsn, where the next stream starts) is only ever what acknowledge() was given, never what merely
 * arrived (unlike postgres.js's `subscribe`, which confirms as soon as JavaScript has the data).
 */
import type { Duplex } from "node:stream";
import postgres, { type Sql } from "postgres";
import { ConnectError, DataError, RetriableError } from "../../../src/index.ts";
import { type PostgresConnectionConfig, postgresOptions } from "./connection-options.ts";
import { formatLsn, INVALID_LSN } from "./lsn.ts";
import { decodePgOutput } from "./pgoutput-decoder.ts";
import type { Lsn, WalMessage } from "./pgoutput-messages.ts";
import { errorText, isConnectionFailure } from "./postgres-errors.ts";
import { slotInUseError } from "./replication-slot.ts";
import { quoteIdentifier, quoteLiteral } from "./sql-quoting.ts";
import {
  PRIMARY_KEEPALIVE,
  readKeepalive,
  standbyStatusUpdate,
  XLOG_DATA,
  XLOG_DATA_HEADER,
  xlogDataStart,
} from "./wal-sender-protocol.ts";

/** Debezium's `status.update.interval.ms` default. */
export const DEFAULT_STATUS_UPDATE_INTERVAL_MS = 10_000;

export interface ReplicationStreamOptions {
  readonly connection: PostgresConnectionConfig;
  /** `slot.name`: an existing pgoutput slot of the database. */
  readonly slotName: string;
  /** `publication.name`. */
  readonly publicationName: string;
  /** Where to start: transactions committed before it are skipped (the slot's confirmed_flush_lsn wins if later). */
  readonly startLsn: Lsn;
  readonly statusUpdateIntervalMs?: number;
  /** Pause reading from the server past this many undelivered messages (default 16384). */
  readonly maxBufferedMessages?: number;
  /** Pause reading from the server past this many undelivered payload bytes (default 16 MiB). */
  readonly maxBufferedBytes?: number;
}

/** An XLogData payload not yet delivered, or (payload null) a keepalive's WAL end, kept in arrival order. */
interface Pending {
  readonly lsn: Lsn;
  readonly payload: Uint8Array | null;
}

const maxLsn = (a: Lsn, b: Lsn): Lsn => (a > b ? a : b);

export class ReplicationStream {
  private readonly pending: (Pending | undefined)[] = [];
  private head = 0;
  private bufferedMessages = 0;
  private bufferedBytes = 0;
  private paused = false;
  private inTransaction = false;
  private serverLsn: Lsn;
  private deliveredLsn: Lsn;
  private acknowledged: Lsn = INVALID_LSN;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;
  private waiter: (() => void) | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly maxMessages: number;
  private readonly maxBytes: number;

  private constructor(
    private readonly sql: Sql,
    private readonly stream: Duplex,
    private readonly options: ReplicationStreamOptions,
  ) {
    this.serverLsn = options.startLsn;
    this.deliveredLsn = options.startLsn;
    this.maxMessages = options.maxBufferedMessages ?? 16_384;
    this.maxBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
    stream.on("data", (chunk: Uint8Array) => this.onData(chunk));
    stream.on("error", (error: unknown) => this.fail(error));
    stream.on("close", () => this.fail(new Error("the replication connection closed")));
    // The server ends the copy itself only when it shuts down; the connection then lives on, idle, so say so.
    stream.on("end", () => this.fail(new Error("the server ended the replication stream")));
    this.timer = setInterval(
      () => this.sendStatus(),
      options.statusUpdateIntervalMs ?? DEFAULT_STATUS_UPDATE_INTERVAL_MS,
    );
    this.timer.unref?.();
    // As Debezium after START_REPLICATION: tell the server at once where the client stands.
    this.sendStatus();
  }

  /** Opens a replication connection and starts streaming from `options.startLsn`. */
  static async start(options: ReplicationStreamOptions): Promise<ReplicationStream> {
    const { connection, slotName, publicationName, startLsn } = options;
    const sql = postgres(postgresOptions(connection, { replication: true }));
    const command =
      `START_REPLICATION SLOT ${quoteIdentifier(slotName)} LOGICAL ${formatLsn(startLsn)} ` +
      `(proto_version '1', publication_names ${quoteLiteral(quoteIdentifier(publicationName))}, messages 'true')`;
    const query = sql.unsafe(command);
    // The query settles only when the copy ends; its outcome is watched through the stream's events.
    query.catch(() => {});
    try {
      const stream = (await query.writable()) as unknown as Duplex;
      return new ReplicationStream(sql, stream, options);
    } catch (error) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw startFailure(options, error);
    }
  }

  /**
   * Up to `maxMessages` decoded messages in WAL order, waiting up to `maxWaitMs` for the first; [] when none came.
   * One read at a time. Rejects with a RetriableError naming the slot once the stream failed (server error, dropped
   * connection): the task restarts and resumes from its committed LSN.
   */
  async read(maxMessages: number, maxWaitMs: number): Promise<WalMessage[]> {
    this.check();
    if (this.bufferedMessages === 0 && maxWaitMs > 0) {
      if (this.waiter !== undefined) throw new ConnectError("ReplicationStream.read was called while a read waits");
      await new Promise<void>((resolve) => {
        const timeout = setTimeout(() => this.wake(), maxWaitMs);
        this.waiter = () => {
          clearTimeout(timeout);
          resolve();
        };
      });
      this.check();
    }
    return this.take(maxMessages);
  }

  /**
   * Records that everything before `lsn` is durably stored (Kafka acknowledged it): the next status update confirms
   * it to the server. Pass a Commit's `endLsn` to skip that transaction on restart. Never moves backwards.
   */
  acknowledge(lsn: Lsn): void {
    this.acknowledged = maxLsn(this.acknowledged, lsn);
  }

  /** The LSN acknowledge() reached, INVALID_LSN before the first. */
  get acknowledgedLsn(): Lsn {
    return this.acknowledged;
  }

  /**
   * The WAL position of the last message read() delivered; a keepalive between transactions moves it to the
   * server's WAL end (so an idle stream's position advances), one inside a transaction does not.
   */
  get lastReceivedLsn(): Lsn {
    return this.deliveredLsn;
  }

  /** Undelivered messages held in memory (at most about maxBufferedMessages plus one socket read). */
  get bufferedCount(): number {
    return this.bufferedMessages;
  }

  /** Undelivered payload bytes held: this stream's buffer plus the copy stream's (postgres.js's) own. */
  get bufferedByteCount(): number {
    return this.bufferedBytes + this.stream.readableLength;
  }

  /** Sends a last status update with the acknowledged LSN, ends the copy and closes the connection. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const stream = this.stream;
    if (this.failure === undefined && !stream.destroyed) {
      this.sendStatus();
      const ended = new Promise<void>((resolve) => {
        stream.once("close", resolve);
        stream.once("finish", resolve);
        stream.once("error", () => resolve());
      });
      // Drain (and drop) what the server still sends until it answers the CopyDone.
      stream.resume();
      stream.end();
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    this.failure ??= new ConnectError(`The replication stream of the slot '${this.options.slotName}' is closed`);
    this.wake();
    await this.sql.end({ timeout: 1 }).catch(() => {});
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  private onData(chunk: Uint8Array): void {
    if (this.closed) return;
    const tag = chunk[0];
    if (tag === XLOG_DATA) {
      const lsn = xlogDataStart(chunk);
      const payload = chunk.subarray(XLOG_DATA_HEADER);
      this.serverLsn = maxLsn(this.serverLsn, lsn);
      this.pending.push({ lsn, payload });
      this.bufferedMessages += 1;
      this.bufferedBytes += payload.length;
      if (!this.paused && (this.bufferedMessages >= this.maxMessages || this.bufferedBytes >= this.maxBytes)) {
        this.paused = true;
        this.stream.pause();
      }
      this.wake();
    } else if (tag === PRIMARY_KEEPALIVE) {
      const keepalive = readKeepalive(chunk);
      this.serverLsn = maxLsn(this.serverLsn, keepalive.walEnd);
      this.pending.push({ lsn: keepalive.walEnd, payload: null });
      if (keepalive.replyRequested) this.sendStatus();
    }
  }

  private take(maxMessages: number): WalMessage[] {
    const out: WalMessage[] = [];
    const pending = this.pending;
    while (out.length < maxMessages && this.head < pending.length) {
      const entry = pending[this.head] as Pending;
      pending[this.head] = undefined;
      this.head += 1;
      if (entry.payload === null) {
        if (!this.inTransaction) this.deliveredLsn = maxLsn(this.deliveredLsn, entry.lsn);
        continue;
      }
      this.bufferedMessages -= 1;
      this.bufferedBytes -= entry.payload.length;
      const message = this.decode(entry);
      if (message.tag === "begin") this.inTransaction = true;
      else if (message.tag === "commit") this.inTransaction = false;
      this.deliveredLsn = maxLsn(this.deliveredLsn, entry.lsn);
      out.push({ lsn: entry.lsn, message });
    }
    if (this.head === pending.length) {
      pending.length = 0;
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > pending.length) {
      pending.splice(0, this.head);
      this.head = 0;
    }
    if (this.paused && this.bufferedMessages <= this.maxMessages / 2 && this.bufferedBytes <= this.maxBytes / 2) {
      this.paused = false;
      this.stream.resume();
    }
    return out;
  }

  private decode(entry: Pending): WalMessage["message"] {
    try {
      return decodePgOutput(entry.payload as Uint8Array);
    } catch (error) {
      throw new DataError(
        `Cannot decode the message at LSN ${formatLsn(entry.lsn)} of the replication slot '${this.options.slotName}': ` +
          errorText(error),
        { cause: error },
      );
    }
  }

  /** write = the latest WAL position the server sent; flush = apply = what the caller acknowledged. */
  private sendStatus(): void {
    const stream = this.stream;
    if (this.failure !== undefined || stream.destroyed || !stream.writable) return;
    stream.write(standbyStatusUpdate(this.serverLsn, this.acknowledged, this.acknowledged));
  }

  private fail(cause: unknown): void {
    if (this.failure !== undefined || this.closed) return;
    const { connection, slotName, publicationName } = this.options;
    this.failure = new RetriableError(
      `Streaming from the replication slot '${slotName}' (publication '${publicationName}') on ` +
        `${connection.hostname}:${connection.port} stopped: ${errorText(cause)}`,
      { cause },
    );
    clearInterval(this.timer);
    this.wake();
    this.sql.end({ timeout: 0 }).catch(() => {});
  }
}

function startFailure(options: ReplicationStreamOptions, error: unknown): Error {
  const { connection, slotName } = options;
  const code = (error as { code?: unknown }).code;
  if (code === "55006") {
    const pid = /PID (\d+)/.exec(errorText(error))?.[1];
    return slotInUseError(slotName, pid === undefined ? null : Number(pid), error);
  }
  const message =
    `Cannot start streaming from the replication slot '${slotName}' at ${formatLsn(options.startLsn)} on ` +
    `${connection.hostname}:${connection.port} (database '${connection.dbname}'): ${errorText(error)}`;
  return isConnectionFailure(error)
    ? new RetriableError(message, { cause: error })
    : new ConnectError(message, { cause: error });
}
