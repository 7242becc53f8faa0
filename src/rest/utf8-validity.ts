/**
 * Where bytes stop being UTF-8. TextDecoder with `fatal: true` says only that they are not; a client that sent
 * Latin-1 or a cut-off body needs to know where to look. Only called once the decoder has refused the bytes, so the
 * valid case keeps the decoder's native speed.
 */

/**
 * The offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode's table 3-7: no overlong
 * forms, no encoded surrogates, nothing above U+10FFFF, no sequence cut off by the end), or -1 when there is none.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    // How many continuation bytes follow, and the narrower range the first of them must fall in.
    let count: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) count = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      count = 2;
      if (lead === 0xe0) low = 0xa0; // overlong below U+0800
      if (lead === 0xed) high = 0x9f; // U+D800..U+DFFF, the surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      count = 3;
      if (lead === 0xf0) low = 0x90; // overlong below U+10000
      if (lead === 0xf4) high = 0x8f; // above U+10FFFF
    } else return i; // a continuation byte, C0/C1 (always overlong) or F5..FF
    for (let k = 1; k <= count; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return i;
    }
    i += count + 1;
  }
  return -1;
}
