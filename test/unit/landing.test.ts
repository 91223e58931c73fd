import { describe, expect, it } from "vitest";
import { renderLanding, type LandingStatus } from "../../src/http/landing.js";
import { jobsLanding } from "../../src/sources/jobs/landing.js";
import type { AccountState, Snapshot } from "../../src/sources/jobs/snapshot.js";
import type { LabelValue } from "../../src/metrics/label-value.js";

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

/** An account ID as if it had passed the label check: the page's own bounds still hold. */
const unchecked = (id: string) => id as LabelValue;

function snapshotOf(accounts: AccountState[]): Snapshot {
  return {
    takenAtMs: NOW,
    accounts,
    jobs: [],
    anomalies: {
      summary_mismatch: 0,
      invalid_summary: 0,
      unparsable_elapsed: 0,
      duplicate_job: 0,
      odd_job_id: 0,
      invalid_label_value: 0,
    },
  };
}

/** The page with the jobs list's section made from `snapshot`, as the jobs module makes it. */
function page({ snapshot, ...status }: Partial<LandingStatus> & { snapshot?: Snapshot }): string {
  return renderLanding({
    version: "1.2.3",
    telemetryPath: "/metrics",
    status: {
      lastOutcome: undefined,
      lastPollAtMs: undefined,
      lastSuccessAtMs: undefined,
      stale: false,
      sources: [],
      sections: [jobsLanding(snapshot)],
      demo: false,
      ...status,
    },
  });
}

describe("the landing page", () => {
  it("links the runbook when the exporter serves one, and only then", () => {
    const info = { version: "1.2.3", telemetryPath: "/metrics" };
    const status: LandingStatus = {
      lastOutcome: undefined,
      lastPollAtMs: undefined,
      lastSuccessAtMs: undefined,
      stale: false,
      sources: [],
      sections: [],
      demo: false,
    };
    expect(renderLanding({ ...info, status, runbookPath: "/runbook" })).toContain(
      '<li><a href="/runbook">Runbook</a> (what to do about each alert)</li>',
    );
    expect(renderLanding({ ...info, status })).not.toContain("Runbook");
  });

  it("says that no poll has finished yet instead of showing 'never'", () => {
    const text = page({});
    expect(text).toContain("No poll has finished yet.");
    expect(text).not.toContain("never");
  });

  it("says that no poll has succeeded yet after a first failure", () => {
    const text = page({ lastOutcome: "timeout", lastPollAtMs: NOW });
    expect(text).toContain("<strong>timeout</strong> at 2026-01-02T03:04:05Z");
    expect(text).toContain("no poll has succeeded yet");
    expect(text).not.toContain("never");
  });

  it("says when demo mode is on, and only then", () => {
    expect(page({ demo: true })).toContain("Demo mode:");
    expect(page({ demo: false })).not.toContain("Demo mode");
  });

  it("sorts a snapshot's accounts once, however many times the page is asked for", () => {
    const accounts = [3, 1, 2].map((n) => ({
      account: unchecked(String(n)),
      executing: n,
      maxElapsedSeconds: 0,
    }));
    let reads = 0;
    const counted = new Proxy(accounts, {
      get(target, key, receiver) {
        if (key === Symbol.iterator) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const snapshot = snapshotOf(counted);
    const pages = [1, 2, 3].map(() =>
      page({ snapshot, lastOutcome: "success", lastPollAtMs: NOW, lastSuccessAtMs: NOW }),
    );
    expect(reads).toBe(1);
    expect(pages[2]).toBe(pages[0]);
    const cells = [...(pages[0] ?? "").matchAll(/<tr><td>(\d)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(["1", "2", "3"]);
  });

  it("cuts a long account ID to the detail bound", () => {
    const snapshot = snapshotOf([
      { account: unchecked("x".repeat(5_000)), executing: 0, maxElapsedSeconds: 0 },
    ]);
    const text = page({
      snapshot,
      lastOutcome: "success",
      lastPollAtMs: NOW,
      lastSuccessAtMs: NOW,
    });
    expect(text).not.toContain("x".repeat(200));
    expect(text).toContain(`${"x".repeat(199)}…`);
  });

  it("never cuts an account ID inside a surrogate pair", () => {
    const account = `${"a".repeat(198)}\u{1F600}${"b".repeat(10)}`;
    const text = page({
      snapshot: snapshotOf([{ account: unchecked(account), executing: 0, maxElapsedSeconds: 0 }]),
      lastOutcome: "success",
      lastPollAtMs: NOW,
      lastSuccessAtMs: NOW,
    });
    expect(text).toContain(`<td>${"a".repeat(198)}…</td>`);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
