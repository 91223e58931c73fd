import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { chmod, chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const READER = fileURLToPath(new URL("../../dist/config/token-file.js", import.meta.url));
/** The host user who owns the token file, and the image's `node` user (uid and gid 1000). */
const OWNER = 4242;
const NODE = 1000;
const TOKEN = "user:1234-abcdefghijklmnopqrstuv";

/** Whether any user may run `path`: it and every folder above it executable by others. */
function runnableByAnyone(path: string): boolean {
  for (let p = path; ; p = dirname(p)) {
    if ((statSync(p).mode & 0o001) === 0) return false;
    if (p === dirname(p)) return true;
  }
}

/**
 * A Node that uid 1000 can run: this one, or the system's when this one sits under root's home
 * (npm's `node` package, as CI runs the tests on the image's Node). The reader's access to the
 * file is the operating system's, whatever the Node.
 */
const NODE_BINARY = [process.execPath, "/usr/bin/node", "/usr/local/bin/node"].find((path) => {
  try {
    return runnableByAnyone(path);
  } catch {
    return false;
  }
});

let dir = "";
afterEach(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
  dir = "";
});

/** What the exporter's token reader says when run as `uid` with the group `gid`. */
function readAs(path: string, uid: number, gid: number): Promise<unknown> {
  const script = `import(${JSON.stringify(READER)}).then((m) => console.log(JSON.stringify(m.readTokenFile(${JSON.stringify(path)}))))`;
  return new Promise((resolve, reject) => {
    if (NODE_BINARY === undefined) throw new Error("no Node binary that uid 1000 may run");
    execFile(NODE_BINARY, ["-e", script], { uid, gid }, (error, stdout) => {
      if (error) reject(new Error(`the token reader failed: ${error.message}`));
      else resolve(JSON.parse(stdout) as unknown);
    });
  });
}

// Setting another uid needs root, as the container engine has.
describe.runIf(process.getuid?.() === 0)("docs/deploy.md's token file for the container", () => {
  it("mode 640, owned by its user, is read by uid 1000 given that user's group, and only then", async () => {
    dir = await mkdtemp(join(tmpdir(), "token-access-"));
    await chmod(dir, 0o755);
    const path = join(dir, "token");
    await writeFile(path, `${TOKEN}\n`);
    await chown(path, OWNER, OWNER);
    await chmod(path, 0o640);
    expect(await readAs(path, NODE, OWNER)).toEqual({ ok: true, token: TOKEN });
    expect(await readAs(path, NODE, NODE)).toMatchObject({ ok: false });
    // Its owner, who edits it without sudo, reads it too.
    expect(await readAs(path, OWNER, OWNER)).toEqual({ ok: true, token: TOKEN });
  });
});
