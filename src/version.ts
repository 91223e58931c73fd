import { readFileSync } from "node:fs";

// src/ and dist/ both sit one level below package.json.
export const { name: NAME, version: VERSION } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { name: string; version: string };
export const USER_AGENT = `${NAME}/${VERSION} (Node.js ${process.version})`;
