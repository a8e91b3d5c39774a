/**
 * flink-config-secret: a credential written in plain text in flinkConfiguration (object-store keys, passwords,
 * tokens, a JAAS configuration with a password). A pool is readable by anyone who may read compute pools in CMF, and
 * the file usually lives in version control; public pool files do this with `s3.access-key` and `s3.secret-key`
 * (FIELD-NOTES "Shapes people write"). The usual way is a Kubernetes Secret passed to the Flink container through the
 * pod template (`env[].valueFrom.secretKeyRef`). The value itself is never repeated in a message.
 *
 * Which keys: Flink's option data marks no option as secret, so the names decide (the last segments of the key);
 * among Flink's own options they match only the SSL key, keystore and truststore passwords and the InfluxDB
 * reporter's password (a test checks that). A value that is a placeholder (`${S3_SECRET_KEY}`, filled in by a
 * template tool before the pool is sent) holds no secret and is not reported.
 */
import { defineRule } from './rule';

/** Keys (lower case) that hold credentials, by their last segments. */
const CREDENTIAL_KEY =
  /(?:^|[._-])(?:password|passwd|secret|secret[._-]?key|secret[._-]?access[._-]?key|client[._-]?secret|access[._-]?key(?:[._-]?id)?|private[._-]?key|token|api[._-]?key|apikey|service[._-]?key|auth[._-]?params|basic[._-]?auth[._-]?user[._-]?info)$|password|(?:^|\.)fs\.azure\.account\.key\./;
/** A JAAS configuration is a credential when it carries a password or a secret. */
const JAAS_KEY = /(?:^|\.)(?:sasl\.)?jaas\.config$/;
const JAAS_SECRET = /(?:password|secret)\s*=\s*"(?!\$\{)[^"]+"/i;
/** `${NAME}`, `${env:NAME}`: a value filled in later, not a secret. */
const PLACEHOLDER = /^\s*\$\{[^}]+\}\s*$/;

/** Does this flinkConfiguration entry hold a credential in plain text? */
export function isPlainCredential(key: string, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '' || PLACEHOLDER.test(value)) return false;
  const k = key.toLowerCase();
  if (JAAS_KEY.test(k)) return JAAS_SECRET.test(value);
  return CREDENTIAL_KEY.test(k);
}

const EXAMPLE = JSON.stringify({
  podTemplate: {
    spec: {
      containers: [
        {
          name: 'flink-main-container',
          env: [
            { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 's3-credentials', key: 'access-key' } } },
            { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's3-credentials', key: 'secret-key' } } },
          ],
        },
      ],
    },
  },
});

export const secretsRule = defineRule<'flink-config-secret'>({
  codes: {
    'flink-config-secret': {
      severity: 'warning',
      summary: 'A flinkConfiguration value is a credential in plain text (a secret or access key, a password, a token): anyone who may read pools in CMF can read it.',
      docs: 'cmf',
      perEntry: true,
      help:
        'Keep credentials in a Kubernetes Secret and give them to the Flink container through the pod template, e.g. for S3 (the S3 file systems read these variables, so `s3.access-key` and `s3.secret-key` can go):\n\n```json\n' +
        EXAMPLE +
        '\n```',
    },
  },
  check({ pool }, r) {
    if (!pool) return;
    for (const entry of pool.flinkConfig) {
      if (!isPlainCredential(entry.key, entry.text)) continue;
      r.report(
        'flink-config-secret',
        r.keyAt(entry.path),
        `"${entry.key}" holds a credential in plain text: anyone who may read compute pools in CMF can read it, and so can anyone who reads this file. Keep it in a Kubernetes Secret and pass it to the Flink container through the pod template (env[].valueFrom.secretKeyRef) instead.`,
        { path: entry.path, key: entry.key },
      );
    }
  },
});
