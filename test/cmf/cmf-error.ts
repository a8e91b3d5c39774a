/** Awaits a call that must fail with a CmfError, and returns the error for further assertions. */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { CmfError } from '../../cmf-client/src/errors';

export async function expectCmfError(p: Promise<unknown>): Promise<CmfError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CmfError, `expected a CmfError, got ${inspect(err)}`);
    return err;
  }
  assert.fail('expected the call to fail with a CmfError');
}
