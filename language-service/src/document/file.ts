/**
 * A file as the engine reads it: its documents (one for JSON), each a SourceDocument from the front end for
 * its format. Parsed once per version; every feature of the facade takes the parsed file.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { JsonDocument } from './json';
import { parseYamlFile } from './yaml';
import type { SourceDocument } from './model';

export interface PoolFile {
  readonly text: TextDocument;
  readonly documents: readonly SourceDocument[];
  /** The text is longer than the engine reads (the facade's `parse` checks): it has no documents. */
  readonly tooLarge?: { readonly length: number; readonly limit: number };
}

/** Parses a file by its language: YAML (one document per `---`), or JSON and JSONC (anything else is read as JSON). */
export function parseFile(text: TextDocument): PoolFile {
  return { text, documents: text.languageId === 'yaml' ? parseYamlFile(text) : [new JsonDocument(text)] };
}

/** The document of a file that holds `offset`. */
export function documentAt(file: PoolFile, offset: number): SourceDocument | undefined {
  return file.documents.find((d) => offset >= d.span.offset && offset <= d.span.offset + d.span.length);
}
