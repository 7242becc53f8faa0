import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { DateParseError, DatePatternError, SimpleDateFormat } from "../../../src/data/transforms/simple-date-format.ts";

// Expected values below were produced by java.text.SimpleDateFormat (JDK 17, en-US, UTC).
const format = (pattern: string, millis: number) => new SimpleDateFormat(pattern).format(millis);
// The two-digit-year window depends on when the format was made: these expectations were taken on 2026-11-26.
const parse = (pattern: string, text: string, now = Date.UTC(2026, 10, 26, 11)) =>
  new SimpleDateFormat(pattern, { now }).parse(text).getTime();

describe("SimpleDateFormat formatting", () => {
  test("numbers, names, padding", () => {
    expect(format("yyyyMMdd", 1483425001864)).toBe("20170103");
    expect(format("yyyy-MM-dd'T'HH:mm:ss.SSSZ", 1483425001864)).toBe("2017-01-03T06:30:01.864+0000");
    expect(format("EEE, d MMM yyyy HH:mm:ss z", 1483425001864)).toBe("Tue, 3 Jan 2017 06:30:01 UTC");
    expect(format("EEEE MMMM dd yy h:mm a", 1483425001864)).toBe("Tuesday January 03 17 6:30 AM");
    expect(format("k K h H", 0)).toBe("24 0 12 0");
    expect(format("X XX XXX zzzz", 0)).toBe("Z Z Z Coordinated Universal Time");
    expect(format("S SS SSS SSSS", 5)).toBe("5 05 005 0005");
    expect(format("MMM M MM MMMMM", 0)).toBe("Jan 1 01 January");
    expect(format("'it''s' yyyy ''", 0)).toBe("it's 1970 '");
  });

  test("week fields with en-US weeks (Sunday first, week 1 holds January 1st)", () => {
    expect(format("YYYY ww u", 1514678400000)).toBe("2018 01 7");
    expect(format("W F D", 1514678400000)).toBe("6 5 365");
  });

  test("eras and the Julian calendar before 1582-10-15", () => {
    expect(format("G yyyy y yy yyyyy YYYY", -62200000000000)).toBe("BC 0003 3 03 00003 -0002");
    expect(format("yyyy-MM-dd", -12219292800001)).toBe("1582-10-04");
    expect(format("yyyy-MM-dd", -12219292800000)).toBe("1582-10-15");
  });

  test("pattern errors in Java's words", () => {
    expect(() => new SimpleDateFormat("q")).toThrow(DatePatternError);
    expect(() => new SimpleDateFormat("q")).toThrow("Illegal pattern character 'q'");
    expect(() => new SimpleDateFormat("XXXX")).toThrow("invalid ISO 8601 format: length=4");
    expect(() => new SimpleDateFormat("'open")).toThrow("Unterminated quote");
  });
});

describe("SimpleDateFormat parsing (lenient, as Java's)", () => {
  test("abutting numeric fields take their width", () => {
    expect(parse("yyyyMMdd", "20170103")).toBe(1483401600000);
    expect(parse("yyyyMMddHHmmss", "20170103101112")).toBe(1483438272000);
  });

  test("out-of-range fields roll over; blanks before fields are skipped; trailing text is ignored", () => {
    expect(parse("yyyy-MM-dd", "2017-13-32")).toBe(1517443200000);
    expect(parse("yyyy-MM-dd'T'HH:mm:ss", "2017-01-03T25:61:61")).toBe(Date.UTC(2017, 0, 4, 2, 2, 1));
    expect(parse("yyyy-MM-dd", "  2017- 1- 3")).toBe(1483401600000);
    expect(parse("yyyy-MM-dd", "2017-01-03T10:00")).toBe(1483401600000);
  });

  test("two-digit years fall in the 100 years from 80 years ago", () => {
    expect(parse("yy-MM-dd", "17-01-03")).toBe(1483401600000);
    expect(parse("yy-MM-dd", "99-01-03")).toBe(915321600000);
    expect(parse("yy-MM-dd", "46-01-03")).toBe(Date.UTC(2046, 0, 3));
    expect(parse("yy-MM-dd", "45-01-03")).toBe(Date.UTC(2045, 0, 3));
    expect(parse("yy-MM-dd", "46-12-03")).toBe(Date.UTC(1946, 11, 3));
    expect(parse("yy-MM-dd", "7-01-03")).toBe(-61946294400000);
    expect(parse("yy-MM-dd", "2017-01-03")).toBe(1483401600000);
  });

  test("zones: RFC 822, ISO 8601, GMT offsets and names", () => {
    const base = "2017-01-03 10:00:00.000";
    expect(parse("yyyy-MM-dd HH:mm:ss.SSS z", `${base} PST`)).toBe(1483466400000);
    expect(parse("yyyy-MM-dd HH:mm:ss.SSS z", `${base} GMT+01:30`)).toBe(1483432200000);
    expect(parse("yyyy-MM-dd HH:mm:ss.SSS z", `${base} GMT+1:30`)).toBe(1483432200000);
    expect(parse("yyyy-MM-dd HH:mm:ss.SSS z", `${base} Coordinated Universal Time`)).toBe(1483437600000);
    expect(parse("yyyy-MM-dd HH:mm:ss.SSS Z", `${base} -0130`)).toBe(1483443000000);
    expect(parse("yyyy-MM-dd HH:mm:ss.SSSX", `${base}Z`)).toBe(1483437600000);
    expect(parse("yyyy-MM-dd HH:mm:ss.SSSX", `${base}+05`)).toBe(1483419600000);
    expect(parse("yyyy-MM-dd HH:mm:ss.SSSXXX", `${base}+05:30`)).toBe(1483417800000);
    expect(() => parse("yyyy-MM-dd HH:mm:ss.SSS Z", `${base} +01:30`)).toThrow(DateParseError);
    expect(() => parse("yyyy-MM-dd HH:mm:ss.SSSXXX", `${base}+0530`)).toThrow(DateParseError);
  });

  test("which of conflicting fields wins", () => {
    expect(parse("yyyy-MM-dd EEE", "2017-01-05 Tue")).toBe(1483574400000);
    expect(parse("EEE", "Tue")).toBe(432000000);
    expect(parse("HH:mm a", "10:00 PM")).toBe(36000000);
    expect(parse("hh:mm a", "01:30 pm")).toBe(Date.UTC(1970, 0, 1, 13, 30));
    expect(parse("hh:mm", "12:30")).toBe(1800000);
    expect(parse("kk:mm", "24:30")).toBe(1800000);
    expect(parse("yyyy MM dd D", "2017 01 01 40")).toBe(1486598400000);
    expect(parse("yyyy D MM dd", "2017 40 01 01")).toBe(1483228800000);
    expect(parse("'Week' w 'of' yyyy", "Week 5 of 2017")).toBe(1485648000000);
  });

  test("names ignore case; eras; the Julian calendar", () => {
    expect(parse("dd MMM yyyy", "03 jan 2017")).toBe(1483401600000);
    expect(parse("dd MMM yyyy", "03 January 2017")).toBe(1483401600000);
    expect(parse("G yyyy-MM-dd", "bc 0001-01-01")).toBe(parse("yyyy-MM-dd", "0000-01-01"));
    expect(parse("yyyy-MM-dd", "1582-10-10")).toBe(-12218860800000);
    expect(parse("yyyy-MM-dd", "-2017-01-03")).toBe(-125818876800000);
  });

  test("text that does not fit is a ParseException in Java's words", () => {
    expect(() => parse("yyyy-MM-dd", "abc")).toThrow('Unparseable date: "abc"');
    expect(() => parse("yyyy-MM-dd HH", "2017-01-03")).toThrow(DateParseError);
    expect(() => parse("dd MM yyyy", "03 Jan 2017")).toThrow(DateParseError);
    // The last field is not bound by its width, so a short day still parses.
    expect(parse("yyyyMMdd", "2017013")).toBe(1483401600000);
  });

  test("format then parse gives the instant back (property)", () => {
    const patterns = [
      "yyyyMMddHHmmssSSS",
      "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
      "G yyyy-MM-dd HH:mm:ss.SSS",
      "EEE, d MMM yyyy HH:mm:ss.SSS Z",
      "dd MMMM yyyy hh:mm:ss.SSS a",
    ].map((p) => new SimpleDateFormat(p));
    fc.assert(
      fc.property(fc.integer({ min: -8e13, max: 2.5e14 }), fc.integer({ min: 0, max: patterns.length - 1 }), (t, i) => {
        const f = patterns[i] as SimpleDateFormat;
        // Before year 1 only the era-aware pattern can round-trip.
        if (t < -62135596800000 && !f.pattern.startsWith("G")) return;
        expect(f.parse(f.format(t)).getTime()).toBe(t);
      }),
    );
  });
});
