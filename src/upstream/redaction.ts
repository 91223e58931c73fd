import { Buffer } from "node:buffer";

/** Upstream-derived text made fit for a log line or a page: secrets replaced, length bounded. */

/** Longest piece of upstream-derived text that goes into a log line or a page. */
export const MAX_DETAIL_CHARS = 200;
export const TOKEN_MARK = "[token]";

/** The ways an answer can spell a secret, found once per secret. */
interface Spellings {
  /** Its base64 (and base64url) characters, at each of the three alignments in a longer text. */
  base64: readonly string[];
  /** The secret in any letter case. */
  anyCase: RegExp;
  /** Any case, with any characters percent-encoded (either hex case) or JSON-escaped. */
  encoded: RegExp;
}

const SPELLINGS_KEPT = 16;
const spellingsCache = new Map<string, Spellings>();

function spellingsOf(secret: string): Spellings {
  let spellings = spellingsCache.get(secret);
  if (spellings === undefined) {
    if (spellingsCache.size >= SPELLINGS_KEPT) spellingsCache.clear();
    spellings = {
      base64: base64Cores(secret),
      anyCase: new RegExp(escapeRegExp(secret), "gi"),
      encoded: new RegExp(
        Array.from(secret, (c) => `(?:${charSpellings(c).join("|")})`).join(""),
        "gi",
      ),
    };
    spellingsCache.set(secret, spellings);
  }
  return spellings;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** `c`, its %XX form, and JSON's escapes of it (\" \\ \/; \uXXXX is decoded by the parser). */
function charSpellings(c: string): string[] {
  const code = c.charCodeAt(0);
  const forms = [escapeRegExp(c)];
  if (code < 0x80) forms.push(`%${code.toString(16).padStart(2, "0")}`);
  if (c === '"' || c === "\\" || c === "/") forms.push(escapeRegExp(`\\${c}`));
  return forms;
}

/**
 * The base64 characters that only the secret's bytes decide, whatever bytes come before and after
 * it, for each of its three possible offsets in a longer encoded text (e.g. `Basic` credentials).
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const core = encoded.slice(
      Math.ceil((8 * offset) / 6),
      Math.floor((8 * (offset + bytes.length)) / 6),
    );
    cores.add(core);
    cores.add(core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...cores];
}

/** Length of the shortest text that can spell one of `secrets`: shorter strings need no look. */
export function shortestSpelling(secrets: readonly string[]): number {
  let shortest = Infinity;
  for (const secret of secrets) {
    if (secret === "") continue;
    shortest = Math.min(
      shortest,
      secret.length,
      ...spellingsOf(secret).base64.map((c) => c.length),
    );
  }
  return shortest;
}

/**
 * `text` with every secret replaced by [token]: as it is, in any letter case, percent-encoded,
 * JSON-escaped or base64-encoded. Replaced before any cut, so that no cut can leave a piece of a
 * secret that a later replacement would miss.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === "") continue;
    const spellings = spellingsOf(secret);
    for (const core of spellings.base64) out = out.replaceAll(core, TOKEN_MARK);
    // The general pattern is slower: only for text that has an encoded character at all.
    const encoded = out.includes("%") || out.includes("\\");
    out = out.replace(encoded ? spellings.encoded : spellings.anyCase, TOKEN_MARK);
  }
  return out;
}

/** Upstream-derived text made safe for a log line or a page: secrets replaced, then cut. */
export function safeText(text: string, secrets: readonly string[], max = MAX_DETAIL_CHARS): string {
  const clean = redact(text, secrets);
  if (clean.length <= max) return clean;
  const end = /[\uD800-\uDBFF]/.test(clean.charAt(max - 2)) ? max - 2 : max - 1;
  return `${clean.slice(0, end)}…`;
}
