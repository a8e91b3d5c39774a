/** Value parsers: Flink's TimeUtils / MemorySize / ConfigurationUtils, K8s quantities, the operator's memory parsing. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { optionSetFor, type FlinkOption } from '../../language-service/src/flink/options';
import { DURATION_UNIT_LABELS, checkValue, parseDuration, splitEscaped } from '../../language-service/src/flink/values';
import { MEMORY_UNIT_LABELS, parseKubernetesQuantity, parseMemorySize, parseResourceMemory } from '../../cmf-model/src/quantities';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;
const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

function table<T>(name: string, fn: (text: string) => T | undefined, cases: [string, T | undefined][]) {
  describe(name, () => {
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} -> ${expected === undefined ? 'rejected' : String(expected)}`, () => {
        assert.equal(fn(input), expected);
      });
    }
  });
}

table('parseDuration (TimeUtils.parseDuration)', parseDuration, [
  ['10s', 10 * S],
  ['10 s', 10 * S],
  ['  10 s  ', 10 * S],
  ['10\ts', 10 * S],
  ['1min', MIN],
  ['1 min', MIN],
  ['1m', MIN],
  ['2 minute', 2 * MIN],
  ['3 minutes', 3 * MIN],
  ['1 h', H],
  ['1 hour', H],
  ['2 hours', 2 * H],
  ['1 d', D],
  ['1 day', D],
  ['7 days', 7 * D],
  ['10 sec', 10 * S],
  ['10 secs', 10 * S],
  ['1 second', S],
  ['5 seconds', 5 * S],
  ['500 ms', 500],
  ['500', 500],
  ['0', 0],
  ['1 milli', 1],
  ['2 millis', 2],
  ['1 millisecond', 1],
  ['3 milliseconds', 3],
  ['1000 µs', 1],
  ['1000 micro', 1],
  ['1000 micros', 1],
  ['1000 microseconds', 1],
  ['1000000 ns', 1],
  ['1000000 nanos', 1],
  ['1000000 nanoseconds', 1],
  ['10 S', 10 * S],
  ['1 MIN', MIN],
  ['1 Hours', H],
  ['10 MS', 10],
  ['007s', 7 * S],
  // eslint-disable-next-line no-loss-of-precision -- Long.MAX_VALUE as Flink parses it, approximated as a number
  ['9223372036854775807', 9223372036854775807],
  // eslint-disable-next-line no-loss-of-precision -- as above
  ['9223372036854775807 s', 9223372036854775807 * S],
  ['106751991167300 d', 106751991167300 * D],
  // rejected where Flink throws
  ['', undefined],
  ['   ', undefined],
  ['PT10S', undefined], // TimeUtils has no ISO-8601 (1.19, 1.20, 2.0)
  ['pt10s', undefined],
  ['1.5s', undefined], // integer only
  ['1,5 s', undefined],
  ['-1s', undefined],
  ['+1s', undefined],
  ['s', undefined],
  ['ten seconds', undefined],
  ['10 mins', undefined],
  ['10 hr', undefined],
  ['10 hrs', undefined],
  ['10 x', undefined],
  ['10 s s', undefined],
  ['1 0s', undefined],
  ['1_000 ms', undefined],
  ['１０s', undefined], // full-width digits
  ['10μs', undefined], // Greek mu, not the micro sign
  ['9223372036854775808', undefined], // Long overflow
  ['106751991167301 d', undefined], // Duration.of: seconds overflow
]);

table('parseMemorySize (MemorySize.parse)', parseMemorySize, [
  ['1024m', GiB],
  ['1024 m', GiB],
  ['2g', 2 * GiB],
  ['2048mb', 2 * GiB],
  ['2048 MB', 2 * GiB],
  ['1 gb', GiB],
  ['1GB', GiB],
  ['1 gibibytes', GiB],
  ['64 kb', 64 * KiB],
  ['64k', 64 * KiB],
  ['1 kibibytes', KiB],
  ['1 mebibytes', MiB],
  ['1 t', TiB],
  ['1 TB', TiB],
  ['1 tebibytes', TiB],
  ['512', 512],
  ['512 b', 512],
  ['512 bytes', 512],
  ['0', 0],
  ['  256 mb  ', 256 * MiB],
  ['8589934591 g', 8589934591 * GiB],
  ['', undefined],
  ['  ', undefined],
  ['1.5g', undefined],
  ['2Gi', undefined],
  ['1 gib', undefined],
  ['-1m', undefined],
  ['+1m', undefined],
  ['lots', undefined],
  ['1024x', undefined],
  ['1 kilobyte', undefined],
  ['8589934592 g', undefined], // 2^63 bytes: overflow
  ['9223372036854775808', undefined],
]);

table('parseKubernetesQuantity', parseKubernetesQuantity, [
  ['2Gi', 2 * GiB],
  ['100Ki', 100 * KiB],
  ['512Mi', 512 * MiB],
  ['1Ti', TiB],
  ['1.5G', 1.5e9],
  ['1G', 1e9],
  ['500M', 5e8],
  ['1k', 1000],
  ['500m', 0.5],
  ['1e3', 1000],
  ['1E3', 1000],
  ['1e-3', 0.001],
  ['1E', 1e18],
  ['0.5Gi', 0.5 * GiB],
  ['.5', 0.5],
  ['1.', 1],
  ['10', 10],
  ['+1', 1],
  ['-1', -1],
  ['', undefined],
  ['1.5 Gi', undefined],
  ['1K', undefined],
  ['1KB', undefined],
  ['1GB', undefined],
  ['1gi', undefined],
  ['Gi', undefined],
  ['1e', undefined],
  ['1e3Gi', undefined],
  ['lots', undefined],
  [' 1Gi', undefined],
]);

table('parseResourceMemory (operator FlinkConfigBuilder.parseResourceMemoryString)', parseResourceMemory, [
  ['1024m', GiB], // MemorySize first: mebibytes, not K8s milli
  ['1g', GiB],
  ['2g', 2 * GiB],
  ['2048mb', 2 * GiB],
  ['2048 MB', 2 * GiB],
  ['2Gi', 2 * GiB],
  ['2gi', 2 * GiB],
  ['2GiB', 2 * GiB],
  ['2gib', 2 * GiB],
  ['512Mi', 512 * MiB],
  ['1.5g', 1.5e9],
  ['1.5G', 1.5e9],
  ['1.5gb', 1.5e9],
  ['1.5Gi', 1.5 * GiB],
  ['1.5Ki', 1536],
  ['0.5g', 5e8],
  ['1e3', 1000],
  ['1024', 1024],
  ['lots', undefined],
  ['', undefined],
  ['1024x', undefined],
  ['-1Gi', undefined],
  ['-1', undefined],
  ['1.5 g', undefined],
  ['1.5x', undefined],
  ['Gi', undefined],
]);

describe('splitEscaped (StructuredOptionsSplitter)', () => {
  const cases: [string, string, string[] | 'error'][] = [
    ['a;b;c', ';', ['a', 'b', 'c']],
    [' a ; b ', ';', ['a', 'b']],
    ['a;;b', ';', ['a', '', 'b']],
    ['', ';', []],
    ["'a;b';c", ';', ['a;b', 'c']],
    ['"a""b";c', ';', ['a"b', 'c']],
    ["'a;b", ';', 'error'],
    ["'a'b;c", ';', 'error'],
    ["a'b;c", ';', 'error'],
  ];
  for (const [text, delimiter, expected] of cases) {
    it(`${JSON.stringify(text)}`, () => {
      const r = splitEscaped(text, delimiter);
      if (expected === 'error') assert.ok('error' in r, JSON.stringify(r));
      else assert.deepEqual(r, { items: expected });
    });
  }
});

describe('checkValue', () => {
  const opt = (type: string, possibleValues?: string[]): FlinkOption => ({
    key: `test.${type}`,
    type,
    default: null,
    description: '',
    ...(possibleValues ? { possibleValues } : {}),
  });
  const set = optionSetFor('v1_19');
  const real = (key: string): FlinkOption => {
    const o = set.get(key);
    assert.ok(o, key);
    return o;
  };

  const cases: [string, FlinkOption | (() => FlinkOption), string, boolean][] = [
    // [label, option, value, accepted]
    ['Duration', () => real('execution.checkpointing.interval'), '10s', true],
    ['Duration', () => real('execution.checkpointing.interval'), '10 s', true],
    ['Duration', () => real('execution.checkpointing.interval'), '1min', true],
    ['Duration', () => real('execution.checkpointing.interval'), '1 h', true],
    ['Duration', () => real('execution.checkpointing.interval'), '10 sec', true],
    ['Duration', () => real('execution.checkpointing.interval'), '10 secs', true],
    ['Duration', () => real('execution.checkpointing.interval'), '60000', true],
    ['Duration', () => real('execution.checkpointing.interval'), 'PT10S', false],
    ['Duration', () => real('execution.checkpointing.interval'), '1.5s', false],
    ['Duration', () => real('execution.checkpointing.interval'), '', false],
    ['Duration', () => real('execution.checkpointing.interval'), '-1s', false],
    ['Duration', () => real('execution.checkpointing.interval'), '10 mins', false],
    ['MemorySize', () => real('taskmanager.memory.process.size'), '1728m', true],
    ['MemorySize', () => real('taskmanager.memory.process.size'), '2 gb', true],
    ['MemorySize', () => real('taskmanager.memory.process.size'), '2Gi', false],
    ['MemorySize', () => real('taskmanager.memory.process.size'), '1.5g', false],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), '4', true],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), '-1', true],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), '+4', true],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), '2147483647', true],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), '2147483648', false],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), '-2147483649', false],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), '4.0', false],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), ' 4', false],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), 'four', false],
    ['Integer', () => real('taskmanager.numberOfTaskSlots'), '', false],
    ['Long', opt('Long'), '9223372036854775807', true],
    ['Long', opt('Long'), '-9223372036854775808', true],
    ['Long', opt('Long'), '9223372036854775808', false],
    ['Long', opt('Long'), '1e3', false],
    ['Double', opt('Double'), '0.5', true],
    ['Double', opt('Double'), ' 0.5 ', true],
    ['Double', opt('Double'), '2', true],
    ['Double', opt('Double'), '.5', true],
    ['Double', opt('Double'), '1.', true],
    ['Double', opt('Double'), '1e3', true],
    ['Double', opt('Double'), '-1.5E-3', true],
    ['Double', opt('Double'), '1.5f', true],
    ['Double', opt('Double'), 'NaN', true],
    ['Double', opt('Double'), '-Infinity', true],
    ['Double', opt('Double'), '0x1p3', true],
    ['Double', opt('Double'), '1,5', false],
    ['Double', opt('Double'), '1e', false],
    ['Double', opt('Double'), 'nan', false],
    ['Double', opt('Double'), '', false],
    ['Float', opt('Float'), '0.25', true],
    ['Float', opt('Float'), 'abc', false],
    ['Boolean', opt('Boolean'), 'true', true],
    ['Boolean', opt('Boolean'), 'FALSE', true],
    ['Boolean', opt('Boolean'), 'True', true],
    ['Boolean', opt('Boolean'), 'yes', false],
    ['Boolean', opt('Boolean'), '1', false],
    ['Boolean', opt('Boolean'), ' true', false],
    ['Enum', () => real('execution.checkpointing.mode'), 'EXACTLY_ONCE', true],
    ['Enum', () => real('execution.checkpointing.mode'), 'at_least_once', true],
    ['Enum', () => real('execution.checkpointing.mode'), 'EXACTLY-ONCE', false],
    ['Enum', () => real('execution.checkpointing.mode'), ' EXACTLY_ONCE', false],
    ['Enum', () => real('execution.checkpointing.mode'), '', false],
    ['Enum', () => real('kubernetes.rest-service.exposed.type'), 'clusterip', true],
    ['List<Enum>', () => real('state.backend.rocksdb.compression.per.level'), 'SNAPPY_COMPRESSION', true],
    ['List<Enum>', () => real('state.backend.rocksdb.compression.per.level'), 'NO_COMPRESSION;lz4_compression; ZSTD_COMPRESSION', true],
    ['List<Enum>', () => real('state.backend.rocksdb.compression.per.level'), '[NO_COMPRESSION, ZSTD_COMPRESSION]', true],
    ['List<Enum>', () => real('state.backend.rocksdb.compression.per.level'), '', true],
    ['List<Enum>', () => real('state.backend.rocksdb.compression.per.level'), 'SNAPPY;LZ4', false],
    ['List<Enum>', () => real('state.backend.rocksdb.compression.per.level'), 'NO_COMPRESSION,ZSTD_COMPRESSION', false],
    ['List<Enum>', () => real('state.backend.rocksdb.compression.per.level'), 'NO_COMPRESSION;;ZSTD_COMPRESSION', false],
    ['Map', () => real('pipeline.jobvertex-parallelism-overrides'), 'a:1,b:2', true],
    ['Map', () => real('pipeline.jobvertex-parallelism-overrides'), '', true],
    ['Map', () => real('pipeline.jobvertex-parallelism-overrides'), "'k:1':2", false],
    ['Map', () => real('pipeline.jobvertex-parallelism-overrides'), "\"'k:1':2\"", true],
    ['Map', () => real('pipeline.jobvertex-parallelism-overrides'), '{a: 1, b: 2}', true],
    ['Map', () => real('pipeline.jobvertex-parallelism-overrides'), 'a=1', false],
    ['Map', () => real('pipeline.jobvertex-parallelism-overrides'), 'a:1:2', false],
    ['Map', () => real('pipeline.jobvertex-parallelism-overrides'), 'a:1,a:2', false],
    ['String', () => real('high-availability.storageDir'), 's3://bucket/ha', true],
    ['String', () => real('high-availability.storageDir'), '', true],
    ['List<String>', opt('List<String>'), "a;'b", true],
    ['List<Map>', opt('List<Map>'), 'whatever', true],
  ];
  for (const [label, option, value, accepted] of cases) {
    it(`${label} ${JSON.stringify(value)} ${accepted ? 'accepted' : 'rejected'}`, () => {
      const o = typeof option === 'function' ? option() : option;
      const reason = checkValue(o, value);
      if (accepted) assert.equal(reason, undefined);
      else assert.ok(typeof reason === 'string' && reason.length > 10, `expected a reason, got ${reason}`);
    });
  }

  it('reasons name the expected form with an example', () => {
    assert.match(checkValue(real('execution.checkpointing.interval'), '1.5s')!, /expected a duration such as "10 s", "1 min" or "500 ms"/);
    assert.match(checkValue(real('execution.checkpointing.interval'), '1.5s')!, /whole numbers/);
    assert.match(checkValue(real('execution.checkpointing.interval'), '10 mins')!, /unknown duration unit "mins"/);
    assert.match(checkValue(real('taskmanager.memory.process.size'), '2Gi')!, /unknown memory unit "Gi".*"1024m"/);
    assert.match(checkValue(real('execution.checkpointing.mode'), 'x')!, /"EXACTLY_ONCE", "AT_LEAST_ONCE"/);
    assert.match(checkValue(opt('Boolean'), 'yes')!, /"true" or "false"/);
    assert.match(checkValue(real('taskmanager.numberOfTaskSlots'), '2147483648')!, /range/);
    assert.match(checkValue(real('state.backend.rocksdb.compression.per.level'), 'SNAPPY;LZ4')!, /"SNAPPY" is not one of/);
    assert.match(checkValue(real('pipeline.jobvertex-parallelism-overrides'), 'a=1')!, /"k1:v1,k2:v2"/);
  });

  it('every documented default of a checked type passes its own check (where the docs print a literal value)', () => {
    // The docs print "infinite" for Integer.MAX_VALUE / Long.MAX_VALUE / MemorySize.MAX_VALUE defaults.
    for (const version of ['v1_19', 'v1_20', 'v2_0']) {
      for (const o of optionSetFor(version).options) {
        if (o.default === null || o.default === 'infinite') continue;
        assert.equal(checkValue(o, o.default), undefined, `${version} ${o.key} = ${JSON.stringify(o.default)}`);
      }
    }
  });
});

describe('properties', () => {
  const anyString = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));

  it('parsers never throw and return finite numbers or undefined', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        for (const parse of [parseDuration, parseMemorySize, parseKubernetesQuantity, parseResourceMemory]) {
          const r = parse(s);
          assert.ok(r === undefined || (typeof r === 'number' && Number.isFinite(r)), `${parse.name}(${JSON.stringify(s)}) = ${r}`);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('checkValue never throws, for every type', () => {
    const types = ['String', 'Boolean', 'Integer', 'Long', 'Double', 'Float', 'Duration', 'MemorySize', 'Enum', 'List<String>', 'List<Enum>', 'Map', 'List<Map>'];
    fc.assert(
      fc.property(fc.constantFrom(...types), anyString, (type, s) => {
        const r = checkValue({ key: 'k', type, default: null, description: '', possibleValues: ['A', 'B'] }, s);
        assert.ok(r === undefined || typeof r === 'string');
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('"<n> <unit>" parses to n times the unit, with or without the space, in any case', () => {
    const ms: Record<string, number> = { d: D, h: H, m: MIN, min: MIN, s: S, ms: 1 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(...Object.keys(ms)), fc.boolean(), fc.boolean(), (n, unit, space, upper) => {
        const u = upper ? unit.toUpperCase() : unit;
        assert.equal(parseDuration(`${n}${space ? ' ' : ''}${u}`), n * ms[unit]!);
      }),
      { seed: 3 },
    );
    assert.equal(DURATION_UNIT_LABELS.length, 30);
  });

  it('"<n><unit>" memory sizes are binary multiples', () => {
    const mult: Record<string, number> = { b: 1, k: KiB, kb: KiB, m: MiB, mb: MiB, g: GiB, gb: GiB, t: TiB, tb: TiB };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8000 }), fc.constantFrom(...Object.keys(mult)), (n, unit) => {
        assert.equal(parseMemorySize(`${n}${unit}`), n * mult[unit]!);
        assert.equal(parseResourceMemory(`${n}${unit}`), n * mult[unit]!);
      }),
      { seed: 5 },
    );
    assert.equal(MEMORY_UNIT_LABELS.length, 14);
  });
});
