/**
 * Debezium's FieldFilterFactory: entries of field.include.list / field.exclude.list are `field` or `topic:field`,
 * compared as exact names (despite the keys' documentation speaking of regular expressions). The exclude list wins
 * when both are set; with neither, every field passes.
 */
export type FieldFilter = (topic: string, field: string) => boolean;

export function createFieldFilter(include: readonly string[], exclude: readonly string[]): FieldFilter {
  if (exclude.length > 0) return listFilter(exclude, false);
  if (include.length > 0) return listFilter(include, true);
  return () => true;
}

function listFilter(entries: readonly string[], include: boolean): FieldFilter {
  const parsed = entries.map((entry) =>
    entry
      .trim()
      .split(":")
      .map((part) => part.trim()),
  );
  return (topic, field) => {
    for (const parts of parsed) {
      if (parts.length === 1 && parts[0] === field) return include;
      if (parts.length === 2 && parts[0] === topic && parts[1] === field) return include;
    }
    return !include;
  };
}
