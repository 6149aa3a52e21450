/**
 * The SHA-256 of a whole file, computed on another thread: a dump's fingerprint
 * (unchanged-dump.ts) is hashed while the main thread loads its modules, probes the server or
 * parses the dump. The worker is plain JavaScript run without the TypeScript loader (no
 * `execArgv`), so it starts in a few milliseconds, in a bundled action too.
 */
import { Worker } from 'node:worker_threads';

export interface FileHash {
  size: number;
  sha256: string;
}

const HASH_FILE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const hash = createHash('sha256');
const fd = openSync(workerData, 'r');
const buf = Buffer.allocUnsafeSlow(4 << 20);
let size = 0;
try {
  for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) {
    hash.update(buf.subarray(0, n));
    size += n;
  }
} finally {
  closeSync(fd);
}
parentPort.postMessage({ size, sha256: hash.digest('hex') });
`;

export function hashFileInWorker(path: string): Promise<FileHash> {
  const hashed = new Promise<FileHash>((resolve, reject) => {
    const worker = new Worker(HASH_FILE, { eval: true, workerData: path, execArgv: [] });
    worker.once('message', (m: FileHash) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`hashing ${path} stopped (exit code ${code})`)));
  });
  hashed.catch(() => {}); // awaited where it is needed; a file that cannot be read fails there
  return hashed;
}
