/** A DumpWriter's output collected through a slow consumer, so that backpressure really happens. */
import { Writable } from 'node:stream';
import { DumpWriter } from '../../actions/platform/dump-writer.ts';

export async function collectDump(
  fn: (w: DumpWriter) => Promise<void>,
  options: ConstructorParameters<typeof DumpWriter>[1],
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      setImmediate(cb); // a slow consumer, so backpressure really happens
    },
  });
  await fn(new DumpWriter(out, options));
  return Buffer.concat(chunks);
}
