// Child process of serve.js: the exporter, the bare ceiling and the express pattern, side by side.
import { Buffer } from "node:buffer";
import { createServer } from "node:http";
import process from "node:process";
import { promisify } from "node:util";
import { gzip, gzipSync } from "node:zlib";
import express from "express";
import { request } from "undici";
import { generatePayload } from "../dist/simulator/activity.js";
import { startStack } from "./common.js";

const gzipAsync = promisify(gzip);
const accounts = Number(process.argv[2]);

const stack = await startStack(generatePayload({ seed: 1, accounts, jobsPerAccount: 5 }));
await stack.exporter.runner("jobs").pollOnce();
const { registry } = stack.exporter;
const metricsUrl = `${stack.exporter.url}/metrics`;

async function fetchBody(acceptEncoding) {
  const response = await request(metricsUrl, { headers: { "accept-encoding": acceptEncoding } });
  return {
    contentType: String(response.headers["content-type"]),
    bytes: Buffer.from(await response.body.arrayBuffer()),
  };
}
// The ceiling compresses the identity body once, as the exporter does.
const plain = await fetchBody("identity");
const gzipped = gzipSync(plain.bytes);

const ceiling = createServer((req, res) => {
  const wantsGzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
  res.setHeader("Content-Type", plain.contentType);
  if (wantsGzip) res.setHeader("Content-Encoding", "gzip");
  res.end(wantsGzip ? gzipped : plain.bytes);
});

const app = express();
app.get("/metrics", async (req, res) => {
  const text = await registry.metrics();
  res.set("Content-Type", registry.contentType);
  if (req.acceptsEncodings("gzip", "identity") === "gzip") {
    res.set("Content-Encoding", "gzip");
    res.end(await gzipAsync(text));
  } else {
    res.end(text);
  }
});
const naive = createServer(app);

const listen = (server) =>
  new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
const urls = {
  exporter: metricsUrl,
  ceiling: `${await listen(ceiling)}/metrics`,
  express: `${await listen(naive)}/metrics`,
};
const series = plain.bytes
  .toString("utf8")
  .split("\n")
  .filter((l) => l && l[0] !== "#").length;
process.send({ urls, bytes: plain.bytes.length, gzipBytes: gzipped.length, series });
process.on("message", () => {
  ceiling.closeAllConnections();
  naive.closeAllConnections();
  ceiling.close();
  naive.close();
  void stack.close().then(() => process.exit(0));
});
