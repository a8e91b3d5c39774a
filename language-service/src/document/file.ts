/**
 * A file as the engine reads it: its documents (one for JSON), each a SourceDocument from the front end for
 * its format. Parsed once per version; every feature of the facade takes the parsed file.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { JsonDocument } from './json';
import { parseYamlFile } from './yaml';
import { reparseYamlFile } from './yaml-incremental';
import type { SourceDocument } from './model';

export interface PoolFile {
  readonly text: TextDocument;
  readonly documents: readonly SourceDocument[];
}

/**
 * Parses a file by its language: YAML (one document per `---`), or JSON and JSONC (anything else is read as JSON).
 * `previous`, the parse of an earlier version of the same file, lets a YAML file whose change is a keystroke in a
 * value be re-read without parsing it again (document/yaml-incremental.ts); the result is the same either way.
 * `previous` is consumed: its documents are not to be used afterwards.
 */
export function parseFile(text: TextDocument, previous?: PoolFile): PoolFile {
  if (text.languageId !== 'yaml') return { text, documents: [new JsonDocument(text)] };
  return { text, documents: (previous && reparseYamlFile(previous.documents, text)) || parseYamlFile(text) };
}

/** The document of a file that holds `offset`. */
export function documentAt(file: PoolFile, offset: number): SourceDocument | undefined {
  return file.documents.find((d) => offset >= d.span.offset && offset <= d.span.offset + d.span.length);
}
