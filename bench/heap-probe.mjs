// Preloaded into the server by bench/serve-load.mjs (with --expose-gc): on SIGUSR2, collect garbage and print the
// live heap, so the bench can tell a leak from the allocator keeping pages.
process.on('SIGUSR2', () => {
  globalThis.gc();
  process.stderr.write(`heap-probe: ${(process.memoryUsage().heapUsed / 1048576).toFixed(2)}\n`);
});
