/**
 * The shared pool's Flink web UI, which CMF proxies at
 * `/cmf/api/v1/environments/{env}/compute-pools/{pool}/flink-web-ui/{path}` (documented on CMF's compute-pool
 * page, not in the OpenAPI). Only SHARED pools in RUNNING have one. The local CMF has no Flink cluster behind
 * it, so it answers a small page, plus the few Flink REST documents the dashboard itself reads first.
 */
import { CmfHttpError } from './errors';
import type { LocalCmfStore } from './store';

export interface WebUiReply {
  status: number;
  contentType: string;
  body: string;
}

const FLINK_VERSION = '1.19.1';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function jobId(uid: string): string {
  return uid.replace(/-/g, '').slice(0, 32).padEnd(32, '0');
}

export function flinkWebUi(store: LocalCmfStore, envName: string, poolName: string, path: string): WebUiReply {
  const pool = store.pool(envName, poolName);
  if (pool.spec.type !== 'SHARED') {
    throw new CmfHttpError(
      409,
      `Compute pool '${poolName}' (environment '${envName}') is DEDICATED: the cluster web UI exists only for SHARED pools. ` +
        'On a dedicated pool each statement has its own cluster; open the statement instead.',
    );
  }
  if (!store.connected(envName)) {
    const c = store.clusterOf(envName);
    throw new CmfHttpError(503, `The Flink web UI of compute pool '${poolName}' is unreachable: the Kubernetes cluster '${c.name}' of environment '${envName}' is ${c.state}.`);
  }
  if (pool.phase !== 'RUNNING') {
    throw new CmfHttpError(409, `The Flink web UI of shared compute pool '${poolName}' (environment '${envName}') is available only while the pool is RUNNING; it is ${pool.phase}.`);
  }
  const statements = store.statementsOnPool(envName, poolName).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const flinkState = (phase: string) =>
    ({ PENDING: 'INITIALIZING', RUNNING: 'RUNNING', FAILING: 'RESTARTING', FAILED: 'FAILED', COMPLETED: 'FINISHED', STOPPED: 'SUSPENDED' })[phase] ?? 'RUNNING';
  const cs = store.effectiveClusterSpec(pool);
  const slotsPerTm = Math.max(1, Number(cs.flinkConfiguration?.['taskmanager.numberOfTaskSlots'] ?? 1) || 1);
  const tms = store.poolResourceSummary(pool).taskManager?.count ?? 0;
  const running = statements.filter((s) => ['PENDING', 'RUNNING', 'FAILING'].includes(s.phase));
  const usedSlots = running.reduce((n, s) => n + (s.spec.parallelism ?? 1), 0);
  const json = (body: unknown): WebUiReply => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });

  switch (path.replace(/^\/+/, '')) {
    case '':
    case 'index.html': {
      const rows = statements
        .map((s) => `<tr><td>${escapeHtml(s.metadata.name)}</td><td>${flinkState(s.phase)}</td><td>${s.spec.parallelism ?? 1}</td><td><code>${escapeHtml(s.spec.statement)}</code></td></tr>`)
        .join('\n');
      const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Apache Flink Web Dashboard – ${escapeHtml(poolName)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}code{font-size:.85em}</style></head>
<body>
<h1>Apache Flink Web Dashboard</h1>
<p>Session cluster of shared compute pool <b>${escapeHtml(poolName)}</b> in environment <b>${escapeHtml(envName)}</b> (Flink ${FLINK_VERSION}, ${escapeHtml(String(cs.image ?? 'no image set'))}).</p>
<p>This is the local CMF: there is no real Flink cluster behind this page. Task managers: ${tms}, task slots: ${tms * slotsPerTm}.</p>
<h2>Jobs</h2>
${statements.length ? `<table><thead><tr><th>Statement</th><th>Status</th><th>Parallelism</th><th>SQL</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>No statements run on this pool.</p>'}
</body>
</html>
`;
      return { status: 200, contentType: 'text/html; charset=utf-8', body };
    }
    case 'config':
      return json({ 'refresh-interval': 3000, 'timezone-name': 'Coordinated Universal Time', 'timezone-offset': 0, 'flink-version': FLINK_VERSION, 'flink-revision': 'local-cmf', features: { 'web-submit': false, 'web-cancel': false, 'web-rescale': false, 'web-history': false } });
    case 'overview':
      return json({
        taskmanagers: tms,
        'slots-total': tms * slotsPerTm,
        'slots-available': Math.max(0, tms * slotsPerTm - usedSlots),
        'jobs-running': statements.filter((s) => s.phase === 'RUNNING').length,
        'jobs-finished': statements.filter((s) => s.phase === 'COMPLETED').length,
        'jobs-cancelled': statements.filter((s) => s.phase === 'STOPPED').length,
        'jobs-failed': statements.filter((s) => s.phase === 'FAILED').length,
        'flink-version': FLINK_VERSION,
        'flink-commit': 'local-cmf',
      });
    case 'jobs/overview':
      return json({
        jobs: statements.map((s) => ({
          jid: jobId(s.metadata.uid),
          name: s.metadata.name,
          state: flinkState(s.phase),
          'start-time': Date.parse(s.metadata.creationTimestamp),
          'end-time': -1,
          'last-modification': Date.parse(s.metadata.updateTimestamp),
        })),
      });
    default:
      throw new CmfHttpError(404, `The Flink web UI of compute pool '${poolName}' has no page '${path}'. Try the dashboard at .../flink-web-ui/ or the REST documents overview, config and jobs/overview.`);
  }
}
