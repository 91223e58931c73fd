import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startStack, TOKEN, type Stack } from "../harness.js";
import { kubeletSecret } from "../kubelet-secret.js";
import { logRecords } from "../log-records.js";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe("token file rotation", () => {
  it("picks up a rotated token file without a restart, and keeps the token when the file breaks", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "token-")), "token");
    writeFileSync(file, "user:1-revoked\n");
    stack = await startStack({ flags: [`--useapi.token-file=${file}`], env: {} });
    const poller = stack.exporter.runner("jobs");
    expect(await poller.pollOnce()).toBe("unauthorized");

    writeFileSync(file, `${TOKEN}\n`);
    expect(await poller.pollOnce()).toBe("success");
    expect(stack.simulator.stats.lastAuthorization).toBe(`Bearer ${TOKEN}`);

    writeFileSync(file, "\n");
    expect(await poller.pollOnce()).toBe("success");
    const records = logRecords(stack.logs);
    // A reload names its reason, a refused file its problem (log-lines.test.ts has the wording).
    expect(records.filter((r) => r["reason"] !== undefined).map((r) => r.level)).toEqual(["info"]);
    expect(records.filter((r) => r["problem"] !== undefined).map((r) => r.level)).toEqual(["warn"]);
    for (const line of stack.logs) {
      expect(line).not.toContain(TOKEN.split(":")[1]);
      expect(line).not.toContain("revoked");
    }
  });

  it("re-reads the token file on demand (SIGHUP)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "token-")), "token");
    writeFileSync(file, `${TOKEN}\n`);
    stack = await startStack({ flags: [`--useapi.token-file=${file}`], env: {} });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    writeFileSync(file, "user:2-other\n");
    stack.exporter.reloadToken();
    const reasons = logRecords(stack.logs)
      .filter((r) => r.level === "info" && r["reason"] !== undefined)
      .map((r) => r["reason"]);
    expect(reasons).toEqual(["SIGHUP"]);
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("unauthorized");
  });

  it("uses the new token of a Kubernetes Secret the kubelet updates by swapping its ..data symlink", async () => {
    const secret = kubeletSecret({ token: "user:1-revoked\n" });
    const file = join(secret.dir, "token");
    stack = await startStack({ flags: [`--useapi.token-file=${file}`], env: {} });
    const poller = stack.exporter.runner("jobs");
    expect(await poller.pollOnce()).toBe("unauthorized");
    expect(stack.simulator.stats.lastAuthorization).toBe("Bearer user:1-revoked");

    secret.update({ token: `${TOKEN}\n` });
    expect(await poller.pollOnce()).toBe("success");
    expect(stack.simulator.stats.lastAuthorization).toBe(`Bearer ${TOKEN}`);

    secret.update({ token: "user:2-revoked\n" });
    expect(await poller.pollOnce()).toBe("unauthorized");
    expect(stack.simulator.stats.lastAuthorization).toBe("Bearer user:2-revoked");
  });
});
