import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { stdout } from "node:process";
import { runbookPage } from "./runbook-page.js";

// Runs compiled, from scripts/dist/ (npm run build): the page the exporter serves at /runbook.
const root = new URL("../../", import.meta.url);
const page = runbookPage(readFileSync(new URL("docs/runbook.md", root), "utf8"));
mkdirSync(new URL("dist/", root), { recursive: true });
writeFileSync(new URL("dist/runbook.html", root), page);
stdout.write(`wrote dist/runbook.html (${Buffer.byteLength(page)} bytes)\n`);
