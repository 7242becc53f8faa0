/**
 * Standard base64 with padding (Jackson's default variant, and what Kafka uses for bytes in JSON and headers),
 * without Buffer so that it runs unchanged on Bun, Node and Deno. Uses the built-in `Uint8Array.toBase64` /
 * `fromBase64` where the runtime has them.
 */

interface Base64Native {
  toBase64?: (this: Uint8Array) => string;
}
interface Base64NativeStatic {
  fromBase64?: (text: string) => Uint8Array;
}

const nativeEncode = (Uint8Array.prototype as Base64Native).toBase64;
const nativeDecode = (Uint8Array as unknown as Base64NativeStatic).fromBase64;

export function encodeBase64(bytes: Uint8Array): string {
  if (nativeEncode) return nativeEncode.call(bytes);
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Decodes base64; throws a SyntaxError (or the runtime's equivalent) for text that is not base64. */
export function decodeBase64(text: string): Uint8Array {
  if (nativeDecode) return nativeDecode(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
