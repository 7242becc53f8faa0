/**
 * Java's `java.text.SimpleDateFormat`, in UTC and with the en-US symbols, as Kafka's TimestampRouter and
 * TimestampConverter use it. Users' `timestamp.format` / `format` values are SimpleDateFormat patterns, so a pattern
 * must format and parse here as it does on the JVM. No npm library does that: the date libraries implement their own
 * pattern languages, and js-joda implements java.time's DateTimeFormatter, whose letters and (strict) parsing
 * differ from SimpleDateFormat's lenient parsing, two-digit-year window, abutting numeric fields and Julian
 * calendar before 1582-10-15.
 *
 * Formatting covers every pattern letter. Parsing covers them all with Java's leniency (out-of-range fields roll over,
 * leading blanks are skipped, trailing text is ignored, the latest of conflicting fields wins); a week year `Y` is
 * read as a calendar year, and zone names other than UTC/GMT and the US abbreviations are not known.
 */

/** Java's IllegalArgumentException from the SimpleDateFormat constructor. */
export class DatePatternError extends Error {
  override name = "DatePatternError";
}

/** Java's ParseException from `DateFormat.parse(String)`. */
export class DateParseError extends Error {
  override name = "DateParseError";
}

const DAY = 86_400_000;
/** 1582-10-15, the first day of the Gregorian calendar in Java's default GregorianCalendar, in days since the epoch. */
const GREGORIAN_CUTOVER_DAY = -141_427;
const PATTERN_LETTERS = "GyMdkHmsSEDFwWahKzZYuXL";
const NUMERIC_FIELDS = "ydkHmsSDFwWhKYu";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const SHORT_MONTHS = MONTHS.map((m) => m.slice(0, 3));
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const SHORT_WEEKDAYS = WEEKDAYS.map((d) => d.slice(0, 3));
const AM_PM = ["AM", "PM"];
const ERAS = ["BC", "AD"];
/** Zone names Java's en-US symbols know, with their offsets in minutes (the US ones by their fixed abbreviations). */
const ZONE_NAMES: ReadonlyArray<readonly [string, number]> = [
  ["Coordinated Universal Time", 0],
  ["Greenwich Mean Time", 0],
  ["UTC", 0],
  ["UT", 0],
  ["PST", -480],
  ["PDT", -420],
  ["MST", -420],
  ["MDT", -360],
  ["CST", -360],
  ["CDT", -300],
  ["EST", -300],
  ["EDT", -240],
];

type Token = { readonly letter: string; readonly count: number } | { readonly literal: string };

export class SimpleDateFormat {
  readonly pattern: string;
  private readonly tokens: readonly Token[];
  /** Start of the hundred-year window for two-digit years: 80 years before this format was made, as in Java. */
  private readonly centuryStart: number;
  private readonly centuryStartYear: number;

  constructor(pattern: string, options: { now?: number } = {}) {
    this.pattern = pattern;
    this.tokens = compile(pattern);
    const now = new Date(options.now ?? Date.now());
    const start = new Date(now.getTime());
    start.setUTCFullYear(now.getUTCFullYear() - 80);
    this.centuryStart = start.getTime();
    this.centuryStartYear = start.getUTCFullYear();
  }

  /** Java's `toPattern()`. */
  toPattern(): string {
    return this.pattern;
  }

  format(date: Date | number): string {
    const millis = typeof date === "number" ? date : date.getTime();
    const f = fieldsOf(millis);
    let out = "";
    for (const token of this.tokens) out += "literal" in token ? token.literal : formatField(token, f);
    return out;
  }

  /** Java's `DateFormat.parse(String)`: reads from the start, ignores what follows the pattern. */
  parse(text: string): Date {
    const millis = this.parseMillis(text);
    if (millis === null) throw new DateParseError(`Unparseable date: "${text}"`);
    return new Date(millis);
  }

  private parseMillis(text: string): number | null {
    const parsed: Parsed = {
      stamps: {},
      values: {},
      offset: null,
      centuryStartYear: this.centuryStartYear,
      ambiguousYear: false,
    };
    let pos = 0;
    let stamp = 0;
    const tokens = this.tokens;
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t] as Token;
      if ("literal" in token) {
        if (!text.startsWith(token.literal, pos)) return null;
        pos += token.literal.length;
        continue;
      }
      const next = tokens[t + 1];
      // Java reads exactly `count` digits when the next field is numeric too, so "yyyyMMdd" splits "20170103".
      const obeyCount = next !== undefined && !("literal" in next) && obeysCount(next);
      const end = parseField(text, pos, token, obeyCount, parsed, ++stamp);
      if (end < 0) return null;
      pos = end;
    }
    const millis = resolve(parsed);
    // Past what a Date can hold Java would still answer; we can only refuse.
    if (millis === null || !(Math.abs(millis) <= 8.64e15)) return null;
    if (parsed.ambiguousYear && millis < this.centuryStart) return resolve(parsed, 100);
    return millis;
  }
}

function compile(pattern: string): Token[] {
  const tokens: Token[] = [];
  let literal = "";
  let i = 0;
  const flush = () => {
    if (literal !== "") tokens.push({ literal });
    literal = "";
  };
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'";
        i += 2;
        continue;
      }
      i++;
      for (;;) {
        if (i >= pattern.length) throw new DatePatternError("Unterminated quote");
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            literal += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        literal += pattern[i];
        i++;
      }
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      literal += c;
      i++;
      continue;
    }
    if (!PATTERN_LETTERS.includes(c)) throw new DatePatternError(`Illegal pattern character '${c}'`);
    let count = 1;
    while (pattern[i + count] === c) count++;
    if (c === "X" && count > 3) throw new DatePatternError(`invalid ISO 8601 format: length=${count}`);
    flush();
    tokens.push({ letter: c, count });
    i += count;
  }
  flush();
  return tokens;
}

function obeysCount(token: { letter: string; count: number }): boolean {
  if (token.letter === "M" || token.letter === "L") return token.count <= 2;
  return NUMERIC_FIELDS.includes(token.letter) && token.letter !== "E";
}

// ---- calendar arithmetic (proleptic Gregorian after the cutover, Julian before, as GregorianCalendar) ----

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function mod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

function gregorianDays(year: number, month0: number, day: number): number {
  const y = month0 < 2 ? year - 1 : year;
  const m = month0 + 1;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function julianDays(year: number, month0: number, day: number): number {
  const a = floorDiv(13 - month0, 12);
  const y = year + 4800 - a;
  const m = month0 + 1 + 12 * a - 3;
  return day + floorDiv(153 * m + 2, 5) + 365 * y + floorDiv(y, 4) - 32_083 - 2_440_588;
}

/** Days since the epoch of a (possibly out-of-range, lenient) year, month and day of month. */
function calendarDays(year: number, month0: number, day: number): number {
  const y = year + floorDiv(month0, 12);
  const m = mod(month0, 12);
  const gregorian = gregorianDays(y, m, 1) + day - 1;
  return gregorian >= GREGORIAN_CUTOVER_DAY ? gregorian : julianDays(y, m, 1) + day - 1;
}

function civil(days: number): { year: number; month0: number; day: number } {
  if (days < GREGORIAN_CUTOVER_DAY) {
    const c = days + 2_440_588 + 32_082;
    const d = floorDiv(4 * c + 3, 1461);
    const e = c - floorDiv(1461 * d, 4);
    const m = floorDiv(5 * e + 2, 153);
    return {
      year: d - 4800 + floorDiv(m, 10),
      month0: m + 2 - 12 * floorDiv(m, 10),
      day: e - floorDiv(153 * m + 2, 5) + 1,
    };
  }
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month0: month - 1, day: doy - floorDiv(153 * mp + 2, 5) + 1 };
}

/** Day of the week, 0 = Sunday. */
function weekday(days: number): number {
  return mod(days + 4, 7);
}

interface Fields {
  year: number;
  month0: number;
  day: number;
  dayOfYear: number;
  weekday: number;
  weekYear: number;
  weekOfYear: number;
  dayInMonth: number;
  weekOfMonth: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
}

function fieldsOf(millis: number): Fields {
  const days = floorDiv(millis, DAY);
  const ofDay = millis - days * DAY;
  const { year, month0, day } = civil(days);
  const jan1 = calendarDays(year, 0, 1);
  const dow = weekday(days);
  // Counted in days actually in the month: October 1582 skips from the 4th to the 15th.
  const firstOfMonth = calendarDays(year, month0, 1);
  const nextJan1 = calendarDays(year + 1, 0, 1);
  // en-US weeks start on Sunday and week 1 is the week holding January 1st.
  const inNextYear = days >= nextJan1 - weekday(nextJan1);
  return {
    year,
    month0,
    day,
    dayOfYear: days - jan1 + 1,
    weekday: dow,
    weekYear: inNextYear ? year + 1 : year,
    weekOfYear: inNextYear ? 1 : floorDiv(days - jan1 + weekday(jan1), 7) + 1,
    dayInMonth: days - firstOfMonth + 1,
    weekOfMonth: floorDiv(days - firstOfMonth + weekday(firstOfMonth), 7) + 1,
    hour: floorDiv(ofDay, 3_600_000),
    minute: floorDiv(ofDay, 60_000) % 60,
    second: floorDiv(ofDay, 1000) % 60,
    millis: ofDay % 1000,
  };
}

function pad(value: number, count: number): string {
  const text = String(Math.abs(value));
  return (value < 0 ? "-" : "") + (text.length >= count ? text : "0".repeat(count - text.length) + text);
}

function eraYear(year: number): number {
  return year > 0 ? year : 1 - year;
}

function formatField(token: { letter: string; count: number }, f: Fields): string {
  const { letter, count } = token;
  switch (letter) {
    case "G":
      return f.year > 0 ? "AD" : "BC";
    case "y":
    case "Y": {
      // Java prints the week year without eras: 3 BC is week year -2.
      const year = letter === "y" ? eraYear(f.year) : f.weekYear;
      return count === 2 ? pad(year % 100, 2) : pad(year, count);
    }
    case "M":
    case "L":
      if (count >= 4) return MONTHS[f.month0] as string;
      if (count === 3) return SHORT_MONTHS[f.month0] as string;
      return pad(f.month0 + 1, count);
    case "d":
      return pad(f.day, count);
    case "k":
      return pad(f.hour === 0 ? 24 : f.hour, count);
    case "H":
      return pad(f.hour, count);
    case "m":
      return pad(f.minute, count);
    case "s":
      return pad(f.second, count);
    case "S":
      return pad(f.millis, count);
    case "E":
      return (count >= 4 ? WEEKDAYS : SHORT_WEEKDAYS)[f.weekday] as string;
    case "u":
      return pad(f.weekday === 0 ? 7 : f.weekday, count);
    case "D":
      return pad(f.dayOfYear, count);
    case "F":
      return pad(floorDiv(f.dayInMonth - 1, 7) + 1, count);
    case "w":
      return pad(f.weekOfYear, count);
    case "W":
      return pad(f.weekOfMonth, count);
    case "a":
      return AM_PM[f.hour < 12 ? 0 : 1] as string;
    case "h":
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case "K":
      return pad(f.hour % 12, count);
    case "z":
      return count >= 4 ? "Coordinated Universal Time" : "UTC";
    case "Z":
      return "+0000";
    default:
      return "Z";
  }
}

// ---- parsing ----

interface Parsed {
  /** When each field was set (its position in the pattern): Java's calendar lets the latest setting win. */
  stamps: Record<string, number>;
  values: Record<string, number>;
  /** The zone offset read from the text, in minutes, or null for UTC. */
  offset: number | null;
  /** The first year of the two-digit-year window. */
  centuryStartYear: number;
  /** A two-digit year equal to the window's first year's: Java moves it a century on if it falls before the window. */
  ambiguousYear: boolean;
}

function set(parsed: Parsed, field: string, value: number, stamp: number): void {
  parsed.values[field] = value;
  parsed.stamps[field] = stamp;
}

/** Java's lenient integer parse (DecimalFormat, integer only): an optional minus, then digits. */
function parseNumber(text: string, start: number, limit: number): { value: number; end: number } | null {
  let i = start;
  const negative = text[i] === "-";
  if (negative) i++;
  const digitsStart = i;
  while (i < limit && (text.charCodeAt(i) ^ 0x30) < 10) i++;
  if (i === digitsStart) return null;
  const digits = text.slice(digitsStart, i);
  // Java keeps the low 32 bits of the long it read (Number.intValue()).
  const value = digits.length < 10 ? Number(digits) : Number(BigInt.asIntN(32, BigInt(digits)));
  return { value: negative ? -value | 0 : value, end: i };
}

/** The longest of `names` at `start`, ignoring case, as Java's `matchString`. */
function matchName(text: string, start: number, names: readonly string[]): { index: number; end: number } | null {
  let best = -1;
  let bestLength = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (name.length > bestLength && text.slice(start, start + name.length).toLowerCase() === name.toLowerCase()) {
      best = i;
      bestLength = name.length;
    }
  }
  return best < 0 ? null : { index: best, end: start + bestLength };
}

function parseField(
  text: string,
  start: number,
  token: { letter: string; count: number },
  obeyCount: boolean,
  parsed: Parsed,
  stamp: number,
): number {
  const { letter, count } = token;
  let pos = start;
  while (pos < text.length && (text[pos] === " " || text[pos] === "\t")) pos++;
  if (pos >= text.length) return -1;
  const textual =
    letter === "E" ||
    letter === "a" ||
    letter === "G" ||
    letter === "z" ||
    letter === "Z" ||
    letter === "X" ||
    ((letter === "M" || letter === "L") && count >= 3);
  if (textual) return parseText(text, pos, letter, count, parsed, stamp);
  if (obeyCount && start + count > text.length) return -1;
  const number = parseNumber(text, pos, obeyCount ? start + count : text.length);
  if (number === null) return -1;
  let value = number.value;
  switch (letter) {
    case "y":
    case "Y":
      parsed.ambiguousYear = false;
      if (count <= 2 && number.end - pos === 2 && text[pos] !== "-") {
        // Two digits: the year in the hundred years from 80 years ago (Java's defaultCenturyStart).
        const ambiguous = parsed.centuryStartYear % 100;
        parsed.ambiguousYear = value === ambiguous;
        value += Math.trunc(parsed.centuryStartYear / 100) * 100 + (value < ambiguous ? 100 : 0);
      }
      set(parsed, "y", value, stamp);
      return number.end;
    case "M":
    case "L":
      set(parsed, "M", value - 1, stamp);
      return number.end;
    case "k":
      set(parsed, "H", value === 24 ? 0 : value, stamp);
      return number.end;
    case "h":
      if (value === 12) value = 0;
      set(parsed, "h", value, stamp);
      return number.end;
    case "K":
      set(parsed, "h", value, stamp);
      return number.end;
    case "u":
      set(parsed, "E", value === 7 ? 0 : value, stamp);
      return number.end;
    default:
      set(parsed, letter, value, stamp);
      return number.end;
  }
}

function parseText(text: string, pos: number, letter: string, count: number, parsed: Parsed, stamp: number): number {
  const name = (names: readonly string[], field: string) => {
    const match = matchName(text, pos, names);
    if (match === null) return -1;
    set(parsed, field, match.index, stamp);
    return match.end;
  };
  switch (letter) {
    case "M":
    case "L": {
      const long = name(MONTHS, "M");
      return long >= 0 ? long : name(SHORT_MONTHS, "M");
    }
    case "E": {
      const long = name(WEEKDAYS, "E");
      return long >= 0 ? long : name(SHORT_WEEKDAYS, "E");
    }
    case "a":
      return name(AM_PM, "a");
    case "G":
      return name(ERAS, "G");
    case "X": {
      if (text[pos] === "Z") {
        parsed.offset = 0;
        return pos + 1;
      }
      const sign = text[pos] === "+" ? 1 : text[pos] === "-" ? -1 : 0;
      if (sign === 0) return -1;
      return numericZone(text, pos + 1, sign, count, count === 3, parsed);
    }
    default: {
      // z and Z both read "+hhmm", "GMT", "GMT+h:mm" and zone names, as Java does.
      const c = text[pos];
      if (c === "+" || c === "-") return numericZone(text, pos + 1, c === "+" ? 1 : -1, 0, false, parsed);
      if (text.slice(pos, pos + 3).toUpperCase() === "GMT") {
        const after = pos + 3;
        const s = text[after];
        if (s === "+" || s === "-") return numericZone(text, after + 1, s === "+" ? 1 : -1, 0, true, parsed);
        parsed.offset = 0;
        return after;
      }
      const zone = matchName(
        text,
        pos,
        ZONE_NAMES.map(([n]) => n),
      );
      if (zone === null) return -1;
      parsed.offset = (ZONE_NAMES[zone.index] as readonly [string, number])[1];
      return zone.end;
    }
  }
}

/** Java's `subParseNumericZone`: hh[[:]mm], where one hour digit is allowed only with a colon form. */
function numericZone(text: string, start: number, sign: number, count: number, colon: boolean, parsed: Parsed): number {
  const digit = (i: number) => {
    const c = text.charCodeAt(i) - 0x30;
    return c >= 0 && c <= 9 ? c : -1;
  };
  let i = start;
  let hours = digit(i++);
  if (hours < 0) return -1;
  const second = digit(i);
  if (second >= 0) {
    hours = hours * 10 + second;
    i++;
  } else if (count > 0 || !colon) return -1;
  if (hours > 23) return -1;
  let minutes = 0;
  if (count !== 1) {
    if (colon) {
      if (text[i] !== ":") return -1;
      i++;
    }
    const m1 = digit(i);
    const m2 = digit(i + 1);
    if (m1 < 0 || m2 < 0) return -1;
    minutes = m1 * 10 + m2;
    if (minutes > 59) return -1;
    i += 2;
  }
  parsed.offset = sign * (hours * 60 + minutes);
  return i;
}

/** Turns the parsed fields into an instant as Java's lenient GregorianCalendar resolves them. */
function resolve(parsed: Parsed, addYears = 0): number | null {
  const { values, stamps } = parsed;
  const has = (field: string) => field in values;
  const value = (field: string, fallback: number) => values[field] ?? fallback;
  let year = (values.y ?? values.Y ?? 1970) + addYears;
  if (has("G") && values.G === 0) year = 1 - year;
  const month0 = value("M", 0);
  // A day of month or of year, once given, beats week fields whatever their order (as Java resolves them).
  const weekBased = !has("d") && !has("D");
  // Without a weekday Java's calendar takes the first day of the week, Sunday in en-US.
  const dayOfWeek = value("E", 0);
  let days: number;
  if (weekBased && has("w")) {
    const jan1 = calendarDays(year, 0, 1);
    days = jan1 - weekday(jan1) + (value("w", 1) - 1) * 7 + dayOfWeek;
  } else if (weekBased && has("W")) {
    const first = calendarDays(year, month0, 1);
    days = first - weekday(first) + (value("W", 1) - 1) * 7 + dayOfWeek;
  } else if (has("D") && (stamps.D ?? 0) > (stamps.d ?? 0)) {
    days = calendarDays(year, 0, 1) + value("D", 1) - 1;
  } else if (!has("d") && (has("E") || has("F"))) {
    // A weekday without a day of month: its F-th (by default first) occurrence in the month.
    const first = calendarDays(year, month0, 1);
    days = first + mod(dayOfWeek - weekday(first), 7) + (value("F", 1) - 1) * 7;
  } else {
    days = calendarDays(year, month0, value("d", 1));
  }
  let hour: number;
  if (has("H") && (stamps.H ?? 0) > (stamps.h ?? 0)) hour = value("H", 0);
  else hour = value("h", 0) + 12 * value("a", 0);
  const local = days * DAY + hour * 3_600_000 + value("m", 0) * 60_000 + value("s", 0) * 1000 + value("S", 0);
  return local - (parsed.offset ?? 0) * 60_000;
}
