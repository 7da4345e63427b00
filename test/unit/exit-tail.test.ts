import { describe, expect, it } from 'vitest';
import { avoidWasmTierUp } from '../../src/cli/exit-tail.js';

// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
const ADD_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64,
  0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
]);

// The project's TypeScript lib has no WebAssembly declarations; Node has the global.
const wasm = (globalThis as unknown as { WebAssembly: { instantiate(bytes: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }> } }).WebAssembly;

describe('the exit-tail flag (--liftoff-only)', () => {
  it('is left alone from Node 22 on, where the flag set at run time has no effect', () => {
    expect(avoidWasmTierUp('22.1.0')).toBe(false);
    expect(avoidWasmTierUp('24.22.3')).toBe(false);
  });

  it('is set on Node 20, and WebAssembly still compiles and runs after it', async () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(avoidWasmTierUp()).toBe(major < 22);
    const { instance } = await wasm.instantiate(ADD_WASM);
    expect((instance.exports.add as (a: number, b: number) => number)(2, 3)).toBe(5);
  });
});
