/**
 * Reading a compute-pool file, or standard input (`-`), up to a limit: a pool is a few KiB, and a file or a pipe that
 * never ends (`</dev/zero`, `/dev/zero` as a file) must not fill memory. Past the limit reading stops and the error
 * names it. Errors keep Node's `code` (ENOENT, EISDIR, ...) for the callers' messages.
 */
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import type { CliIo } from './main';

/** The most `lint`, `apply` (and anything else reading a pool) take from a file or standard input. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;
const LIMIT = `${MAX_INPUT_BYTES / 1024 / 1024} MiB`;

/**
 * The text of `file` (`-`: standard input), at most MAX_INPUT_BYTES of it, as an editor shows it: without a leading
 * UTF-8 byte order mark (editors hide it), so lines and columns are the ones the user sees. The engine reads a mark
 * as if it were not there either way.
 */
export async function readPoolText(file: string, io: CliIo): Promise<string> {
  return withoutByteOrderMark(await readCappedText(file, io));
}

function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readCappedText(file: string, io: CliIo): Promise<string> {
  if (file === '-') {
    const text = await io.readStdin(MAX_INPUT_BYTES);
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw tooLarge('standard input');
    return text;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = createReadStream(path.resolve(io.cwd, file), { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > MAX_INPUT_BYTES) throw tooLarge('it');
      chunks.push(chunk as Buffer);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** Reads a stream (standard input) to its end, or throws past `maxBytes`. */
export async function readCapped(stream: NodeJS.ReadableStream & { destroy?(): void }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > maxBytes) {
      stream.destroy?.();
      throw tooLarge('standard input');
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function tooLarge(what: string): Error {
  return new Error(`${what} holds more than ${LIMIT}, the most cmf-pools reads as a compute-pool file (a pool is a few KiB); stopped reading`);
}
