import { readFileSync } from "node:fs";

// src/ and dist/ both sit one level below package.json.
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  name: string;
  version: string;
};

export const NAME = pkg.name;
export const VERSION = pkg.version;
export const USER_AGENT = `${NAME}/${VERSION} (Node.js ${process.version})`;
