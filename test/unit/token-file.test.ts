import { makeFifo } from "../fifo.js";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging/logger.js";
import {
  looksLikeToken,
  MAX_TOKEN_FILE_BYTES,
  readTokenFile,
  tokenProblem,
} from "../../src/config/token-file.js";
import { fileToken, fixedToken } from "../../src/upstream/token.js";

const TOKEN = "user:1234-abcdefghijklmnopqrstuv";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "token-"));
}

function quietLogger(lines: string[] = []) {
  return createLogger({
    level: "debug",
    format: "json",
    destination: { write: (line: string) => void lines.push(line) },
  });
}

describe("token secrets", () => {
  it("lists a fixed token as the only secret", () => {
    expect(fixedToken("abc").secrets()).toEqual(["abc"]);
  });

  it("lists the current token and the last two it replaced, newest first", () => {
    const file = join(tempDir(), "token");
    writeFileSync(file, "token-first\n");
    const source = fileToken({ path: file, initial: "token-first", logger: quietLogger() });
    expect(source.secrets()).toEqual(["token-first"]);
    for (const next of ["token-second", "token-third", "token-fourth"]) {
      writeFileSync(file, `${next}\n`);
      source.reload();
    }
    expect(source.current()).toBe("token-fourth");
    expect(source.secrets()).toEqual(["token-fourth", "token-third", "token-second"]);
  });

  it("keeps a bad reload out of the secrets and keeps the previous token", () => {
    const file = join(tempDir(), "token");
    writeFileSync(file, "good-token\n");
    const lines: string[] = [];
    const source = fileToken({ path: file, initial: "good-token", logger: quietLogger(lines) });
    writeFileSync(file, "t\u00f6k\u20acn-secret\n");
    source.reload();
    expect(source.current()).toBe("good-token");
    expect(source.secrets()).toEqual(["good-token"]);
    expect(lines.join("")).not.toContain("secret");
    expect(lines.join("")).not.toContain("good-token");
  });
});

describe("reading a token file", () => {
  it("reads and trims a small regular file, also through a symbolic link", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "token"), `  ${TOKEN}\n`);
    symlinkSync(join(dir, "token"), join(dir, "link"));
    expect(readTokenFile(join(dir, "token"))).toEqual({ ok: true, token: TOKEN });
    expect(readTokenFile(join(dir, "link"))).toEqual({ ok: true, token: TOKEN });
  });

  it("refuses a FIFO at once instead of waiting for a writer", () => {
    const fifo = join(tempDir(), "fifo");
    makeFifo(fifo);
    expect(readTokenFile(fifo)).toEqual({ ok: false, problem: `"${fifo}" is not a regular file` });
  });

  it("refuses a link to /dev/zero and a directory as not regular files", () => {
    const dir = tempDir();
    symlinkSync("/dev/zero", join(dir, "zero"));
    expect(readTokenFile(join(dir, "zero"))).toEqual({
      ok: false,
      problem: `"${join(dir, "zero")}" is not a regular file`,
    });
    expect(readTokenFile(dir)).toEqual({ ok: false, problem: `"${dir}" is not a regular file` });
  });

  it("refuses a file one byte above the bound and accepts one at the bound", () => {
    const dir = tempDir();
    const at = join(dir, "at");
    const above = join(dir, "above");
    writeFileSync(at, "a".repeat(MAX_TOKEN_FILE_BYTES));
    writeFileSync(above, "a".repeat(MAX_TOKEN_FILE_BYTES + 1));
    expect(readTokenFile(at)).toEqual({ ok: true, token: "a".repeat(MAX_TOKEN_FILE_BYTES) });
    expect(readTokenFile(above)).toEqual({
      ok: false,
      problem: `"${above}" is larger than ${MAX_TOKEN_FILE_BYTES} bytes`,
    });
  });

  it("refuses a token given as the file name, saying so without showing it", () => {
    for (const given of [TOKEN, ` ${TOKEN}`, "user:1-x"]) {
      const result = readTokenFile(given);
      expect(result).toEqual({
        ok: false,
        problem:
          "looks like a useapi.net token (not shown), not a file name: put the token in a file",
      });
      expect(JSON.stringify(result)).not.toContain(given.trim());
    }
    expect(looksLikeToken("/run/secrets/user:1234-token")).toBe(false);
    expect(looksLikeToken("user:name")).toBe(false);
  });

  it("shows a file name escaped, on one line", () => {
    const dir = tempDir();
    expect(readTokenFile(join(dir, "a\nb\u001b[31m"))).toEqual({
      ok: false,
      problem: `cannot read "${dir}/a\\x0ab\\x1b[31m" (ENOENT)`,
    });
  });

  it("refuses a missing file with its error code", () => {
    const missing = join(tempDir(), "missing");
    expect(readTokenFile(missing)).toEqual({
      ok: false,
      problem: `cannot read "${missing}" (ENOENT)`,
    });
  });

  it("refuses a token that is not a valid header value without quoting it", () => {
    const dir = tempDir();
    for (const [name, text] of [
      ["unicode", "t\u00f6k\u20acn"],
      ["control", "tok\u0007en"],
      ["inner-space", "tok en"],
      ["delete", "tok\u007fen"],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const result = readTokenFile(file);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(text);
    }
    expect(tokenProblem("user:1234-abc_DEF.~+/=")).toBeUndefined();
  });

  it("refuses a token shorter than 8 characters without quoting it, and accepts 8", () => {
    expect(tokenProblem("abc1234")).toBe(
      "is shorter than 8 characters; useapi.net tokens are longer",
    );
    expect(tokenProblem("abcd1234")).toBeUndefined();
    const file = join(tempDir(), "short");
    writeFileSync(file, "abc1234\n");
    expect(readTokenFile(file)).toEqual({
      ok: false,
      problem: `"${file}": is shorter than 8 characters; useapi.net tokens are longer`,
    });
  });

  it("keeps the previous token when a rotated file grows past the bound", () => {
    const file = join(tempDir(), "token");
    writeFileSync(file, "good-token\n");
    const lines: string[] = [];
    const source = fileToken({ path: file, initial: "good-token", logger: quietLogger(lines) });
    writeFileSync(file, "x".repeat(MAX_TOKEN_FILE_BYTES * 4));
    expect(source.current()).toBe("good-token");
    const warning = lines.map((l) => JSON.parse(l) as { level: string; problem?: string });
    expect(warning).toEqual([
      expect.objectContaining({
        level: "warn",
        problem: `"${file}" is larger than ${MAX_TOKEN_FILE_BYTES} bytes`,
      }),
    ]);
  });
});
