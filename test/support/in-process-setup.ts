// The cli, docs and reliability projects run commands in this process: the few readers of process.env below the CLI layer (the
// library's client version, the npm registry it may ask) must see what a test's runCli child would see.
for (const name of Object.keys(process.env)) if (name.startsWith('CODEX_')) delete process.env[name];
// Never the real registry in tests (as runCli's environment): a closed loopback port.
process.env.CODEX_NPM_REGISTRY = 'http://127.0.0.1:9';
