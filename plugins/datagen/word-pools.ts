/**
 * Fixed pools the shapes draw from. Everything a record needs as text is prepared here once (lower-cased names
 * for e-mail addresses, country codes with their currency and cities), so generating a record only picks and
 * concatenates.
 */

export interface Person {
  readonly first: string;
  readonly last: string;
  /** "first.last", lower case, for e-mail addresses. */
  readonly handle: string;
}

export interface City {
  readonly name: string;
  /** A sample of the city's postal codes. */
  readonly zips: readonly string[];
}

export interface Country {
  readonly code: string;
  readonly currency: string;
  readonly zipDigits: number;
  readonly cities: readonly City[];
}

const FIRST_NAMES = words(
  "Maria James Sofia Liam Emma Noah Olivia Lucas Mia Ethan Ava Mateo Isabella Leon Chloe Hugo Amelia " +
    "Elias Nora Luca Hannah Oscar Lea Felix Zoe Arthur Alice Jonas Clara Theo Ines Adam Yara Omar Aiko " +
    "Kenji Priya Ravi Ana Diego",
  " ",
);

const LAST_NAMES = words(
  "Schneider Smith Garcia Muller Rossi Dubois Jansen Kowalski Silva Novak Andersen Nielsen Costa Moreau " +
    "Fischer Bianchi Brown Wilson Martin Lopez Weber Meyer Ricci Lambert Peeters Horvat Popescu Virtanen " +
    "Berg Larsen Tanaka Sato Patel Sharma Kim Park Nguyen Haddad Cohen Murphy",
  " ",
);

export const STREETS = words(
  "Main Street|Oak Avenue|Station Road|Church Lane|Mill Road|Park Street|High Street|Harbour Way|" +
    "Elm Street|Lindenstrasse|Rue de la Paix|Via Roma|Calle Mayor|Kungsgatan|Market Square|River Walk|" +
    "Garden Row|Bridge Street|Castle Hill|Orchard Close|Maple Drive|Victoria Road|King Street|" +
    "Queen Street|North Road|South Street|West End|Hill View|Lake Road|Forest Lane",
  "|",
);

export const COUNTRIES: readonly Country[] = [
  country("DE", "EUR", 5, "Berlin:10|Hamburg:20|Munich:80|Cologne:50"),
  country("FR", "EUR", 5, "Paris:75|Lyon:69|Marseille:13|Lille:59"),
  country("NL", "EUR", 4, "Amsterdam:10|Rotterdam:30|Utrecht:35"),
  country("ES", "EUR", 5, "Madrid:28|Barcelona:08|Valencia:46"),
  country("IT", "EUR", 5, "Rome:00|Milan:20|Turin:10"),
  country("GB", "GBP", 4, "London:10|Manchester:20|Leeds:30"),
  country("US", "USD", 5, "New York:10|Chicago:60|Seattle:98|Austin:78"),
  country("CA", "CAD", 4, "Toronto:40|Montreal:30|Vancouver:60"),
  country("SE", "SEK", 5, "Stockholm:11|Gothenburg:41|Malmo:21"),
  country("JP", "JPY", 7, "Tokyo:100|Osaka:530|Kyoto:600"),
];

export const EMAIL_DOMAINS = words("example.com example.org example.net mail.test shop.test", " ");

export const ORDER_STATUSES = words("PLACED PAID PACKED SHIPPED DELIVERED CANCELLED", " ");

export const CATEGORIES = words("books garden kitchen toys sports music tools office games", " ");

/** Every first name with every last name: 1,600 people. */
export const PEOPLE: readonly Person[] = FIRST_NAMES.flatMap((first) =>
  LAST_NAMES.map((last) => ({ first, last, handle: `${first}.${last}`.toLowerCase() })),
);

/** `cities` is "Name:zipPrefix|Name:zipPrefix|...". */
function country(code: string, currency: string, zipDigits: number, cities: string): Country {
  return {
    code,
    currency,
    zipDigits,
    cities: cities.split("|").map((city) => {
      const [name = city, zipPrefix = ""] = city.split(":");
      return { name, zips: postalCodes(zipPrefix, zipDigits) };
    }),
  };
}

/** A pool written as one string, so the list stays compact in the source. */
function words(list: string, separator: string): readonly string[] {
  return list.split(separator);
}

/** 100 postal codes of `digits` digits that start with `prefix`, spread over the range. */
function postalCodes(prefix: string, digits: number): string[] {
  const rest = digits - prefix.length;
  const range = 10 ** rest;
  return Array.from(
    { length: 100 },
    (_, i) => prefix + String(Math.floor((i * range) / 100) + (i % 10)).padStart(rest, "0"),
  );
}
