/**
 * duplicate-key: a key written twice in one object. JSON.parse, YAML's toJS and CMF keep the last (CMF is a Spring
 * Boot service, whose JSON reader, Jackson, keeps the last value of a duplicate key unless told to refuse it; CFK
 * passes the manifest's value on), so every earlier one is silently ignored: an edit made there has no effect.
 * VS Code's JSON support flags them too; this says which one counts, in JSON and YAML alike.
 */
import { defineRule } from './rule';

export const duplicateKeysRule = defineRule<'duplicate-key'>({
  codes: {
    'duplicate-key': {
      severity: 'warning',
      summary: 'A key appears twice in one object: CMF keeps the last, so this one is ignored.',
      docs: 'cmf',
    },
  },
  check({ doc }, r) {
    for (const d of doc.duplicateKeys) {
      r.report(
        'duplicate-key',
        d,
        `"${d.key}" is set again later in this object, and only the last one counts (CMF, like JSON.parse and YAML readers, keeps the last value), so this one is ignored. Remove it, or remove the later one if this is the value you meant.`,
        { offset: d.offset, key: d.key },
      );
    }
  },
  fixes: {
    'duplicate-key': ({ pool, data }) => {
      const offset = data.offset;
      const key = data.key;
      // Only while the document still has that overridden key there.
      if (typeof offset !== 'number' || typeof key !== 'string' || !pool.doc.duplicateKeys.some((d) => d.offset === offset && d.key === key)) return [];
      return [{ title: `Remove this "${key}" (the later one is the one CMF keeps)`, build: (e) => e.removeKeyAt(offset), preferred: true }];
    },
  },
});
