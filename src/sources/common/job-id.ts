/**
 * Whether a job ID can be looked up: only characters that need no encoding in a path segment, at
 * most 256 of them, and not made only of dots (`.` and `..` would change the path). The upstream's
 * `p…-u…-a…-bot:minimax` shape is inferred, not documented, so it is not required.
 */
export function isPlainJobId(jobId: string): boolean {
  return /^[A-Za-z0-9._~:-]{1,256}$/.test(jobId) && !/^\.+$/.test(jobId);
}
