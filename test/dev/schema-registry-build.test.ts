import { afterAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectError } from "../../src/api/errors.ts";
import { ensureRegistryBuild, registryBuilt } from "../../src/dev/schema-registry-build.ts";
import { patchApplicationProperties, recipeId, registryBuild } from "../../src/dev/schema-registry-layout.ts";

const root = mkdtempSync(join(tmpdir(), "sluice-registry-build-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let scripts = 0;
/** A stand-in for `mvn`: a shell script that receives Maven's arguments, run in the build's project folder. */
function fakeMvn(script: string): string {
  scripts += 1;
  const path = join(root, `mvn-${scripts}`);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

/**
 * Does what Maven does for the recipe: `dependency:get dependency:unpack` extracts the app jar's two files into
 * -DoutputDirectory, `package` leaves target/quarkus-app/quarkus-run.jar. Each run appends its goals to `calls`.
 */
function workingMvn(
  calls: string,
  properties = "quarkus.http.port=8080\\n%prod.quarkus.package.type=legacy-jar",
): string {
  return fakeMvn(`echo "$*" >> ${calls}
for a in "$@"; do case "$a" in -DoutputDirectory=*) out=\${a#-DoutputDirectory=};; esac; done
case "$*" in
  *dependency:unpack*) mkdir -p "$out/META-INF" && echo '<web-app/>' > "$out/META-INF/web.xml" && printf '%b\\n' '${properties}' > "$out/application.properties";;
  *) sleep 0.3; cp src/main/resources/application.properties props.seen; mkdir -p target/quarkus-app && cp props.seen target/quarkus-app/quarkus-run.jar;;
esac`);
}

describe("patchApplicationProperties", () => {
  test("makes a fast-jar and indexes the app jar", () => {
    const patched = patchApplicationProperties(
      "a=1\n%prod.quarkus.package.type=legacy-jar\n%dev.quarkus.package.type=legacy-jar\n",
    );
    expect(patched).toContain("%prod.quarkus.package.type=fast-jar\n");
    expect(patched).toContain("%dev.quarkus.package.type=legacy-jar\n");
    expect(patched).not.toContain("%prod.quarkus.package.type=legacy-jar");
    expect(patched).toContain("quarkus.index-dependency.registry-app.group-id=io.apicurio\n");
    expect(patched).toContain("quarkus.index-dependency.registry-app.artifact-id=apicurio-registry-app\n");
  });

  test("refuses a file it does not know", () => {
    expect(patchApplicationProperties("quarkus.http.port=8080\n")).toBeUndefined();
  });
});

describe("ensureRegistryBuild", () => {
  test("builds once, marks the build, and does not run Maven again", async () => {
    const build = registryBuild(join(root, "ok"));
    const calls = join(root, "ok-calls.txt");
    // What an interrupted build left behind (its process is gone: the lock is free) is cleared away.
    mkdirSync(join(build.home, "build.tmp-4000000", "target"), { recursive: true });
    mkdirSync(join(build.home, "quarkus-app.tmp-4000000"), { recursive: true });
    expect(await ensureRegistryBuild(build, { mvn: workingMvn(calls) })).toEqual({ builtNow: true });
    expect(registryBuilt(build)).toBe(true);
    expect(readFileSync(build.marker, "utf8").trim()).toBe(recipeId());
    // What Quarkus was given: the app jar's properties, patched.
    expect(readFileSync(build.runJar, "utf8")).toContain("%prod.quarkus.package.type=fast-jar");
    const runs = readFileSync(calls, "utf8").trim().split("\n");
    expect(runs).toHaveLength(2);
    expect(runs[0]).toContain(
      "dependency:get dependency:unpack -Dartifact=io.apicurio:apicurio-registry-app:2.4.2.Final",
    );
    expect(runs[0]).toContain("-Dtransitive=false");
    expect(runs[1]).toContain("-DskipDefault package");
    // The project folder is gone; only the app stays.
    expect(readdirSync(build.home).sort()).toEqual(["build.lock", "build.log", "quarkus-app"]);

    expect(await ensureRegistryBuild(build, { mvn: fakeMvn("exit 9") })).toEqual({ builtNow: false });
  });

  test("two concurrent builds run Maven once", async () => {
    const build = registryBuild(join(root, "concurrent"));
    const calls = join(root, "concurrent-calls.txt");
    const mvn = workingMvn(calls);
    const results = await Promise.all([ensureRegistryBuild(build, { mvn }), ensureRegistryBuild(build, { mvn })]);
    expect(results.map((r) => r.builtNow).sort()).toEqual([false, true]);
    expect(readFileSync(calls, "utf8").trim().split("\n")).toHaveLength(2);
  });

  test("a build of another recipe is rebuilt", async () => {
    const build = registryBuild(join(root, "stale"));
    await ensureRegistryBuild(build, { mvn: workingMvn(join(root, "stale-1.txt")) });
    writeFileSync(build.marker, "an-older-recipe\n");
    expect(registryBuilt(build)).toBe(false);
    expect(await ensureRegistryBuild(build, { mvn: workingMvn(join(root, "stale-2.txt")) })).toEqual({
      builtNow: true,
    });
    expect(registryBuilt(build)).toBe(true);
  });

  test("a failing fetch is reported with Maven's log and leaves no app behind", async () => {
    const build = registryBuild(join(root, "fetch-fails"));
    const mvn = fakeMvn('echo "[ERROR] Could not transfer artifact io.apicurio:apicurio-registry-app"; exit 1');
    const error = await ensureRegistryBuild(build, { mvn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe("REGISTRY_BUILD_FAILED");
    expect((error as ConnectError).message).toContain("mvn dependency:get) exited with code 1");
    expect((error as ConnectError).message).toContain("Could not transfer artifact");
    expect((error as ConnectError).message).toContain(`Full log: ${build.log}`);
    expect(existsSync(build.app)).toBe(false);
    expect(readdirSync(build.home).filter((name) => name.startsWith("build.tmp"))).toEqual([]);
  });

  test("a failing package step points at the build log", async () => {
    const build = registryBuild(join(root, "package-fails"));
    const calls = join(root, "package-fails.txt");
    const unpackOnly = workingMvn(calls);
    const mvn = fakeMvn(`case "$*" in
  *dependency:unpack*) exec ${unpackOnly} "$@";;
  *) echo "[ERROR] Unsatisfied dependency for type DynamicConfigStorageAccessor"; exit 1;;
esac`);
    const error = await ensureRegistryBuild(build, { mvn }).catch((e: unknown) => e);
    expect((error as ConnectError).code).toBe("REGISTRY_BUILD_FAILED");
    expect((error as ConnectError).message).toContain("mvn package exited with code 1");
    expect((error as ConnectError).message).toContain("DynamicConfigStorageAccessor");
    expect((error as ConnectError).message).toContain(build.log);
    expect(registryBuilt(build)).toBe(false);
  });

  test("a fetch that extracts nothing is a failure, naming the missing file", async () => {
    const build = registryBuild(join(root, "nothing-extracted"));
    const error = await ensureRegistryBuild(build, { mvn: fakeMvn("exit 0") }).catch((e: unknown) => e);
    expect((error as ConnectError).code).toBe("REGISTRY_BUILD_FAILED");
    expect((error as ConnectError).message).toMatch(
      /META-INF\/web\.xml was not extracted from io\.apicurio:apicurio-registry-app:2\.4\.2\.Final/,
    );
  });

  test("a Maven run that yields no quarkus-run.jar is a failure too", async () => {
    const build = registryBuild(join(root, "empty"));
    const unpackOnly = workingMvn(join(root, "empty.txt"));
    const mvn = fakeMvn(`case "$*" in *dependency:unpack*) exec ${unpackOnly} "$@";; esac`);
    const error = await ensureRegistryBuild(build, { mvn }).catch((e: unknown) => e);
    expect((error as ConnectError).code).toBe("REGISTRY_BUILD_FAILED");
    expect((error as ConnectError).message).toContain("quarkus-run.jar is missing");
  });

  test("an app jar whose application.properties the recipe does not know stops the build", async () => {
    const build = registryBuild(join(root, "unknown-properties"));
    const calls = join(root, "unknown-properties.txt");
    const error = await ensureRegistryBuild(build, { mvn: workingMvn(calls, "quarkus.http.port=8080") }).catch(
      (e: unknown) => e,
    );
    expect((error as ConnectError).code).toBe("REGISTRY_BUILD_FAILED");
    expect((error as ConnectError).message).toContain("not the file this recipe patches");
    // Quarkus never ran.
    expect(readFileSync(calls, "utf8").trim().split("\n")).toHaveLength(1);
  });

  test("missing Maven names the apt package", async () => {
    const build = registryBuild(join(root, "no-mvn"));
    const saved = process.env.PATH;
    process.env.PATH = join(root, "empty-path");
    try {
      const error = await ensureRegistryBuild(build).catch((e: unknown) => e);
      expect((error as ConnectError).code).toBe("COMMAND_MISSING");
      expect((error as ConnectError).message).toContain("apt-get install -y maven");
    } finally {
      process.env.PATH = saved;
    }
  });
});
