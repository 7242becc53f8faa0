/**
 * Wakes the JavaScript event loop when librdkafka has something for it, without polling and without blocking.
 *
 * `rd_kafka_queue_io_event_enable(queue, fd, ...)` makes librdkafka write one byte to `fd` when a queue goes from
 * empty to non-empty (at most once per serve of the queue). The fd is the write end of a pipe (non-blocking, so a
 * librdkafka thread never waits on it); the read end is read by Bun's own I/O (`Bun.file(fd).stream()`), and each
 * read calls `onWake`, which drains the queues with `rd_kafka_queue_poll(queue, 0)`.
 *
 * The reader runs only while someone holds the waker (a send awaiting its reports, a consume, an admin call...),
 * so an idle client does not keep the process alive. Bytes written meanwhile stay in the pipe, and `onWake` runs
 * again as soon as the waker is held, so nothing is missed.
 */
import { dlopen, FFIType, type Pointer, ptr } from "bun:ffi";
import { rdkafka } from "./library.ts";

const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const F_SETFL = 4;

let libc:
  | {
      pipe2(fds: Int32Array, flags: number): number;
      fcntl(fd: number, cmd: number, arg: number): number;
      close(fd: number): number;
    }
  | undefined;

function openLibc(): NonNullable<typeof libc> {
  if (libc === undefined) {
    const { i32 } = FFIType;
    const { symbols } = dlopen("libc.so.6", {
      pipe2: { args: [FFIType.ptr, i32], returns: i32 },
      // fcntl is variadic; an int third argument is passed the same way on the SysV ABI.
      fcntl: { args: [i32, i32, i32], returns: i32 },
      close: { args: [i32], returns: i32 },
    });
    libc = {
      pipe2: (fds, flags) => symbols.pipe2(ptr(fds), flags),
      fcntl: symbols.fcntl,
      close: symbols.close,
    };
  }
  return libc;
}

const STOP_DELAY_MS = 100;

/** The byte librdkafka writes; it copies it, the buffer only has to exist for the call. */
const WAKE_BYTE = new Uint8Array([1]);

export class Waker {
  readonly #readFd: number;
  readonly #writeFd: number;
  readonly #onWake: () => void;
  readonly #queues = new Set<Pointer>();
  #reader: { read(): Promise<{ done: boolean }>; cancel(): Promise<void> } | null = null;
  #holds = 0;
  #closed = false;
  /** Pending stop after the last release: a consume loop releases and holds again at once, keep reading. */
  #stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(onWake: () => void) {
    const c = openLibc();
    const fds = new Int32Array(2);
    if (c.pipe2(fds, O_CLOEXEC) !== 0) throw new Error("pipe2 failed");
    this.#readFd = fds[0] ?? -1;
    this.#writeFd = fds[1] ?? -1;
    // librdkafka writes from its own threads: a full pipe must not block them (a dropped byte is harmless, the
    // queue is drained whole on every wake-up). The read end stays blocking, as Bun's reader expects.
    c.fcntl(this.#writeFd, F_SETFL, O_NONBLOCK);
    this.#onWake = onWake;
  }

  /** Wakes on `queue` from now on; `unwatch` (or `close`) before the queue is destroyed. */
  watch(queue: Pointer): void {
    rdkafka().rd_kafka_queue_io_event_enable(queue, this.#writeFd, WAKE_BYTE, 1);
    this.#queues.add(queue);
  }

  unwatch(queue: Pointer): void {
    if (this.#queues.delete(queue)) rdkafka().rd_kafka_queue_io_event_enable(queue, -1, null, 0);
  }

  /** Starts listening (and keeps the process alive) until the matching `release`. */
  hold(): void {
    if (this.#closed) return;
    if (++this.#holds > 1) return;
    if (this.#stopTimer !== undefined) {
      clearTimeout(this.#stopTimer);
      this.#stopTimer = undefined;
    }
    if (this.#reader === null) this.#start();
  }

  release(): void {
    if (this.#holds === 0 || --this.#holds > 0) return;
    this.#stopTimer = setTimeout(() => {
      this.#stopTimer = undefined;
      if (this.#holds === 0) this.#stop();
    }, STOP_DELAY_MS);
    // The reader keeps the process alive; this timer must not add to that.
    this.#stopTimer.unref();
  }

  get held(): boolean {
    return this.#holds > 0;
  }

  /** Stops waking on every queue and closes the pipe. Call before the queues and the client are destroyed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const queue of [...this.#queues]) this.unwatch(queue);
    this.#holds = 0;
    clearTimeout(this.#stopTimer);
    this.#stop();
    const c = openLibc();
    c.close(this.#writeFd);
    c.close(this.#readFd);
  }

  #start(): void {
    const reader = Bun.file(this.#readFd).stream().getReader();
    this.#reader = reader;
    const next = (): void => {
      reader.read().then(
        ({ done }) => {
          if (this.#reader !== reader) return;
          if (done) {
            this.#reader = null;
            return;
          }
          this.#wake();
          next();
        },
        () => {
          if (this.#reader === reader) this.#reader = null;
        },
      );
    };
    next();
    // Events may have arrived while nobody listened; their byte is in the pipe, but do not wait for the read.
    queueMicrotask(() => {
      if (this.#reader === reader) this.#wake();
    });
  }

  #stop(): void {
    const reader = this.#reader;
    this.#reader = null;
    reader?.cancel().catch(() => {});
  }

  #wake(): void {
    try {
      this.#onWake();
    } catch (error) {
      // A throwing handler must not stop the wake-ups of every later event.
      console.error("sluice: error while handling librdkafka events", error);
    }
  }
}
