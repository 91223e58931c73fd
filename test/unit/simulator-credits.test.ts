import { describe, expect, it } from "vitest";
import { createActivity } from "../../src/simulator/activity.js";
import { createCredits } from "../../src/simulator/credits.js";
import { createGenerations } from "../../src/simulator/generations.js";

const START = Date.parse("2025-11-24T12:00:00Z");
const HOUR = 3_600_000;

function model(accounts = 4) {
  const activity = createActivity({ seed: 3, accounts, idleAccounts: 1, startMs: START });
  const generations = createGenerations({
    seed: 3,
    accounts: activity.accounts,
    idleAccounts: activity.idleAccounts,
    maxJobs: (account) => activity.maxJobs(account),
  });
  const credits = createCredits({
    seed: 3,
    accounts: activity.accounts,
    startMs: START,
    generations,
  });
  return { activity, generations, credits };
}

describe("the simulated credits", () => {
  it("fall by videoCost a video and 1 an image, as the generations start", () => {
    const { activity, generations, credits } = model();
    const busy = activity.accounts[0] ?? "";
    const at = (ms: number) => credits.body(busy, ms);
    const before = at(START + HOUR);
    const after = at(START + 3 * HOUR);
    const started = generations.started(busy, START + HOUR + 1, START + 3 * HOUR + 1);
    expect(started).toEqual({ video: 7, image: 49 }); // seed 3's two hours
    expect((before?.totalCredits ?? 0) - (after?.totalCredits ?? 0)).toBe(
      started.video * (before?.videoCost ?? 0) + started.image,
    );
  });

  it("count an injected generation when it starts", () => {
    const { activity, generations, credits } = model();
    const idle = activity.idleAccounts[0] ?? "";
    const before = credits.body(idle, START + HOUR)?.totalCredits ?? 0;
    generations.start(idle, "video", START + HOUR, 60_000);
    generations.start(idle, "image", START + HOUR, 10_000);
    const cost = credits.body(idle, START)?.videoCost ?? 0;
    expect(credits.body(idle, START + HOUR)?.totalCredits).toBe(before - cost - 1);
    expect(credits.body(idle, START + HOUR - 1)?.totalCredits).toBe(before);
  });

  it("lose what a batch holds at its end", () => {
    const { activity, credits } = model();
    const idle = activity.idleAccounts[0] ?? "";
    const [batch] = credits.body(idle, START)?.creditExpireText ?? [];
    const end = batch?.endTime ?? 0;
    expect(batch?.credit).toBe(50); // seed 3's
    const held = credits.body(idle, end);
    const after = credits.body(idle, end + 1);
    expect(held?.creditExpireText).toContainEqual(batch);
    expect(after?.creditExpireText).not.toContainEqual(batch);
    expect((held?.totalCredits ?? 0) - (after?.totalCredits ?? 0)).toBe(batch?.credit);
  });

  it("spend the earliest-ending batch before the later ones and the lasting credits", () => {
    const { activity, generations, credits } = model();
    const busy = activity.accounts[0] ?? "";
    const first = credits.body(busy, START);
    expect(first?.creditExpireText.length).toBe(2);
    const [early, late] = first?.creditExpireText ?? [];
    const later = credits.body(busy, START + HOUR);
    const { video, image } = generations.started(busy, START + 1, START + HOUR + 1);
    const spent = video * (first?.videoCost ?? 0) + image;
    expect(spent).toBe(114); // seed 3's first hour
    expect(later?.creditExpireText).toEqual([
      { ...early, credit: Math.max(0, (early?.credit ?? 0) - spent) },
      {
        ...late,
        credit: Math.max(0, (late?.credit ?? 0) - Math.max(0, spent - (early?.credit ?? 0))),
      },
    ]);
  });

  it("never go below zero: the second account starts low and runs out", () => {
    const { activity, credits } = model();
    const low = activity.accounts[1] ?? "";
    expect(credits.body(low, START + 24 * HOUR)?.totalCredits).toBe(0);
  });

  it("answer 400 for an unknown account, and for a missing one when several are configured", () => {
    const { activity, credits } = model();
    expect(credits.reply("99999", START).status).toBe(400);
    expect(credits.reply(undefined, START).status).toBe(400);
    expect(credits.reply(activity.accounts[0], START).status).toBe(200);
    const single = model(1);
    expect(single.credits.reply(undefined, START)).toEqual({
      status: 200,
      body: single.credits.body(single.activity.accounts[0] ?? "", START),
    });
  });

  it("answer 596 while an account is on hold, and a fixed body when one is set", () => {
    const { activity, credits } = model();
    const account = activity.accounts[2] ?? "";
    credits.hold(account, true);
    expect(credits.reply(account, START)).toMatchObject({ status: 596, body: { code: 596 } });
    expect(credits.reply(activity.accounts[0], START).status).toBe(200);
    credits.hold(account, false);
    credits.fix(account, { totalCredits: "odd" });
    expect(credits.reply(account, START)).toEqual({ status: 200, body: { totalCredits: "odd" } });
    credits.fix(account, undefined);
    expect(credits.reply(account, START).body).toEqual(credits.body(account, START));
    expect(() => credits.hold("99999", true)).toThrow(RangeError);
  });
});
