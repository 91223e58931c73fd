import type { Server } from "node:http";
import express from "express";
import fc from "fast-check";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wantsGzip } from "../../src/http/scrape.js";

/** Express's own answer, through a real express app, as the reference. */
let server: Server;
let url: string;
beforeAll(async () => {
  const app = express();
  app.get("/", (req, res) => {
    res.type("text").send(String(req.acceptsEncodings("gzip", "identity") === "gzip"));
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  url = `http://127.0.0.1:${address.port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function expressDecides(header: string | undefined): Promise<boolean> {
  const response = await request(
    url,
    header === undefined ? {} : { headers: { "accept-encoding": header } },
  );
  return (await response.body.text()) === "true";
}

describe("wantsGzip", () => {
  it.each([
    [undefined, false],
    ["", false],
    ["gzip", true],
    ["gzip, deflate, br", true],
    ["identity", false],
    ["gzip;q=0", false],
    ["*", true],
    ["identity, gzip", false],
    ["gzip;q=0.5", true],
    ["gzip;q=0.5, identity", false],
    ["*, identity", false],
    ["br", false],
    ["identity;q=0, *;q=0", false],
  ])("%j -> %s, as express decides", async (header, expected) => {
    expect(wantsGzip(header)).toBe(expected);
    expect(await expressDecides(header)).toBe(expected);
  });

  it("agrees with express for generated Accept-Encoding headers", async () => {
    const coding = fc.constantFrom("gzip", "GZIP", "identity", "*", "br", "deflate", "x;y", "");
    const q = fc.constantFrom("", ";q=0", ";q=0.1", ";q=0.5", ";q=1", "; q=0.5", ";Q=0.5", ";q=x");
    const header = fc
      .array(fc.tuple(coding, q), { maxLength: 4 })
      .chain((parts) =>
        fc.constantFrom(", ", ",").map((sep) => parts.map(([c, p]) => c + p).join(sep)),
      );
    await fc.assert(
      fc.asyncProperty(header, async (h) => {
        expect(wantsGzip(h)).toBe(await expressDecides(h));
      }),
      { numRuns: 300 },
    );
  });
});
