// Runs inside the image (node -e): what it holds and what its user may do, as one JSON line.
export const inspectContents = `
const fs = require("node:fs");
const path = require("node:path");
const walk = (dir, out = []) => {
  let entries = [];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
};
const packages = [];
for (const e of fs.readdirSync("/app/node_modules")) {
  if (e.startsWith(".")) continue;
  if (e.startsWith("@")) for (const s of fs.readdirSync("/app/node_modules/" + e)) packages.push(e + "/" + s);
  else packages.push(e);
}
let writeError = "none";
try { fs.writeFileSync("/tmp/probe", "x"); } catch (e) { writeError = e.code; }
const npmrcs = ["/root", "/home", "/app", "/etc", "/usr/local/etc", "/run"].flatMap((d) => walk(d)).filter((f) => /npmrc$|npm-ca$/.test(f));
process.stdout.write(JSON.stringify({
  uid: process.getuid(),
  writeError,
  packages,
  app: fs.readdirSync("/app").sort(),
  testFiles: walk("/app/dist").filter((f) => /\\.test\\.|\\/test\\/|\\.ts$/.test(f)),
  npmrcs,
}));
`;
