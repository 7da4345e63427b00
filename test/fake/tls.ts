// A throwaway certificate authority and a loopback server certificate it signed, made with the openssl command
// (present on Debian, which CI runs, and on macOS) rather than a dependency: Node can make keys but not
// certificates. The official client wants https for its backend (protocol §11) and trusts an extra CA given
// as CODEX_CA_CERTIFICATE; rustls refuses a CA certificate used as the server's own, hence two certificates.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoopbackTls {
  /** PEM of the CA that signed `cert`: what a client must trust. */
  ca: string;
  /** PEM of the server certificate, valid for 127.0.0.1, ::1 and localhost. */
  cert: string;
  /** PEM of the server's private key. */
  key: string;
}

let made: LoopbackTls | undefined;

/** The process's loopback certificate, made on first use (about 0.15 s: three openssl runs), valid for two days. */
export function loopbackTls(): LoopbackTls {
  made ??= makeLoopbackTls();
  return made;
}

function makeLoopbackTls(): LoopbackTls {
  const dir = mkdtempSync(join(tmpdir(), 'codex-fake-tls-'));
  try {
    const path = (name: string) => join(dir, name);
    const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
    const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    writeFileSync(path('ca.cnf'), caConfig());
    openssl(['req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-config', 'ca.cnf', '-extensions', 'ca']);
    openssl(['req', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
    writeFileSync(path('server.ext'), serverExtensions());
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '2', '-out', 'server.pem', '-extfile', 'server.ext']);
    return { ca: readFileSync(path('ca.pem'), 'utf8'), cert: readFileSync(path('server.pem'), 'utf8'), key: readFileSync(path('server.key'), 'utf8') };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`the fake could not make its loopback certificate with openssl: ${stderr || (error as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function caConfig(): string {
  return [
    '[req]',
    'distinguished_name = dn',
    'prompt = no',
    '[dn]',
    'CN = codex-oauth fake backend CA (throwaway)',
    '[ca]',
    'basicConstraints = critical, CA:TRUE',
    'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
    '',
  ].join('\n');
}

function serverExtensions(): string {
  return [
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature',
    'extendedKeyUsage = serverAuth',
    'subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost',
    'authorityKeyIdentifier = keyid',
    '',
  ].join('\n');
}
