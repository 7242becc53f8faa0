/** What a sink delivered, held against what was produced. */
export interface ArrivalComparison {
  /** Indexes of the produced records that never arrived. */
  readonly missing: readonly number[];
  /** Items that match no produced record. */
  readonly unexpected: readonly unknown[];
  /** Items that arrived again: at-least-once delivery allows them. */
  readonly repeated: number;
}

/**
 * Matches each arrived item to a produced one with Bun.deepEquals, in any order (a sink with several tasks, or
 * several partitions, writes them interleaved). Arrivals usually come in production order, so the item at the same
 * position is tried first and the whole list only when it does not match.
 */
export function compareArrivals(expected: readonly unknown[], arrived: readonly unknown[]): ArrivalComparison {
  const seen = new Array<boolean>(expected.length).fill(false);
  const unexpected: unknown[] = [];
  let repeated = 0;
  arrived.forEach((item, position) => {
    let match = position < expected.length && Bun.deepEquals(expected[position], item) ? position : -1;
    if (match < 0 || seen[match]) {
      const unseen = expected.findIndex((candidate, i) => !seen[i] && Bun.deepEquals(candidate, item));
      match = unseen >= 0 ? unseen : match >= 0 ? match : expected.findIndex((c) => Bun.deepEquals(c, item));
    }
    if (match < 0) unexpected.push(item);
    else if (seen[match]) repeated += 1;
    else seen[match] = true;
  });
  const missing = seen.flatMap((found, index) => (found ? [] : [index]));
  return { missing, unexpected, repeated };
}

/** "3 of 20 produced records never arrived: #4 'value-4', ...; 1 item arrived that was never produced: ...". */
export function describeArrivals(
  comparison: ArrivalComparison,
  expected: readonly unknown[],
  arrivedCount: number,
): string {
  const parts: string[] = [];
  const { missing, unexpected } = comparison;
  if (missing.length > 0) {
    const list = missing.slice(0, 5).map((index) => `#${index} ${show(expected[index])}`);
    parts.push(
      `${missing.length} of ${expected.length} produced records never arrived: ${list.join(", ")}${more(missing.length)}`,
    );
  }
  if (unexpected.length > 0) {
    const list = unexpected.slice(0, 5).map(show);
    parts.push(
      `${unexpected.length} item(s) arrived that match no produced record: ${list.join(", ")}${more(unexpected.length)}`,
    );
  }
  const example = expected.length > 0 ? `; a produced record should arrive as ${show(expected[0])}` : "";
  return `${parts.join("; ")} (readBack() returned ${arrivedCount} item(s)${example})`;
}

function more(count: number): string {
  return count > 5 ? `, and ${count - 5} more` : "";
}

/** One line, cut at 120 characters: a failure message stays readable whatever the records hold. */
export function show(value: unknown): string {
  const text = Bun.inspect(value, { depth: 4 }).replace(/\s*\n\s*/g, " ");
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
