/**
 * Keys and certificates for the TLS tests, made by `openssl` at test time in a temp dir: a CA and an
 * unrelated CA, a server certificate for 127.0.0.1/localhost (and cmf.test, the name proxy tests use), one naming another host, an expired one,
 * and a client certificate (mTLS) with its key also encrypted with PASSPHRASE. Valid for two days.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

export const PASSPHRASE = 'pass-phrase-4711';

export interface Pki {
  dir: string;
  ca: string;
  otherCa: string;
  serverKey: string;
  serverCert: string;
  mismatchCert: string;
  expiredCert: string;
  clientCert: string;
  clientKey: string;
  clientKeyEncrypted: string;
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'cmf-tls-'));
  const p = (f: string) => join(dir, f);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ext = (name: string, text: string) => {
    writeFileSync(p(name), text);
    return p(name);
  };
  // CAs
  for (const [name, cn] of [['ca', 'CMF Test CA'], ['other-ca', 'Some Other CA']]) {
    ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p(`${name}.key`), '-out', p(`${name}.pem`), '-days', '2', '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  }
  // Server key + CSR, signed three ways.
  ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1');
  const serverExt = ext('server.ext', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:cmf.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ossl('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.pem'), '-days', '2', '-extfile', serverExt);
  const mismatchExt = ext('mismatch.ext', 'subjectAltName=DNS:cmf.example.com\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ossl('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('mismatch.pem'), '-days', '2', '-extfile', mismatchExt);
  // Expired: `openssl ca` takes explicit start and end dates (x509 -not_before/-not_after need OpenSSL ≥ 3.4).
  mkdirSync(p('db'));
  writeFileSync(p('db/index.txt'), '');
  writeFileSync(p('db/serial'), '1000\n');
  writeFileSync(
    p('ca.cnf'),
    [
      '[ ca ]', 'default_ca = CA_default', '[ CA_default ]', 'dir = ./db', 'database = ./db/index.txt', 'serial = ./db/serial',
      'new_certs_dir = ./db', 'certificate = ./ca.pem', 'private_key = ./ca.key', 'default_md = sha256', 'policy = policy_any',
      'unique_subject = no', '[ policy_any ]', 'commonName = supplied', '[ server_ext ]',
      'subjectAltName = IP:127.0.0.1,DNS:localhost', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = serverAuth', '',
    ].join('\n'),
  );
  ossl('ca', '-batch', '-config', p('ca.cnf'), '-in', p('server.csr'), '-out', p('expired.pem'), '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-extensions', 'server_ext', '-notext');
  // Client certificate (mTLS), and its key encrypted with a passphrase.
  ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('client.key'), '-out', p('client.csr'), '-subj', '/CN=cmf-user');
  const clientExt = ext('client.ext', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  ossl('x509', '-req', '-in', p('client.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('client.pem'), '-days', '2', '-extfile', clientExt);
  ossl('pkey', '-in', p('client.key'), '-aes256', '-passout', `pass:${PASSPHRASE}`, '-out', p('client-enc.key'));
  return {
    dir,
    ca: p('ca.pem'),
    otherCa: p('other-ca.pem'),
    serverKey: p('server.key'),
    serverCert: p('server.pem'),
    mismatchCert: p('mismatch.pem'),
    expiredCert: p('expired.pem'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    clientKeyEncrypted: p('client-enc.key'),
  };
}
