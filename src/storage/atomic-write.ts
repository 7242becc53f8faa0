import { mkdir, open, rename } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Replaces a file's content so that a crash at any moment leaves either the old or the new content, never a torn
 * file: write a temporary file beside it, fsync it, rename it over the target, fsync the folder.
 */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  const folder = await open(dirname(path), "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
