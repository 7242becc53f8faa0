/**
 * The `file` setting as a path, or null for the standard stream. Kafka trims string settings, so a blank value also
 * means the standard stream, and surrounding spaces are not part of the path.
 */
export function pathOrStandardStream(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}
