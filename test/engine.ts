/** The engine through its facade, as the tests call it: text in, a parsed file or its diagnostics out. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type PoolDefaults, type PoolDiagnostic, type PoolFile, DEFAULT_SETTINGS, ResolvedSettings, parse, validate } from '../language-service/src/index';
import type { JsonPath } from '../language-service/src/document/model';

/** A file of `text` parsed by the engine (JSON unless `languageId` says otherwise). */
export function parseText(text: string, uri = 'untitled:pool.json', languageId = 'json', version = 0): PoolFile {
  return parse(TextDocument.create(uri, languageId, version, text));
}

export interface ValidateTextOptions {
  uri?: string;
  languageId?: string;
  /** matched against cmfPools.files */
  path?: string;
  settings?: ResolvedSettings;
  reportSyntaxErrors?: boolean;
  defaults?: PoolDefaults;
  /** at most this many, as the server sends the editor (EDITOR_PROBLEM_LIMIT) */
  maxProblems?: number;
}

/** What the server publishes for `text` (with `reportSyntaxErrors`, what the CLI prints); [] for a file that is no pool. */
export function validateText(text: string, options: ValidateTextOptions = {}): PoolDiagnostic[] {
  const settings = options.settings ?? new ResolvedSettings(DEFAULT_SETTINGS);
  return validate(parseText(text, options.uri, options.languageId), settings, {
    path: options.path,
    reportSyntaxErrors: options.reportSyntaxErrors,
    defaults: options.defaults,
    maxProblems: options.maxProblems,
  });
}

/** Every path in a value, the root's ([]) first, in the order of its keys. */
export function allPaths(v: unknown, at: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) allPaths((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}
