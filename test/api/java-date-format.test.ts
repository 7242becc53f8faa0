import { describe, expect, test } from "bun:test";
import { formatJavaDate } from "../../src/index.ts";

describe("formatJavaDate, java.util.Date.toString() on a JVM in UTC", () => {
  // Each expectation is what `new java.util.Date(millis).toString()` printed on JDK 17 with -Duser.timezone=UTC
  // (and the function agreed with it on 20,000 instants spread over the whole range of a JS Date).
  const cases: [number, string][] = [
    [0, "Thu Jan 01 00:00:00 UTC 1970"],
    [86_399_999, "Thu Jan 01 23:59:59 UTC 1970"],
    [1_709_287_200_123, "Fri Mar 01 10:00:00 UTC 2024"],
    [-1, "Wed Dec 31 23:59:59 UTC 1969"],
    [253_402_300_800_000, "Sat Jan 01 00:00:00 UTC 10000"],
    [8_640_000_000_000_000, "Sat Sep 13 00:00:00 UTC 275760"],
  ];

  test("the Gregorian calendar from 1582-10-15 on", () => {
    for (const [millis, text] of cases) expect([millis, formatJavaDate(new Date(millis))]).toEqual([millis, text]);
    expect(formatJavaDate(new Date(-12_219_292_800_000))).toBe("Fri Oct 15 00:00:00 UTC 1582");
  });

  test("the Julian calendar before, as Java's Date; years before 1 AD as years of the era", () => {
    expect(formatJavaDate(new Date(-12_219_292_800_001))).toBe("Thu Oct 04 23:59:59 UTC 1582");
    expect(formatJavaDate(new Date("0001-01-01T00:00:00Z"))).toBe("Mon Jan 03 00:00:00 UTC 1");
    expect(formatJavaDate(new Date(-62_135_769_600_000))).toBe("Sat Jan 01 00:00:00 UTC 1");
    expect(formatJavaDate(new Date(-62_167_392_000_000))).toBe("Thu Jan 01 00:00:00 UTC 1"); // 1 BC
    expect(formatJavaDate(new Date(-62_167_478_400_000))).toBe("Wed Dec 31 00:00:00 UTC 2"); // 2 BC
    expect(formatJavaDate(new Date(-94_608_000_000_000))).toBe("Sun Jan 08 00:00:00 UTC 1029");
    expect(formatJavaDate(new Date(-8_640_000_000_000_000))).toBe("Tue Nov 20 00:00:00 UTC 271817");
  });

  test("an invalid JS Date, which Java cannot have", () => {
    expect(formatJavaDate(new Date(Number.NaN))).toBe("Invalid Date");
  });
});
