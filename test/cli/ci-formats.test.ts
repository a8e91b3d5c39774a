/**
 * `cmf-pools lint` for CI, with the built dist/cli.js on the example files: SARIF 2.1.0 (validated against the OASIS
 * schema, test/fixtures/sarif/, and by Microsoft's SARIF Multitool), GitHub Actions workflow commands (against their
 * grammar and the runner's escaping), and --max-warnings.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { catalogue, ruleListing } from '../../language-service/src/index';
import { dedicatedPool, text } from '../pools';
import { tempFolders } from './temp';

/** Temporary folders, removed when the file's tests are done. */
const temp = tempFolders();

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SCHEMA = path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface JsonReport {
  file: string;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity: string; code: string; message: string }[];
}


const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

describe('lint --format sarif', () => {
  let log: any;
  let json: JsonReport[];
  let validate: ReturnType<InstanceType<typeof AjvDraft04>['compile']>;
  before(() => {
    const r = run(['lint', '--format', 'sarif', 'examples']);
    assert.equal(r.code, 1, r.err);
    assert.equal(r.err, '12 problems (6 errors, 5 warnings, 1 info, 0 hints) in 3 files.\n', 'the summary goes to standard error');
    log = JSON.parse(r.out);
    json = JSON.parse(run(['lint', '--format', 'json', 'examples']).out) as JsonReport[];
    const schemaText = readFileSync(SCHEMA);
    assert.equal(createHash('sha256').update(schemaText).digest('hex'), 'c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e', 'the fixture is the file its README names');
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(schemaText.toString('utf8')));
  });

  it('is valid against the SARIF 2.1.0 schema, formats included (and the schema does catch a broken log)', () => {
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const broken = structuredClone(log);
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    broken.runs[0].results[1].level = 'fatal';
    broken.runs[0].tool.driver.informationUri = 'not a uri';
    assert.equal(validate(broken), false);
    assert.deepEqual(validate.errors!.map((e) => e.instancePath).sort(), ['/runs/0/results/0/locations/0/physicalLocation/region/startLine', '/runs/0/results/1/level', '/runs/0/tool/driver/informationUri']);
  });

  it('has one run whose tool names itself and lists every rule of the catalogue, each schema keyword a rule of its own', () => {
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'cmf-pools');
    assert.equal(driver.version, VERSION);
    assert.equal(driver.semanticVersion, VERSION);
    assert.equal(driver.informationUri, 'https://www.npmjs.com/package/cmf-pools');
    const ids = driver.rules.map((r: any) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'each rule once');
    for (const { code, severity, summary } of catalogue()) {
      if (code === 'schema/<keyword>') continue;
      const rule = driver.rules.find((r: any) => r.id === code);
      assert.ok(rule, code);
      assert.equal(rule.shortDescription.text, summary, code);
      assert.ok(rule.fullDescription.text.startsWith(summary) && rule.fullDescription.text.length > summary.length, code);
      assert.equal(rule.defaultConfiguration.level, LEVEL[severity], code);
      assert.match(rule.helpUri, /^https:\/\/(docs\.confluent\.io|nightlies\.apache\.org)\//, code);
    }
    const schemaIds = ids.filter((id: string) => id.startsWith('schema/') && id !== 'schema/additionalProperties');
    for (const keyword of ['required', 'type', 'enum', 'pattern', 'minimum']) assert.ok(schemaIds.includes(`schema/${keyword}`), keyword);
    assert.deepEqual(ids, ruleListing().map((r) => r.code));
    assert.equal(driver.rules.find((r: any) => r.id === 'flink-config-unknown-key').helpUri, 'https://nightlies.apache.org/flink/flink-docs-release-2.0/docs/deployment/config/');
  });

  it('has a result per problem, with its rule, level, message and 1-based region, located relative to the repository root', () => {
    const run0 = log.runs[0];
    assert.equal(run0.originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(ROOT).href + '/');
    const expected = json.flatMap((f) => f.diagnostics.map((d) => ({ file: f.file, ...d })));
    assert.equal(run0.results.length, expected.length);
    assert.equal(expected.length, 12);
    run0.results.forEach((r: any, i: number) => {
      const d = expected[i]!;
      assert.equal(r.ruleId, d.code);
      assert.equal(run0.tool.driver.rules[r.ruleIndex].id, d.code);
      assert.equal(r.level, LEVEL[d.severity]);
      assert.equal(r.message.text, d.message);
      const loc = r.locations[0].physicalLocation;
      assert.deepEqual(loc.artifactLocation, { uri: d.file, uriBaseId: '%SRCROOT%' });
      assert.deepEqual(loc.region, { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 });
    });
    // The region covers what the problem is about: image-too-old is the image value, quotes included.
    const image = run0.results.find((r: any) => r.ruleId === 'image-too-old').locations[0].physicalLocation.region;
    const line = readFileSync(path.join(ROOT, 'examples/bad/shared-bad.pool.json'), 'utf8').split('\n')[image.startLine - 1]!;
    assert.equal(line.slice(image.startColumn - 1, image.endColumn - 1), '"confluentinc/cp-flink-sql:1.19-cp5"');
    assert.deepEqual(run0.invocations, [{ executionSuccessful: true }]);
  });

  it('locates files relative to the repository root from a sub-folder too, and escapes what a URI must', () => {
    const dir = path.join(ROOT, 'examples');
    const sub = JSON.parse(run(['lint', '--format', 'sarif', 'bad'], dir).out);
    assert.equal(sub.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'examples/bad/shared-bad.pool.json');
    // Outside any repository: relative to the folder it runs in; a name with a space, a percent sign and a hash.
    const tmp = temp('cmf-pools-sarif-');
    const pool = dedicatedPool();
    pool.spec.state = 'RUNNING';
    writeFileSync(path.join(tmp, 'my pool #1 100%.pool.json'), text(pool));
    const odd = run(['lint', '--format', 'sarif', '.'], tmp);
    assert.equal(odd.code, 1, odd.err);
    const oddLog = JSON.parse(odd.out);
    assert.ok(validate(oddLog), JSON.stringify(validate.errors));
    assert.deepEqual(oddLog.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'my%20pool%20%231%20100%25.pool.json', uriBaseId: '%SRCROOT%' });
    assert.equal(decodeURIComponent('my%20pool%20%231%20100%25.pool.json'), 'my pool #1 100%.pool.json');
  });

  it('a file that cannot be read is an execution notification, and the run is not successful (exit 2)', () => {
    const r = run(['lint', '--format', 'sarif', 'examples/shared.pool.json', 'examples/missing.pool.json']);
    assert.equal(r.code, 2);
    const l = JSON.parse(r.out);
    assert.ok(validate(l), JSON.stringify(validate.errors));
    const inv = l.runs[0].invocations[0];
    assert.equal(inv.executionSuccessful, false);
    assert.equal(inv.toolExecutionNotifications[0].level, 'error');
    assert.equal(inv.toolExecutionNotifications[0].message.text, 'Cannot read examples/missing.pool.json: no such file.');
    const glob = run(['lint', '--format', 'sarif', 'examples/shared.pool.json', 'nothing-*.json']);
    assert.equal(glob.code, 2);
    const globLog = JSON.parse(glob.out);
    assert.ok(validate(globLog), JSON.stringify(validate.errors));
    assert.equal(globLog.runs[0].invocations[0].executionSuccessful, false);
    assert.equal(globLog.runs[0].invocations[0].toolExecutionNotifications[0].message.text, 'No file matches "nothing-*.json".');
  });

  const multitool = (() => {
    try {
      return require.resolve('@microsoft/sarif-multitool-linux/Sarif.Multitool');
    } catch {
      return undefined;
    }
  })();
  const unsupported = process.platform !== 'linux' && `Microsoft's SARIF Multitool for npm runs on Linux only (this is ${process.platform})`;

  it("passes Microsoft's SARIF Multitool validation: no error, no warning (which a missing rule description or version gives)", { skip: unsupported }, () => {
    assert.ok(multitool && existsSync(multitool), '@microsoft/sarif-multitool-linux is installed (npm ci installs it on Linux)');
    const tmp = temp('cmf-pools-multitool-');
    const validateWithMultitool = (sarif: unknown) => {
      writeFileSync(path.join(tmp, 'lint.sarif'), JSON.stringify(sarif));
      const r = spawnSync(multitool!, ['validate', path.join(tmp, 'lint.sarif'), '--output', path.join(tmp, 'validation.sarif'), '--log', 'ForceOverwrite', '--level', 'Error;Warning'], {
        encoding: 'utf8',
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
      });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const results = (JSON.parse(readFileSync(path.join(tmp, 'validation.sarif'), 'utf8')) as any).runs[0].results ?? [];
      return results.map((x: any) => `${x.level ?? 'warning'} ${x.ruleId} ${JSON.stringify(x.message.arguments ?? x.message.text)}`);
    };
    assert.deepEqual(validateWithMultitool(log), []);
    // The check can fail: without the tool's version and information URI (warnings), and with a region that is not one (an error).
    const unnamed = structuredClone(log);
    delete unnamed.runs[0].tool.driver.version;
    delete unnamed.runs[0].tool.driver.semanticVersion;
    delete unnamed.runs[0].tool.driver.informationUri;
    const warnings = validateWithMultitool(unnamed);
    assert.ok(warnings.some((f: string) => f.startsWith('warning SARIF2005 ') && f.includes('version')), warnings.join('\n'));
    assert.ok(warnings.some((f: string) => f.startsWith('warning SARIF2005 ') && !f.includes('version')), warnings.join('\n'));
    const broken = structuredClone(log);
    broken.runs[0].results[0].locations[0].physicalLocation.region = 1;
    const errors = validateWithMultitool(broken);
    assert.ok(errors.some((f: string) => f.startsWith('error ')), errors.join('\n'));
  });
});

/** A workflow command line, by the runner's grammar: `::name key=value,...::message`, with the values escaped. */
const COMMAND = /^::(error|warning|notice) (?:file=((?:[^,:%\r\n]|%25|%2C|%3A|%0D|%0A)+),)?line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=((?:[^,:%\r\n]|%25|%2C|%3A)+)::((?:[^%\r\n]|%25|%0D|%0A)*)$/;

/** What the Actions runner makes of an escaped value (the inverse of actions/toolkit's escapeData/escapeProperty). */
const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

describe('lint --format github', () => {
  it('prints one workflow command per problem, in the grammar the runner reads, with 1-based positions', () => {
    const r = run(['lint', '--format', 'github', 'examples']);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trimEnd().split('\n');
    const json = JSON.parse(run(['lint', '--format', 'json', 'examples']).out) as JsonReport[];
    const expected = json.flatMap((f) => f.diagnostics.map((d) => ({ file: f.file, ...d })));
    assert.equal(lines.length, expected.length);
    lines.forEach((line, i) => {
      const m = COMMAND.exec(line);
      assert.ok(m, line);
      const d = expected[i]!;
      assert.equal(m[1], { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' }[d.severity]);
      assert.equal(unescape(m[2]!), d.file);
      assert.deepEqual([m[3], m[4], m[5]].map(Number), [d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1]);
      assert.equal(Number(m[6]), d.range.end.character, 'the end column is the last character of the range, inclusive');
      assert.equal(unescape(m[7]!), d.code);
      assert.equal(unescape(m[8]!), d.message);
    });
    assert.match(r.err, /^12 problems \(6 errors, 5 warnings, 1 info, 0 hints\) in 3 files\.\n$/);
  });

  it('escapes file names and messages as the runner requires, so a value cannot end the command or start another', () => {
    const tmp = temp('cmf-pools-github-');
    const pool = dedicatedPool();
    pool.spec['bad\nkey%0A::error file=x::y,z'] = 1;
    const name = 'odd, name: 100%.pool.json';
    writeFileSync(path.join(tmp, name), text(pool));
    const r = run(['lint', '--format', 'github', '--rule', 'ha-recommended=info', '.'], tmp);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.out);
    const m = COMMAND.exec(lines[0]!);
    assert.ok(m, lines[0]);
    assert.equal(m[1], 'warning');
    assert.equal(m[2], 'odd%2C name%3A 100%25.pool.json');
    assert.equal(unescape(m[2]!), name);
    assert.equal(unescape(m[8]!), 'Unknown property "bad\nkey%0A::error file=x::y,z" in spec. Known properties: type, state, clusterSpec.');
  });

  it('info and hints are notices; standard input has no file; paths are relative to the repository root', () => {
    const shared = JSON.parse(readFileSync(path.join(ROOT, 'examples/shared.pool.json'), 'utf8'));
    delete shared.spec.clusterSpec.flinkConfiguration['high-availability.type'];
    const r = spawnSync(process.execPath, [CLI, 'lint', '--format', 'github', '--rule', 'image-missing=hint', '-'], { cwd: path.join(ROOT, 'examples'), input: JSON.stringify(shared), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^::notice line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=ha-recommended::/m);
    const sub = run(['lint', '--format', 'github', 'bad'], path.join(ROOT, 'examples'));
    assert.match(sub.out, /^::error file=examples\/bad\/shared-bad\.pool\.json,line=5,col=13,/);
  });
});

describe('--max-warnings', () => {
  it('exits 1 when there are more warnings than N, and says so; errors still fail; N must be a whole number', () => {
    const tmp = temp('cmf-pools-max-warnings-');
    const warn = dedicatedPool();
    warn.spec.clusterSpec.mode = 'native';
    writeFileSync(path.join(tmp, 'warn.pool.json'), text(warn));
    assert.equal(run(['lint', 'warn.pool.json'], tmp).code, 0);
    assert.equal(run(['lint', '--max-warnings', '1', 'warn.pool.json'], tmp).code, 0);
    const over = run(['lint', '--max-warnings', '0', 'warn.pool.json'], tmp);
    assert.equal(over.code, 1);
    assert.equal(over.err, 'cmf-pools lint: 1 warning, more than --max-warnings 0 allows.\n');
    const sarif = run(['lint', '--format', 'sarif', '--max-warnings', '0', 'warn.pool.json'], tmp);
    assert.equal(sarif.code, 1);
    assert.equal(JSON.parse(sarif.out).runs[0].results.length, 1);
    assert.equal(run(['lint', '--max-warnings', '10', path.join(ROOT, 'examples/bad')], tmp).code, 1, 'errors fail whatever N is');
    for (const bad of ['-1', 'x', '1.5', '']) {
      const r = run(['lint', `--max-warnings=${bad}`, 'warn.pool.json'], tmp);
      assert.equal(r.code, 2, bad);
      assert.match(r.err, /--max-warnings must be a whole number, 0 or more/);
    }
  });
});
