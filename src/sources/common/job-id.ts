/** Path characters needing no encoding, not only dots (`..`); the upstream documents no shape. */
export function isPlainJobId(jobId: string): boolean {
  return /^[A-Za-z0-9._~:-]{1,256}$/.test(jobId) && !/^\.+$/.test(jobId);
}
