/** WebAssembly text → binary with wabt (a dev dependency: only the build and its test use it). */
import initWabt from 'wabt';

export async function compileWat(name: string, text: string): Promise<Buffer> {
  const wabt = await initWabt();
  const module = wabt.parseWat(name, text, { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}
