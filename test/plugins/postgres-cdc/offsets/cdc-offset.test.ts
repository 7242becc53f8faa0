import { describe, expect, test } from "bun:test";
import {
  snapshotOffset,
  storedPosition,
  streamingOffset,
} from "../../../../plugins/postgres-cdc/offsets/cdc-offset.ts";

describe("offsets in Debezium's keys", () => {
  test("a streaming offset resumes at the last commit, skipping its transaction's stored events", () => {
    const offset = streamingOffset({
      lsn: 500n,
      lastCommitLsn: 400n,
      txId: 77,
      commitMicros: 1_700_000_000_000_000n,
      messageType: "UPDATE",
    });
    expect(offset).toEqual({
      lsn: 500,
      lsn_proc: 500,
      lsn_commit: 400,
      txId: 77,
      ts_usec: 1_700_000_000_000_000,
      messageType: "UPDATE",
    });
    expect(storedPosition(offset)).toEqual({ kind: "streaming", resumeLsn: 400n, txId: 77, lastProcessedLsn: 500n });
  });

  test("before any commit was seen, it resumes at the event itself", () => {
    const offset = streamingOffset({
      lsn: 500n,
      lastCommitLsn: null,
      txId: 7,
      commitMicros: 1n,
      messageType: "INSERT",
    });
    expect(storedPosition(offset)).toMatchObject({ resumeLsn: 500n });
  });

  test("a snapshot that did not finish is taken again; a finished one streams from its consistent point", () => {
    const middle = snapshotOffset({ consistentPoint: 300n, txId: 5, readMicros: 1n, last: false });
    expect(middle).toMatchObject({ snapshot: "INITIAL", last_snapshot_record: false, snapshot_completed: false });
    expect(storedPosition(middle)).toEqual({ kind: "snapshot-incomplete" });
    const last = snapshotOffset({ consistentPoint: 300n, txId: 5, readMicros: 1n, last: true });
    expect(storedPosition(last)).toEqual({ kind: "streaming", resumeLsn: 300n, txId: null, lastProcessedLsn: null });
  });

  test("no offset, and an offset Debezium itself wrote", () => {
    expect(storedPosition(null)).toEqual({ kind: "none" });
    const debezium = {
      lsn_proc: 23_000_000,
      lsn_commit: 22_999_000,
      lsn: 23_000_000,
      txId: 740,
      ts_usec: 1_733_000_000_000_000,
    };
    expect(storedPosition(debezium)).toEqual({
      kind: "streaming",
      resumeLsn: 22_999_000n,
      txId: 740,
      lastProcessedLsn: 23_000_000n,
    });
  });

  test("a stored position that is not a number names the key", () => {
    expect(() => storedPosition({ lsn: "0/16B3748" })).toThrow("'lsn'");
  });
});
