import { ConnectError } from "../api/errors.ts";
import { ensureNativePrerequisites } from "../dev/native-prereqs.ts";
import { ensureNativeBuild } from "../dev/setup.ts";

/**
 * `sluice setup [--quiet]`: the system packages the build and the tests need (installed with apt-get as root, a
 * check of a few files otherwise), then the native build of librdkafka (cached outside the clone); 0 when in place.
 */
export async function runSetupCommand(options: { quiet?: boolean }): Promise<number> {
  try {
    await ensureNativePrerequisites();
    const { librdkafka, builtNow } = await ensureNativeBuild({ quiet: options.quiet });
    if (!options.quiet || builtNow) console.error(`librdkafka ready: ${librdkafka}`);
    return 0;
  } catch (error) {
    console.error(`sluice: ${error instanceof ConnectError ? error.message : String(error)}`);
    return 1;
  }
}
