/**
 * The built language server (`dist/server.js --stdio`) under an editor that types fast and sometimes
 * badly. Each session opens a document, runs steps (bursts of ranged edits with increasing, stale or
 * shuffled versions; whole-text replacements; close and reopen; settings changes) and then checks:
 *
 * - the server lives, writes nothing to stderr, and logs no error or "failed";
 * - every request it advertises in its capabilities (completion, hover, code actions, symbols, ...) is
 *   answered, mid-burst too, without an error other than cancellation, and every range in an answer
 *   lies inside the document;
 * - every publishDiagnostics names a version that was sent since the document was opened, its ranges lie
 *   inside that version's text, and its diagnostics are the ones the language service computes for that
 *   text; with in-order versions, never an older version after a newer one;
 * - after each step, the diagnostics of the last version arrive (within a time limit) and are right;
 * - the server's peak resident memory (VmHWM) stays under a limit.
 *
 * The client mirrors the document with the same TextDocument the server uses, so a ranged edit at any
 * position (past the end, negative) means the same text on both sides.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ClientCapabilities, Diagnostic, Position, PublishDiagnosticsParams, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { startServer, type PoolServer } from '../lsp/lsp-client';
import { edit as editArb, session as sessionArb, uriFor, yamlSession as yamlSessionArb, type Edit, type Session, type Step } from './arbitraries';
import { hostileDocuments, seedDocuments } from './corpus';
import { largePool } from '../../bench/documents';
import { poolText } from '../../language-service/src/index';
import { dedicatedPool, sharedPool } from '../pools';
import {
  FuzzFailure,
  checkDiagnostics,
  checkResponseRanges,
  describeDifference,
  expectedDiagnostics,
  fail,
  lineLengths,
  resolve,
  sameDiagnostics,
} from './invariants';

/** What VS Code announces, so handlers take the paths they take in the editor. */
const CLIENT_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    completion: { completionItem: { snippetSupport: true, insertReplaceSupport: true, documentationFormat: ['markdown' as const, 'plaintext' as const], resolveSupport: { properties: ['documentation', 'detail'] } }, contextSupport: true },
    hover: { contentFormat: ['markdown' as const, 'plaintext' as const] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } }, isPreferredSupport: true, dataSupport: true, resolveSupport: { properties: ['edit'] } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    foldingRange: { lineFoldingOnly: true },
    diagnostic: { relatedDocumentSupport: false },
  },
  workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
};

/** Request kinds the fuzzer sends when the server advertises them. */
interface RequestKind {
  capability: string;
  method: string;
  params(uri: string, at: Position, range: Range, diagnostics: Diagnostic[]): unknown;
}
const REQUESTS: RequestKind[] = [
  { capability: 'completionProvider', method: 'textDocument/completion', params: (uri, at) => ({ textDocument: { uri }, position: at, context: { triggerKind: 1 } }) },
  { capability: 'hoverProvider', method: 'textDocument/hover', params: (uri, at) => ({ textDocument: { uri }, position: at }) },
  {
    capability: 'codeActionProvider',
    method: 'textDocument/codeAction',
    params: (uri, _at, range, diagnostics) => ({ textDocument: { uri }, range, context: { diagnostics, triggerKind: 1 } }),
  },
  { capability: 'documentSymbolProvider', method: 'textDocument/documentSymbol', params: (uri) => ({ textDocument: { uri } }) },
  { capability: 'foldingRangeProvider', method: 'textDocument/foldingRange', params: (uri) => ({ textDocument: { uri } }) },
  { capability: 'selectionRangeProvider', method: 'textDocument/selectionRange', params: (uri, at) => ({ textDocument: { uri }, positions: [at] }) },
  { capability: 'documentFormattingProvider', method: 'textDocument/formatting', params: (uri) => ({ textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }) },
  { capability: 'documentLinkProvider', method: 'textDocument/documentLink', params: (uri) => ({ textDocument: { uri } }) },
  { capability: 'codeLensProvider', method: 'textDocument/codeLens', params: (uri) => ({ textDocument: { uri } }) },
  { capability: 'definitionProvider', method: 'textDocument/definition', params: (uri, at) => ({ textDocument: { uri }, position: at }) },
  { capability: 'documentHighlightProvider', method: 'textDocument/documentHighlight', params: (uri, at) => ({ textDocument: { uri }, position: at }) },
  { capability: 'inlayHintProvider', method: 'textDocument/inlayHint', params: (uri, _at, range) => ({ textDocument: { uri }, range }) },
  { capability: 'diagnosticProvider', method: 'textDocument/diagnostic', params: (uri) => ({ textDocument: { uri } }) },
];
/** Errors a server may answer with: the request was overtaken by an edit or cancelled. */
const BENIGN_ERRORS = new Set([-32800, -32801, -32802]);
const INVALID_PARAMS = -32602;

export interface ServerFuzzOptions {
  seed: number;
  /** Random sessions to run (after the named scenarios). */
  sessions: number;
  /** Keep running sessions until at least this many edits were sent. */
  minEdits?: number;
  /** Include the big named documents (5 MB, 10,000-deep, long lines) among random starting texts. */
  hostile?: boolean;
  /** Run the named scenarios first: all (default), none, or those with these names. */
  scenarios?: boolean | string[];
  /** Fail when the server's peak RSS exceeds this (default 1 GiB). */
  maxRssBytes?: number;
  /** YAML sessions to run after the others (their seeds are YAML_SEEDS and up). */
  yamlSessions?: number;
  /** Replay only these session seeds (from YAML_SEEDS up: YAML sessions). */
  only?: number[];
  log?: (line: string) => void;
}

interface ServerFuzzFailure {
  /** The session's seed (`--replay SEED`), or the scenario's name. */
  seed: number | string;
  message: string;
  session?: Session;
  /** The document's text when the failure was seen. */
  text?: string;
}

export interface ServerFuzzResult {
  sessions: number;
  steps: number;
  edits: number;
  publishes: number;
  requests: Record<string, number>;
  /** Requests a server answered with a cancellation or content-modified error. */
  cancelled: number;
  ms: number;
  /** Peak resident set size of the server process(es), from /proc (Linux); 0 where unknown. */
  peakRssBytes: number;
  /** Resident set size after the named scenarios and at the end, to see that memory does not grow. */
  rssAfterScenariosBytes: number;
  rssAtEndBytes: number;
  failures: ServerFuzzFailure[];
  capabilities: string[];
}

interface Entry {
  version: number;
  seq: number;
  /** Kept for small texts and for the last version of a step; big intermediate ones are dropped. */
  text: string | undefined;
}

/** What is checked per opening of a document. */
interface Generation {
  entries: Entry[];
  orderly: boolean;
  lastPublishedSeq: number;
}

interface DocState {
  uri: string;
  languageId: 'json' | 'yaml';
  mirror: TextDocument;
  open: boolean;
  /** Versions sent since the last didOpen, in order. */
  entries: Entry[];
  highest: number;
  /** No stale or shuffled version sent since the last open: publishes must then come in order. */
  orderly: boolean;
  lastPublishedSeq: number;
  /** Settings changed and the step's check has not seen the new diagnostics yet: old ones may still arrive. */
  settingsInFlight: boolean;
  /**
   * Openings the client has closed and the server has not yet confirmed (with its unversioned, empty publish),
   * oldest first. Until it does, what the server publishes belongs to the oldest of them: it was sent before
   * the server read the didClose.
   */
  closed: Generation[];
  lastDiagnostics: Diagnostic[];
}

const KEEP_TEXT = 256 * 1024;
const PUBLISH_TIMEOUT_MS = 60_000;

function procStatus(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  if (!pid) return 0;
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new FuzzFailure(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A tiny deterministic generator for the choices a session makes while it runs (positions of requests). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

class ServerFuzzer {
  private server!: PoolServer;
  private docs = new Map<string, DocState>();
  private processed = 0;
  private seq = 0;
  private stderrSeen = 0;
  private logsSeen = 0;
  private problems: string[] = [];
  private settings: Record<string, unknown> = {};
  private resolved = resolve({});
  private peakRss = 0;
  private uriCounter = 0;
  private current: DocState | undefined;
  private settingsDelayMs = 0;
  readonly result: ServerFuzzResult = {
    sessions: 0,
    steps: 0,
    edits: 0,
    publishes: 0,
    requests: {},
    cancelled: 0,
    ms: 0,
    peakRssBytes: 0,
    rssAfterScenariosBytes: 0,
    rssAtEndBytes: 0,
    failures: [],
    capabilities: [],
  };

  constructor(private readonly opts: ServerFuzzOptions) {}

  async start(): Promise<void> {
    this.server = await startServer(this.settings, { capabilities: CLIENT_CAPABILITIES });
    this.docs.clear();
    this.processed = 0;
    this.stderrSeen = 0;
    this.logsSeen = 0;
    this.problems = [];
    const caps = this.server.capabilities as Record<string, unknown>;
    this.result.capabilities = REQUESTS.filter((r) => caps[r.capability]).map((r) => r.method);
    this.server.process.on('exit', (code, signal) => this.problems.push(`the server exited (code ${code}, signal ${signal})`));
    this.server.connection.onRequest('workspace/configuration', async (params: { items: unknown[] }) => {
      if (this.settingsDelayMs > 0) await sleep(this.settingsDelayMs);
      return params.items.map(() => this.server.settings);
    });
  }

  async stop(): Promise<void> {
    this.recordRss();
    this.result.rssAtEndBytes = procStatus(this.server.process.pid, 'VmRSS');
    if (this.server.process.exitCode === null) await this.server.stop();
  }

  /** The server's resident set size now. */
  rss(): number {
    return procStatus(this.server.process.pid, 'VmRSS');
  }

  private recordRss(): void {
    this.peakRss = Math.max(this.peakRss, procStatus(this.server.process.pid, 'VmHWM'));
    this.result.peakRssBytes = this.peakRss;
  }

  // ---------------------------------------------------------------------------------------------------
  // Checks on what the server sends by itself

  /** Everything wrong so far: stderr output, error logs, a dead process, bad publishes. */
  private healthCheck(): void {
    const err = this.server.stderr();
    if (err.length > this.stderrSeen) {
      const fresh = err.slice(this.stderrSeen);
      this.stderrSeen = err.length;
      this.problems.push(`the server wrote to stderr: ${fresh.slice(0, 2000)}`);
    }
    for (; this.logsSeen < this.server.logs.length; this.logsSeen++) {
      const l = this.server.logs[this.logsSeen];
      if (l.type === 1 || /failed|exception|error/i.test(l.message)) this.problems.push(`the server logged: ${l.message.slice(0, 2000)}`);
    }
    this.processPublishes();
    if (this.problems.length) {
      const message = this.problems.join('\n');
      this.problems = [];
      fail(message);
    }
  }

  private processPublishes(): void {
    const published = this.server.published;
    for (; this.processed < published.length; this.processed++) this.checkPublish(published[this.processed]);
    if (this.processed > 10_000) {
      published.splice(0, this.processed);
      this.processed = 0;
    }
  }

  private checkPublish(p: PublishDiagnosticsParams): void {
    this.result.publishes++;
    const doc = this.docs.get(p.uri);
    const where = `publishDiagnostics for ${p.uri} version ${p.version}`;
    if (!doc) return void this.problems.push(`${where}: the document was never opened`);
    if (p.version === undefined || p.version === null) {
      if (doc.closed.length > 0 && p.diagnostics.length === 0) doc.closed.shift();
      else this.problems.push(`${where}: an unversioned publish that is not the clearing after a close`);
      return;
    }
    if (!doc.closed.length && !doc.open) return void this.problems.push(`${where}: published after the server had closed the document`);
    const gen: Generation = doc.closed[0] ?? doc;
    let entry: Entry | undefined;
    for (let i = gen.entries.length - 1; i >= 0 && !entry; i--) if (gen.entries[i].version === p.version) entry = gen.entries[i];
    if (!entry) return void this.problems.push(`${where}: that version was not sent since the document was opened`);
    if (gen.orderly) {
      if (entry.seq < gen.lastPublishedSeq) return void this.problems.push(`${where}: published after a newer version's diagnostics`);
      gen.lastPublishedSeq = entry.seq;
      if (entry.text !== undefined) {
        try {
          checkDiagnostics(p.diagnostics, lineLengths(entry.text), where);
        } catch (e) {
          return void this.problems.push((e as Error).message);
        }
        const want = expectedDiagnostics(doc.uri, entry.text, this.resolved, doc.languageId);
        if (!sameDiagnostics(p.diagnostics, want) && !doc.settingsInFlight) {
          this.problems.push(`${where}: not the diagnostics of that version's text: ${describeDifference(p.diagnostics, want)}`);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Driving a document

  private send(doc: DocState, version: number, changes: TextDocumentContentChangeEvent[]): void {
    TextDocument.update(doc.mirror, changes, version);
    const text = doc.mirror.getText();
    doc.entries.push({ version, seq: ++this.seq, text: text.length <= KEEP_TEXT ? text : undefined });
    this.server.changes(doc.uri, version, changes);
  }

  private open(doc: DocState, text: string): void {
    doc.mirror = TextDocument.create(doc.uri, doc.languageId, 1, text);
    doc.entries = [{ version: 1, seq: ++this.seq, text }];
    doc.highest = 1;
    doc.orderly = true;
    doc.lastPublishedSeq = 0;
    doc.open = true;
    this.server.open(doc.uri, text, 1, doc.languageId);
  }

  private close(doc: DocState): void {
    doc.open = false;
    doc.closed.push({ entries: doc.entries, orderly: doc.orderly, lastPublishedSeq: doc.lastPublishedSeq });
    this.server.close(doc.uri);
  }

  private changeFor(doc: DocState, e: Edit): TextDocumentContentChangeEvent {
    const text = doc.mirror.getText();
    if (e.inValue) {
      // A keystroke in a block value: `at` picks the value, and what is left of it the place in the value.
      const values = [...text.matchAll(/: +([A-Za-z0-9][\w./-]*)[ \t]*(?=\r?$)/dgm)];
      if (values.length) {
        const pick = e.at * values.length;
        const [start, end] = values[Math.floor(pick)]!.indices![1]!;
        const at = start + Math.floor((pick % 1) * (end - start + 1));
        return { range: { start: doc.mirror.positionAt(at), end: doc.mirror.positionAt(Math.min(end, at + e.del)) }, text: e.insert };
      }
    }
    if (e.wild) {
      const lines = doc.mirror.lineCount;
      const start: Position =
        e.wild === 'past-end' ? { line: lines + 3, character: 7 } : e.wild === 'negative' ? { line: -1, character: -5 } : { line: Math.floor(e.at * lines), character: 100_000 };
      return { range: { start, end: start }, text: e.insert };
    }
    const at = Math.floor(e.at * (text.length + 1));
    return { range: { start: doc.mirror.positionAt(at), end: doc.mirror.positionAt(Math.min(text.length, at + e.del)) }, text: e.insert };
  }

  /** Waits until the diagnostics of the document's last version arrive and are right. */
  private async settle(doc: DocState, what: string): Promise<void> {
    const last = doc.entries[doc.entries.length - 1];
    const text = doc.mirror.getText();
    if (last.text === undefined) last.text = text; // the last version's text is always kept
    const want = expectedDiagnostics(doc.uri, text, this.resolved, doc.languageId);
    const deadline = Date.now() + PUBLISH_TIMEOUT_MS;
    let latest: PublishDiagnosticsParams | undefined;
    for (;;) {
      const waiting = this.server.next(doc.uri);
      const published = this.server.published;
      for (let i = published.length - 1; i >= this.processed; i--) {
        if (published[i].uri === doc.uri && published[i].version === last.version) {
          latest = published[i];
          break;
        }
      }
      this.healthCheck();
      if (latest && sameDiagnostics(latest.diagnostics, want)) break;
      const left = deadline - Date.now();
      if (left <= 0 || this.server.process.exitCode !== null) {
        fail(
          `${what}: the diagnostics of version ${last.version} did not arrive within ${PUBLISH_TIMEOUT_MS} ms` +
            (latest ? ` (last published: ${describeDifference(latest.diagnostics, want)})` : ''),
        );
      }
      await Promise.race([waiting, sleep(Math.min(left, 250))]);
    }
    doc.settingsInFlight = false;
    doc.lastDiagnostics = want;
    // Intermediate texts are not needed any more; the last one is, for late publishes of it.
    for (const e of doc.entries) if (e !== last && e.text !== undefined && e.text.length > 4096) e.text = undefined;
  }

  /** Sends every advertised request once or twice and checks the answers against the current text. */
  private async requests(doc: DocState, random: () => number, midBurst: boolean): Promise<Promise<unknown>[]> {
    const caps = this.server.capabilities as Record<string, unknown>;
    const text = doc.mirror.getText();
    const lines = lineLengths(text);
    const pending: Promise<void>[] = [];
    for (const kind of REQUESTS) {
      if (!caps[kind.capability]) continue;
      const times = kind.method === 'textDocument/completion' || kind.method === 'textDocument/hover' ? 2 : 1;
      for (let i = 0; i < times; i++) {
        const wild = random() < 0.05;
        const at = wild ? { line: doc.mirror.lineCount + 2, character: 3 } : doc.mirror.positionAt(Math.floor(random() * (text.length + 1)));
        const diags = doc.lastDiagnostics;
        const range = diags.length && random() < 0.7 ? diags[Math.floor(random() * diags.length)].range : { start: at, end: wild ? at : doc.mirror.positionAt(doc.mirror.offsetAt(at) + Math.floor(random() * 40)) };
        const inRange = diags.filter((d) => d.range.start.line <= range.end.line && d.range.end.line >= range.start.line);
        const what = `${kind.method} at ${JSON.stringify(at)} (${doc.uri})`;
        this.result.requests[kind.method] = (this.result.requests[kind.method] ?? 0) + 1;
        const p = timeout(this.server.connection.sendRequest(kind.method, kind.params(doc.uri, at, range, inRange)), PUBLISH_TIMEOUT_MS, what).then(
          async (result) => {
            if (midBurst) return;
            checkResponseRanges(result, lines, doc.uri, what);
            await this.resolveFollowUp(kind, result, caps, what);
          },
          (err: unknown) => {
            const code = (err as { code?: number }).code;
            if (code !== undefined && BENIGN_ERRORS.has(code)) return void this.result.cancelled++;
            if (code === INVALID_PARAMS && wild) return;
            throw err instanceof FuzzFailure ? err : new FuzzFailure(`${what}: ${(err as Error).message ?? String(err)}`);
          },
        );
        pending.push(p);
      }
    }
    if (!midBurst) await Promise.all(pending);
    // Mid-burst answers are checked after the burst; hold their failures until then (no unhandled rejection).
    return pending.map((p) => p.then(() => undefined, (e: unknown) => e));
  }

  /** completionItem/resolve and codeAction/resolve for the first item, when the server resolves items. */
  private async resolveFollowUp(kind: RequestKind, result: unknown, caps: Record<string, unknown>, what: string): Promise<void> {
    const provider = caps[kind.capability] as { resolveProvider?: boolean } | boolean;
    if (typeof provider !== 'object' || !provider.resolveProvider) return;
    const method = kind.method === 'textDocument/completion' ? 'completionItem/resolve' : kind.method === 'textDocument/codeAction' ? 'codeAction/resolve' : undefined;
    if (!method) return;
    const items = Array.isArray(result) ? result : ((result as { items?: unknown[] } | null)?.items ?? []);
    const item = items.find((x) => x && typeof x === 'object' && !('command' in (x as object) && typeof (x as { command: unknown }).command === 'string'));
    if (!item) return;
    this.result.requests[method] = (this.result.requests[method] ?? 0) + 1;
    const resolved = await timeout(this.server.connection.sendRequest(method, item), PUBLISH_TIMEOUT_MS, `${method} after ${what}`);
    if (resolved === null || typeof resolved !== 'object') fail(`${method} after ${what}: answered ${JSON.stringify(resolved)}`);
  }

  /** `settle: false` goes on to the next step without waiting for diagnostics: the server is left mid-work. */
  private async runStep(doc: DocState, step: Step, random: () => number, settle = true): Promise<void> {
    this.result.steps++;
    let midBurst: Promise<unknown>[] = [];
    switch (step.kind) {
      case 'burst': {
        const n = step.edits.length;
        let versions = Array.from({ length: n }, (_, i) => doc.highest + 1 + i);
        if (step.versioning === 'shuffled') versions = versions.sort(() => random() - 0.5);
        if (step.versioning === 'stale') versions = versions.map((v) => (random() < 0.3 ? Math.max(0, doc.highest - Math.floor(random() * 5)) : v));
        // The last change always carries a version newer than any sent: that is the one to check.
        versions[n - 1] = Math.max(doc.highest, ...versions) + 1;
        if (step.versioning !== 'increasing') doc.orderly = false;
        const requestAt = step.requestsMidBurst && doc.mirror.getText().length < 1_000_000 ? Math.floor(random() * n) : -1;
        for (let i = 0; i < n; i++) {
          this.send(doc, versions[i], [this.changeFor(doc, step.edits[i])]);
          if (i === requestAt) midBurst = await this.requests(doc, random, true);
          if (step.paced) await sleep(10);
        }
        doc.highest = versions[n - 1];
        this.result.edits += n;
        break;
      }
      case 'replace': {
        doc.highest++;
        this.send(doc, doc.highest, [{ text: step.text }]);
        this.result.edits++;
        break;
      }
      case 'reopen': {
        const text = step.text ?? doc.mirror.getText();
        this.close(doc);
        this.open(doc, text);
        break;
      }
      case 'pause':
        await sleep(step.ms);
        return;
      case 'settings': {
        this.settings = { rules: step.rules };
        this.server.settings = this.settings;
        this.resolved = resolve(this.settings);
        for (const d of this.docs.values()) d.settingsInFlight = true;
        void this.server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
        break;
      }
    }
    if (!settle) {
      for (const failure of await Promise.all(midBurst)) if (failure) throw failure;
      return this.healthCheck();
    }
    await this.settle(doc, `after a ${step.kind} step`);
    for (const failure of await Promise.all(midBurst)) if (failure) throw failure;
    await this.requests(doc, random, false);
    this.healthCheck();
  }

  /** One session on a fresh URI; throws FuzzFailure (or an Error) when something does not hold. */
  async runSession(session: Session, seed: number): Promise<void> {
    if (this.server.process.exitCode !== null) await this.start();
    const random = rng(seed);
    // Timing choices come from their own generator, so they do not move the positions of the requests.
    const timing = rng(seed ^ 0x5eed);
    this.settingsDelayMs = session.settingsDelayMs ?? (timing() < 0.1 ? 1 + Math.floor(timing() * 30) : 0);
    const languageId = session.language ?? 'json';
    const uri = uriFor(session.uri, ++this.uriCounter, languageId);
    const doc: DocState = {
      uri,
      languageId,
      mirror: TextDocument.create(uri, languageId, 1, ''),
      open: false,
      entries: [],
      highest: 1,
      orderly: true,
      lastPublishedSeq: 0,
      settingsInFlight: false,
      closed: [],
      lastDiagnostics: [],
    };
    this.docs.set(uri, doc);
    this.current = doc;
    this.open(doc, session.text);
    this.result.edits++;
    if (session.settleAfterOpen !== false) {
      await this.settle(doc, 'after didOpen');
      await this.requests(doc, random, false);
    }
    // Now and then a step does not wait for its diagnostics (never the last one).
    for (let i = 0; i < session.steps.length; i++) await this.runStep(doc, session.steps[i], random, i === session.steps.length - 1 || timing() >= 0.15);
    this.close(doc);
    // The clearing publish arrives, and nothing else for this document.
    const deadline = Date.now() + PUBLISH_TIMEOUT_MS;
    while (doc.closed.length > 0) {
      if (Date.now() > deadline) fail(`${uri}: no empty diagnostics after didClose`);
      const waiting = this.server.next(uri);
      this.healthCheck();
      if (doc.closed.length > 0) await Promise.race([waiting, sleep(250)]);
    }
    this.healthCheck();
    this.recordRss();
    this.result.sessions++;
  }

  /** Runs a session, turning a failure into a report entry (and a fresh server if it died). */
  async runRecorded(session: Session, seed: number | string): Promise<boolean> {
    try {
      await this.runSession(session, typeof seed === 'number' ? seed : 1);
      return true;
    } catch (e) {
      const message = e instanceof FuzzFailure ? e.message : `${(e as Error).stack ?? String(e)}`;
      const text = this.current?.mirror.getText();
      this.result.failures.push({ seed, message, session: JSON.stringify(session).length < 1_000_000 ? session : undefined, text: text !== undefined && text.length < 10_000_000 ? text : undefined });
      this.opts.log?.(`FAIL ${typeof seed === 'number' ? `seed ${seed}` : seed}: ${message.slice(0, 4000)}`);
      // Start from a clean server: the next session must not inherit this one's state.
      try {
        await this.stop();
      } catch {
        /* already gone */
      }
      await this.start();
      return false;
    }
  }
}

/** The issue's named cases, always run: 5 MB, 10,000-deep, long lines, 100 changes in a second, bad versions. */
function scenarios(seed: number): { name: string; session: Session }[] {
  const hostile = hostileDocuments();
  const edits = (n: number, s: number) => fc.sample(editArb, { seed: seed + s, numRuns: n });
  const burst = (n: number, s: number, extra: Partial<Extract<Step, { kind: 'burst' }>> = {}): Step => ({
    kind: 'burst',
    edits: edits(n, s),
    versioning: 'increasing',
    paced: false,
    requestsMidBurst: true,
    ...extra,
  });
  const pool = seedDocuments()[0];
  return [
    { name: '5 MB pool, 100 edits in a burst', session: { uri: 0, text: hostile['5 MB pool'], steps: [burst(100, 1), { kind: 'reopen' }] } },
    { name: '5 MB on one line', session: { uri: 0, text: hostile['5 MB without line breaks'], steps: [burst(20, 2)] } },
    { name: '10,000-deep arrays, then edited', session: { uri: 0, text: hostile['10,000-deep arrays'], steps: [burst(100, 3), { kind: 'replace', text: hostile['10,000-deep objects'] }, burst(50, 4)] } },
    { name: '10,000-deep, unclosed', session: { uri: 1, text: hostile['10,000-deep, unclosed'], steps: [burst(50, 5)] } },
    { name: 'a 200,000-character line', session: { uri: 0, text: hostile['long line (200,000 characters)'], steps: [burst(100, 6)] } },
    { name: '100 changes in one second', session: { uri: 0, text: pool, steps: [burst(100, 7, { paced: true })] } },
    { name: 'stale versions', session: { uri: 0, text: pool, steps: [burst(100, 8, { versioning: 'stale' }), burst(30, 9)] } },
    { name: 'out-of-order versions', session: { uri: 0, text: pool, steps: [burst(100, 10, { versioning: 'shuffled' }), burst(30, 11)] } },
    { name: 'close and reopen at once', session: { uri: 0, text: pool, steps: [{ kind: 'reopen' }, { kind: 'reopen' }, burst(10, 12), { kind: 'reopen' }] } },
    {
      // Before the first diagnostics: the first validation is still waiting for the settings when the
      // document is closed and opened again at the same version with other text.
      name: 'reopened with other text before the first diagnostics',
      session: {
        uri: 0,
        text: seedDocuments()[2],
        settleAfterOpen: false,
        settingsDelayMs: 200,
        steps: [{ kind: 'pause', ms: 50 }, { kind: 'reopen', text: '{"kind": "ComputePool", "spec": 1}' }, burst(10, 15)],
      },
    },
    { name: 'settings change during a burst', session: { uri: 0, text: pool, steps: [burst(20, 13), { kind: 'settings', rules: { 'schema/*': 'hint' } }, burst(20, 14), { kind: 'settings', rules: {} }] } },
    ...yamlScenarios(),
  ];
}

/** Keystrokes in the values of a YAML pool (re-read without parsing the file again), and around them. */
function yamlScenarios(): { name: string; session: Session }[] {
  const large = poolText(JSON.parse(largePool()), 'yaml');
  // Edits at fixed offsets, each replacing one character with one (so the offsets stay right): the characters of
  // `typed` over those of `needle` from its `from`th on, one at a time, round and round.
  const typing = (text: string, needle: string, typed: string, from = 0, paced = false): Step => {
    const at = text.indexOf(needle);
    if (at < 0) throw new Error(`no ${needle}`);
    const edits = [...typed].map((c, i): Edit => ({ at: (at + from + (i % (needle.length - from)) + 0.5) / (text.length + 1), del: 1, insert: c }));
    return { kind: 'burst', edits, versioning: 'increasing', paced, requestsMidBurst: true };
  };
  const manifest = `apiVersion: v1\nkind: ConfigMap\ndata: {a: "1"}\n---\n${poolText(sharedPool(), 'yaml')}---\n${poolText(dedicatedPool(), 'yaml')}`;
  return [
    {
      name: 'YAML: typing in the values of the 185 KiB pool',
      session: {
        uri: 0,
        language: 'yaml',
        text: large,
        steps: [
          typing(large, 'cpu: 1', '2121212121', 5),
          typing(large, 'cpu: 1', '2121', 5, true),
          typing(large, 'memory: 128Mi', '256', 8),
          typing(large, 'name: sidecar-399', 'x', 14),
          typing(large, 'cpu: 1', '"', 5),
        ],
      },
    },
    {
      name: 'YAML: keystrokes in each document of a manifest, in values and elsewhere',
      session: {
        uri: 1,
        language: 'yaml',
        text: manifest,
        steps: [
          typing(manifest, '"1"', '2', 1),
          typing(manifest, 'name: shared-pool', 'x1', 16),
          typing(manifest, 'type: DEDICATED', 'E', 14),
          typing(manifest, 'kind: ComputePool', 'l1', 16),
          typing(manifest, 'cpu: 0.5', ':.', 6),
          typing(manifest, 'data: {', '[{', 6),
        ],
      },
    },
  ];
}

/** Session seeds from here up are YAML sessions (of the seed minus this). */
const YAML_SEEDS = 500_000_000;

/** The whole run: named scenarios, random sessions until `sessions` and `minEdits` are both reached, then `yamlSessions` YAML sessions. */
export async function fuzzServer(opts: ServerFuzzOptions): Promise<ServerFuzzResult> {
  const fuzzer = new ServerFuzzer(opts);
  const started = Date.now();
  await fuzzer.start();
  const r = fuzzer.result;
  try {
    if (opts.scenarios !== false && !opts.only) {
      const chosen = scenarios(opts.seed).filter((s) => !Array.isArray(opts.scenarios) || opts.scenarios.includes(s.name));
      for (const { name, session } of chosen) {
        const t0 = Date.now();
        const ok = await fuzzer.runRecorded(session, name);
        opts.log?.(`  scenario: ${name} — ${ok ? 'ok' : 'FAILED'} (${Date.now() - t0} ms)`);
      }
      r.rssAfterScenariosBytes = fuzzer.rss();
    }
    let lastReport = Date.now();
    const run = async (seed: number) => {
      const arb = seed >= YAML_SEEDS ? yamlSessionArb({ hostile: opts.hostile }) : sessionArb({ hostile: opts.hostile });
      const [session] = fc.sample(arb, { seed: seed >= YAML_SEEDS ? seed - YAML_SEEDS : seed, numRuns: 1 });
      await fuzzer.runRecorded(session, seed);
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        const s = (Date.now() - started) / 1000;
        opts.log?.(`  ${r.sessions} sessions, ${r.edits} edits, ${Math.round(r.edits / s)} edits/s, server peak RSS ${Math.round(r.peakRssBytes / 2 ** 20)} MiB`);
      }
    };
    const more = (i: number) => (opts.only ? i < opts.only.length : i < opts.sessions || r.edits < (opts.minEdits ?? 0));
    for (let i = 0; more(i); i++) await run(opts.only ? opts.only[i]! : opts.seed + 1 + i);
    if (!opts.only) for (let i = 0; i < (opts.yamlSessions ?? 0); i++) await run(YAML_SEEDS + opts.seed + 1 + i);
  } finally {
    await fuzzer.stop();
    r.ms = Date.now() - started;
  }
  if (opts.maxRssBytes !== undefined && r.peakRssBytes > opts.maxRssBytes) {
    r.failures.push({ seed: 'memory', message: `the server's peak RSS ${Math.round(r.peakRssBytes / 2 ** 20)} MiB exceeds ${Math.round(opts.maxRssBytes / 2 ** 20)} MiB` });
  }
  return r;
}
