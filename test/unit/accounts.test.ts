import { MetricRegistry } from "../../src/metrics/registry.js";
import { describe, expect, it } from "vitest";
import { createAccountsSource } from "../../src/sources/accounts/source.js";
import { parseAccounts } from "../../src/sources/accounts/answer.js";
import { PayloadError } from "../../src/upstream/json-checks.js";
import { parseJobStatus } from "../../src/sources/job-status/answer.js";

const documented = {
  "123456": {
    account: "123456",
    jwt: {
      token: "abc…secured…xyz",
      exp: 1734858598.864,
      iat: 1732266598.864,
      host: "hailuoai.video",
      exp_Expire: "2024-12-01T00:00:00.000Z",
      user: { id: "123456" },
    },
    maxJobs: 1,
    supportVideo: true,
    supportMusic: false,
  },
};

describe("parseAccounts", () => {
  it("reads max jobs, the session expiry and capabilities of the documented example", () => {
    expect(parseAccounts(documented).accounts).toEqual([
      {
        account: "123456",
        maxJobs: 1,
        sessionExpirySeconds: 1734858598.864,
        inError: false,
        capabilities: {
          supportVideo: true,
          supportMusic: false,
          supportChat: undefined,
          supportAudio: undefined,
        },
      },
    ]);
  });

  it("keeps nothing of the jwt block but its expiry", () => {
    expect(JSON.stringify(parseAccounts(documented))).not.toMatch(/secured|hailuoai|iat|2024-12/);
  });

  it.each([
    ["an error message", { error: "Session expired" }, true],
    ["an empty error", { error: "" }, false],
    ["a null error", { error: null }, false],
    ["no error field", {}, false],
  ])("flags an account with %s as in error: %s", (_name, extra, inError) => {
    const [account] = parseAccounts({ "1": { maxJobs: 2, ...extra } }).accounts;
    expect(account?.inError).toBe(inError);
  });

  it("tolerates missing or odd fields of one account", () => {
    expect(parseAccounts({ "2": { maxJobs: "3", jwt: "x" }, "1": {} }).accounts).toEqual([
      expect.objectContaining({
        account: "1",
        maxJobs: undefined,
        sessionExpirySeconds: undefined,
      }),
      expect.objectContaining({
        account: "2",
        maxJobs: undefined,
        sessionExpirySeconds: undefined,
      }),
    ]);
  });

  it.each([
    ["a list", []],
    ["null", null],
    ["an account that is a string", { "1": "broken" }],
  ])("rejects %s as a payload of the wrong shape", (_name, body) => {
    expect(() => parseAccounts(body)).toThrow(PayloadError);
  });
});

describe("parseJobStatus", () => {
  it.each(["started", "completed", "failed"])("reads the status %s", (status) => {
    expect(parseJobStatus({ jobId: "x", status, request: { prompt: "p" } })).toBe(status);
  });

  it.each([[{ status: "done" }], [{}], [[]], ["completed"]])("rejects %j", (body) => {
    expect(() => parseJobStatus(body)).toThrow(PayloadError);
  });
});

describe("the accounts source", () => {
  it("counts an account ID the label check refuses as invalid_label_value and exports the others", async () => {
    const registry = new MetricRegistry();
    const counted: [string, number][] = [];
    const source = createAccountsSource({
      registry,
      intervalMs: 1000,
      countAnomaly: (kind, count) => counted.push([kind, count]),
    });
    const long = "1".repeat(129);
    source.update(source.parse({ "7": { maxJobs: 1 }, [long]: { maxJobs: 2 }, "\ud800": {} }), 0);
    expect(counted).toEqual([
      ["invalid_label_value", 2],
      ["invalid_count", 0],
      ["invalid_timestamp", 0],
    ]);
    const text = await registry.metrics();
    expect(text).toContain('useapi_minimax_account_max_jobs{account="7"} 1');
    expect(text).not.toContain(long);
    expect(text).not.toContain("\ufffd");
  });
});
