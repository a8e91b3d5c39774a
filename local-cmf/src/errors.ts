import type { RestError } from '../../cmf-model/src/types';

/**
 * An error the local CMF answers with `status` and CMF's error body `{"errors":[{"message": ...}]}`.
 * Every message names the resource involved and, where there is one, what the user can do about it.
 */
export class CmfHttpError extends Error {
  readonly messages: string[];
  constructor(
    readonly status: number,
    messages: string | string[],
    readonly headers: Record<string, string> = {},
  ) {
    const list = Array.isArray(messages) ? messages : [messages];
    super(list.join('; '));
    this.name = 'CmfHttpError';
    this.messages = list;
  }
  body(): RestError {
    return { errors: this.messages.map((message) => ({ message })) };
  }
}
