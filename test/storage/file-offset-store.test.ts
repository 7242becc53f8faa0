import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../src/api/errors.ts";
import { FileOffsetStore } from "../../src/storage/file-offset-store.ts";
import { partitionKey } from "../../src/storage/offset-store.ts";
import { tempDir } from "../worker-harness.ts";

describe("FileOffsetStore", () => {
  test("offsets survive a restart, per connector, whatever the key order of the partition", async () => {
    const path = join(tempDir(), "nested", "offsets.json");
    const store = new FileOffsetStore(path);
    await store.start();
    await store.set("a", [{ partition: { filename: "/x", n: 1 }, offset: { position: 10 } }]);
    await store.set("b", [{ partition: { filename: "/x", n: 1 }, offset: { position: 99 } }]);
    await store.set("a", [{ partition: { n: 1, filename: "/x" }, offset: { position: 20 } }]);
    await store.stop();

    const reopened = new FileOffsetStore(path);
    await reopened.start();
    const partition = { n: 1, filename: "/x" };
    expect((await reopened.get("a", [partition])).get(partitionKey(partition))).toEqual({ position: 20 });
    expect((await reopened.get("b", [partition])).get(partitionKey(partition))).toEqual({ position: 99 });
    expect((await reopened.get("c", [partition])).size).toBe(0);
    expect(await reopened.all("a")).toEqual([{ partition: { filename: "/x", n: 1 }, offset: { position: 20 } }]);
  });

  test("a null offset removes the partition (Kafka's tombstone)", async () => {
    const path = join(tempDir(), "offsets.json");
    const store = new FileOffsetStore(path);
    await store.start();
    await store.set("a", [{ partition: { p: 1 }, offset: { o: 1 } }]);
    await store.set("a", [{ partition: { p: 1 }, offset: null }]);
    expect(await store.all("a")).toEqual([]);
    expect(JSON.parse(readFileSync(path, "utf8")).offsets).toEqual([]);
  });

  test("writes are atomic: no temporary file is left and the file is always complete JSON", async () => {
    const dir = tempDir();
    const path = join(dir, "offsets.json");
    const store = new FileOffsetStore(path);
    await store.start();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.set("a", [{ partition: { p: i }, offset: { o: i } }])),
    );
    await store.stop();
    expect(readdirSync(dir)).toEqual(["offsets.json"]);
    expect(JSON.parse(readFileSync(path, "utf8")).offsets).toHaveLength(20);
  });

  test("a missing file means no offsets yet", async () => {
    const path = join(tempDir(), "none.json");
    const store = new FileOffsetStore(path);
    await store.start();
    expect(await store.all("a")).toEqual([]);
    expect(existsSync(path)).toBe(false);
  });

  test("a corrupt file is refused with its path and the key, never silently reset", async () => {
    const path = join(tempDir(), "offsets.json");
    writeFileSync(path, "{not json");
    const error = await new FileOffsetStore(path).start().catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(path);
    expect(error.key).toBe("offset.storage.file.filename");
    expect(readFileSync(path, "utf8")).toBe("{not json");
  });

  test("a JSON file of another format is refused", async () => {
    const path = join(tempDir(), "offsets.json");
    writeFileSync(path, '{"hello":1}');
    await expect(new FileOffsetStore(path).start()).rejects.toThrow("not a sluice offsets file");
  });
});
