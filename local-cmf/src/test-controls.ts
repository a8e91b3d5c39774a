/**
 * Test-only controls of the local CMF: set a Kubernetes cluster's state, force pool and statement phases,
 * make a Kubernetes cleanup fail, settle pending transitions, change the phase delay, reset the data, and
 * inject faults (a reset connection, a delay, a 5xx, a non-JSON answer) into the next API requests.
 *
 * They plug into the server through `extend` (server.ts): as routes under `/__test__/...` (behind the
 * same checks as CMF's API, the bearer token included) and as `controls` for tests in the same process.
 * Only tests and the test build `dist/test/local-cmf.js` (test-main.ts) import this module; the product's
 * `dist/local-cmf.js` (main.ts), which the extension ships and runs, does not.
 */
import type { KubernetesClusterState, PoolPhase, StatementPhase } from '../../cmf-model/src/facts';
import type { ComputePool, KubernetesCluster, Statement } from '../../cmf-model/src/types';
import { CmfHttpError } from './errors';
import { applySeed, SEEDS, type Seed } from './seed';
import { startLocalCmf, type LocalCmf, type LocalCmfExtension, type LocalCmfOptions, type LocalCmfReply, type LocalCmfRoute } from './server';
import type { LocalCmfStore } from './store';

/** A fault injected into the next matching API request(s) (never into `/__test__` requests). */
type Fault = (
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }
  | { kind: 'status'; status: number; message?: string }
  | { kind: 'non-json'; status?: number; body?: string }
) & {
  /** How many requests it affects: a count (default 1) or 'always'. */
  times?: number | 'always';
  /** Only requests with this method. */
  method?: string;
  /** Only requests whose path starts with this (default: every API path). */
  path?: string;
};

interface TestControls {
  /** Sets the state of a Kubernetes cluster by name. */
  setClusterState(cluster: string, state: KubernetesClusterState, message?: string): KubernetesCluster;
  /** Sets the state of the Kubernetes cluster an environment is bound to. */
  setEnvironmentClusterState(env: string, state: KubernetesClusterState, message?: string): KubernetesCluster;
  setPoolPhase(env: string, pool: string, phase: PoolPhase, message?: string): ComputePool;
  /** Makes a non-forced delete of the pool fail as if Kubernetes cleanup failed (500). */
  failKubernetesCleanup(env: string, pool: string, fail?: boolean): void;
  setStatementPhase(env: string, statement: string, phase: StatementPhase, detail?: string): Statement;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Completes every pending phase transition now. */
  settle(): void;
  setPhaseDelay(ms: number): void;
  reset(seed?: Seed): void;
}

/** A local CMF with its test controls. */
export interface TestLocalCmf extends LocalCmf {
  controls: TestControls;
}

/** Where the test controls' routes live. */
export const TEST_ROUTE_PREFIX = '/__test__';

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CmfHttpError(400, `${what}: the body must be a JSON object.`);
  return v as Record<string, unknown>;
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new CmfHttpError(400, `'${key}' must be a string.`);
  return v;
}

/** The controls over `store` (seeded with `seed`), and the extension that serves them over HTTP and injects the faults. */
function createTestControls(store: LocalCmfStore, seed: Seed): { controls: TestControls; extension: LocalCmfExtension } {
  let faults: (Fault & { left: number })[] = [];

  const controls: TestControls = {
    setClusterState: (cluster, state, message) => store.setClusterState(cluster, state, message),
    setEnvironmentClusterState: (env, state, message) => store.setClusterState(store.env(env).kubernetesClusterName, state, message),
    setPoolPhase: (env, pool, phase, message) => store.setPoolPhase(env, pool, phase, message),
    failKubernetesCleanup: (env, pool, fail = true) => store.setKubernetesCleanupFailure(env, pool, fail),
    setStatementPhase: (env, stmt, phase, detail) => store.setStatementPhase(env, stmt, phase, detail),
    injectFault(fault) {
      const kinds = ['reset', 'delay', 'status', 'non-json'];
      if (!fault || !kinds.includes(fault.kind)) throw new CmfHttpError(400, `Fault kind must be one of ${kinds.join(', ')}.`);
      if (fault.kind === 'status' && !(Number.isInteger(fault.status) && fault.status >= 500 && fault.status <= 599)) {
        throw new CmfHttpError(400, 'A status fault needs a 5xx status.');
      }
      if (fault.kind === 'delay' && !(typeof fault.ms === 'number' && fault.ms >= 0)) throw new CmfHttpError(400, 'A delay fault needs ms >= 0.');
      const times = fault.times ?? 1;
      if (times !== 'always' && !(Number.isInteger(times) && times >= 1)) throw new CmfHttpError(400, "times must be a whole number of at least 1, or 'always'.");
      faults.push({ ...fault, left: times === 'always' ? Infinity : times });
    },
    clearFaults() {
      faults = [];
    },
    settle: () => store.settle(),
    setPhaseDelay(ms) {
      if (!(typeof ms === 'number' && ms >= 0)) throw new CmfHttpError(400, 'The phase delay must be a number of milliseconds >= 0.');
      store.phaseDelayMs = ms;
    },
    reset(s = seed) {
      if (!SEEDS.includes(s)) throw new CmfHttpError(400, `Unknown seed '${String(s)}': use ${SEEDS.join(' or ')}.`);
      faults = [];
      applySeed(store, s);
    },
  };

  const T = TEST_ROUTE_PREFIX;
  const ok = (body: unknown): LocalCmfReply => ({ status: 200, body });
  const noContent = (): LocalCmfReply => ({ status: 204 });
  const stateBody = (b: unknown) => {
    const o = asObject(b, 'Cluster state');
    return { state: o.state as KubernetesClusterState, message: optionalString(o, 'message') };
  };
  const routes: LocalCmfRoute[] = [
    {
      method: 'POST',
      path: `${T}/reset`,
      handler: ({ body }) => {
        const o = asObject(body() ?? {}, 'Reset');
        controls.reset((optionalString(o, 'seed') as Seed | undefined) ?? seed);
        return noContent();
      },
    },
    { method: 'POST', path: `${T}/settle`, handler: () => (controls.settle(), noContent()) },
    { method: 'PUT', path: `${T}/phase-delay`, handler: ({ body }) => (controls.setPhaseDelay(Number(asObject(body(), 'Phase delay').ms)), noContent()) },
    {
      method: 'PUT',
      path: `${T}/kubernetes-clusters/:cluster/state`,
      handler: ({ params, body }) => {
        const b = stateBody(body());
        return ok(controls.setClusterState(params.cluster, b.state, b.message));
      },
    },
    {
      method: 'PUT',
      path: `${T}/environments/:env/kubernetes-cluster/state`,
      handler: ({ params, body }) => {
        const b = stateBody(body());
        return ok(controls.setEnvironmentClusterState(params.env, b.state, b.message));
      },
    },
    {
      method: 'PUT',
      path: `${T}/environments/:env/compute-pools/:pool/phase`,
      handler: ({ params, body }) => {
        const o = asObject(body(), 'Pool phase');
        return ok(controls.setPoolPhase(params.env, params.pool, o.phase as PoolPhase, optionalString(o, 'message')));
      },
    },
    {
      method: 'PUT',
      path: `${T}/environments/:env/compute-pools/:pool/kubernetes-cleanup`,
      handler: ({ params, body }) => {
        const o = asObject(body(), 'Kubernetes cleanup');
        if (typeof o.fail !== 'boolean') throw new CmfHttpError(400, "'fail' must be true or false.");
        controls.failKubernetesCleanup(params.env, params.pool, o.fail);
        return noContent();
      },
    },
    {
      method: 'PUT',
      path: `${T}/environments/:env/statements/:stmt/phase`,
      handler: ({ params, body }) => {
        const o = asObject(body(), 'Statement phase');
        return ok(controls.setStatementPhase(params.env, params.stmt, o.phase as StatementPhase, optionalString(o, 'detail')));
      },
    },
    { method: 'GET', path: `${T}/faults`, handler: () => ok({ faults: faults.map(({ left, ...f }) => ({ ...f, left: left === Infinity ? 'always' : left })) }) },
    { method: 'POST', path: `${T}/faults`, handler: ({ body }) => (controls.injectFault(asObject(body(), 'Fault') as unknown as Fault), noContent()) },
    { method: 'DELETE', path: `${T}/faults`, handler: () => (controls.clearFaults(), noContent()) },
  ];

  /** The first fault that matches the request, counted down (and removed when used up). */
  function takeFault(method: string, pathname: string): Fault | undefined {
    if (pathname === T || pathname.startsWith(`${T}/`)) return undefined;
    const i = faults.findIndex((f) => (!f.method || f.method.toUpperCase() === method) && pathname.startsWith(f.path ?? '/'));
    if (i < 0) return undefined;
    const f = faults[i];
    f.left -= 1;
    if (f.left <= 0) faults.splice(i, 1);
    return f;
  }

  const extension: LocalCmfExtension = {
    routes,
    async intercept({ method, pathname }) {
      const fault = takeFault(method, pathname);
      switch (fault?.kind) {
        case undefined:
          return undefined;
        case 'reset':
          return 'drop';
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms));
          return undefined;
        case 'status':
          return { status: fault.status, body: { errors: [{ message: fault.message ?? `Injected fault: the server answered ${fault.status}.` }] } };
        case 'non-json': {
          const status = fault.status ?? 502;
          const text = fault.body ?? `<html><head><title>${status} Bad Gateway</title></head><body><h1>${status} Bad Gateway</h1></body></html>`;
          return { status, raw: { contentType: 'text/html', text } };
        }
      }
    },
  };
  return { controls, extension };
}

/** Starts a local CMF with its test controls: `/__test__/...` over HTTP, and `controls` on the result. */
export async function startTestLocalCmf(options: Omit<LocalCmfOptions, 'extend'> = {}): Promise<TestLocalCmf> {
  let controls: TestControls | undefined;
  const cmf = await startLocalCmf({
    ...options,
    extend: ({ store, seed }) => {
      const made = createTestControls(store, seed);
      controls = made.controls;
      return made.extension;
    },
  });
  return Object.assign(cmf, { controls: controls! });
}
