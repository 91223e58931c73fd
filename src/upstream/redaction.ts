import { Buffer } from "node:buffer";

/** Longest piece of upstream-derived text that goes into a log line or a page. */
export const MAX_DETAIL_CHARS = 200;
export const TOKEN_MARK = "[token]";

const SPELLINGS_KEPT = 16;
/** The ways an answer can spell a secret, found once per secret. */
const spellingsCache = new Map<string, { base64: string[]; anyCase: RegExp; encoded: RegExp }>();

function spellingsOf(secret: string) {
  let spellings = spellingsCache.get(secret);
  if (spellings === undefined) {
    if (spellingsCache.size >= SPELLINGS_KEPT) spellingsCache.clear();
    const encoded = Array.from(secret, (c) => `(?:${charSpellings(c).join("|")})`).join("");
    const anyCase = new RegExp(escapeRegExp(secret), "gi");
    spellings = { base64: base64Cores(secret), anyCase, encoded: new RegExp(encoded, "gi") };
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

/** The base64(url) characters only the secret's bytes decide, at each offset in a longer text. */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const from = Math.ceil((8 * offset) / 6);
    const core = encoded.slice(from, Math.floor((8 * (offset + bytes.length)) / 6));
    cores.add(core);
    cores.add(core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...cores];
}

/** Length of the shortest text that can spell one of `secrets`: shorter strings need no look. */
export function shortestSpelling(secrets: readonly string[]): number {
  const lengths = secrets
    .filter((secret) => secret !== "")
    .flatMap((secret) => [secret.length, ...spellingsOf(secret).base64.map((c) => c.length)]);
  return Math.min(...lengths);
}

/** Every secret replaced by [token]: as is, any case, percent-encoded, JSON-escaped or base64. */
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

/** Upstream text made safe for a log line or page: secrets replaced before the cut, never in it. */
export function safeText(text: string, secrets: readonly string[], max = MAX_DETAIL_CHARS): string {
  const clean = redact(text, secrets);
  if (clean.length <= max) return clean;
  const end = /[\uD800-\uDBFF]/.test(clean.charAt(max - 2)) ? max - 2 : max - 1;
  return `${clean.slice(0, end)}…`;
}
