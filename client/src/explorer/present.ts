/**
 * How each explorer node looks: label, description, icon (a codicon id and a theme color id), tooltip
 * (Markdown), contextValue and decoration. Pure data, no vscode import: the TreeItem classes in tree.ts
 * copy these fields one to one, and the tests assert them without an editor.
 *
 * contextValue is composed from flags, most general first, joined with "." — e.g.
 * `pool.shared.state-running.phase-running.stale` — and menus match it with regular expressions
 * (`viewItem =~ /^pool\.shared\..*\bstate-running\b/`), so adding a flag never breaks a menu.
 */
import { parseResourceMemory } from '../../../cmf-model/src/quantities';
import type { ComputePool, Environment, Statement } from '../../../cmf-model/src/types';
import { describeConnection, type ConnectionConfig } from '../connections/config';
import type { ConnectionRegistry } from '../connections/registry';

interface Icon {
  /** A codicon id, e.g. `pass-filled` or `loading~spin`. */
  id: string;
  /** A theme color id, e.g. `testing.iconPassed`. */
  color?: string;
}

/** A badge shown by the tree's FileDecorationProvider (at most 2 characters). */
interface Decoration {
  badge: string;
  tooltip: string;
  color: string;
}

export interface NodeView {
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon: Icon;
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  decoration?: Decoration;
  command?: { command: string; title: string; arguments?: unknown[] };
}

/** Pool phases, as the explorer shows them. Unknown phases (a newer CMF) fall back to `question`. */
const POOL_PHASE_ICONS: Readonly<Record<string, Icon>> = {
  RUNNING: { id: 'pass-filled', color: 'testing.iconPassed' },
  PENDING: { id: 'loading~spin', color: 'charts.yellow' },
  SUSPENDED: { id: 'debug-pause', color: 'disabledForeground' },
  FAILING: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  FAILED: { id: 'error', color: 'problemsErrorIcon.foreground' },
  DELETING: { id: 'trash', color: 'charts.orange' },
  DEDICATED: { id: 'server-process', color: 'charts.blue' },
};

const STATEMENT_PHASE_ICONS: Readonly<Record<string, Icon>> = {
  RUNNING: { id: 'play-circle', color: 'testing.iconPassed' },
  PENDING: { id: 'loading~spin', color: 'charts.yellow' },
  STOPPED: { id: 'debug-stop', color: 'disabledForeground' },
  FAILING: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  COMPLETED: { id: 'check', color: 'charts.green' },
  FAILED: { id: 'error', color: 'problemsErrorIcon.foreground' },
};

const UNKNOWN: Icon = { id: 'question' };

/** Phases the explorer keeps polling (the issue's "unsettled": PENDING, DELETING, FAILING). */
const UNSETTLED_POOL_PHASES: readonly string[] = ['PENDING', 'DELETING', 'FAILING'];
const UNSETTLED_STATEMENT_PHASES: readonly string[] = ['PENDING', 'FAILING'];

function poolPhase(pool: ComputePool): string {
  return pool.status?.phase ?? (pool.spec.type === 'DEDICATED' ? 'DEDICATED' : 'PENDING');
}

export function isPoolUnsettled(pool: ComputePool): boolean {
  return UNSETTLED_POOL_PHASES.includes(poolPhase(pool));
}

export function isStatementUnsettled(s: Statement): boolean {
  return UNSETTLED_STATEMENT_PHASES.includes(s.status?.phase ?? 'PENDING');
}

const flag = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

// ---------------------------------------------------------------------------------------------------------
// Connections and environments

export function connectionView(c: ConnectionConfig, selected: boolean): NodeView {
  const flags = ['connection', selected ? 'selected' : 'unselected', c.local ? 'local' : 'remote', c.insecureSkipVerify ? 'insecure' : 'verified'];
  const tooltip = [
    `**${md(c.name)}**${selected ? ' (selected)' : ''}`,
    '',
    md(describeConnection(c)),
    ...(c.defaultEnvironment ? ['', `Default environment: ${code(c.defaultEnvironment)}`] : []),
    ...(c.local ? ['', 'The local CMF this window started (demo data, loopback only).'] : []),
    ...(c.insecureSkipVerify ? ['', '$(warning) **TLS certificate verification is off** for this connection: anyone on the network path can read and change its traffic, tokens included.'] : []),
  ].join('\n');
  return {
    label: c.name,
    description: [c.local ? 'local CMF' : safeHost(c.url), c.insecureSkipVerify ? 'TLS unverified' : undefined].filter(Boolean).join(' · '),
    tooltip,
    icon: c.insecureSkipVerify ? { id: 'unlock', color: 'list.warningForeground' } : selected ? { id: 'plug', color: 'charts.green' } : { id: 'plug' },
    contextValue: flags.join('.'),
    collapsible: selected ? 'expanded' : 'collapsed',
    decoration: c.insecureSkipVerify ? { badge: '!', color: 'list.warningForeground', tooltip: 'TLS certificate verification is off for this connection' } : undefined,
  };
}

export function environmentView(env: Environment, selected: boolean): NodeView {
  const cluster = env.status?.kubernetesCluster;
  const away = cluster?.state === 'DISCONNECTED' || cluster?.state === 'DECOMMISSIONED';
  const flags = ['environment', selected ? 'selected' : 'unselected', away ? `cluster-${flag(cluster!.state!)}` : 'cluster-ok'];
  const defaults = env.computePoolDefaults?.clusterSpec;
  const tooltip = [
    `**Environment ${md(env.name)}**${selected ? ' (selected: pool files are validated against it and deployed to it)' : ''}`,
    '',
    `Kubernetes namespace: ${code(env.kubernetesNamespace ?? '-')}`,
    ...(env.kubernetesClusterName ? [`Kubernetes cluster: ${code(env.kubernetesClusterName)}${cluster?.state ? ` (${cluster.state})` : ''}`] : []),
    ...(away ? ['', `$(warning) The cluster is ${cluster!.state}: CMF answers from its cache (data may be stale) and rejects writes with HTTP 503.`] : []),
    ...(defaults ? ['', 'Compute pool defaults:', '```json', JSON.stringify(defaults, null, 2), '```'] : []),
  ].join('\n');
  return {
    label: env.name,
    description: [selected ? 'selected' : undefined, away ? `cluster ${cluster!.state}` : undefined].filter(Boolean).join(' · ') || undefined,
    tooltip,
    icon: away ? { id: 'debug-disconnect', color: 'list.warningForeground' } : selected ? { id: 'layers-active', color: 'charts.green' } : { id: 'layers' },
    contextValue: flags.join('.'),
    collapsible: selected ? 'expanded' : 'collapsed',
    decoration: away ? { badge: '!', color: 'list.warningForeground', tooltip: `Kubernetes cluster ${cluster!.state}` } : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Pools

export function poolView(pool: ComputePool): NodeView {
  const phase = poolPhase(pool);
  const type = pool.spec.type;
  const shared = type === 'SHARED';
  const state = shared ? (pool.spec.state ?? 'RUNNING') : undefined;
  const stale = !!pool.status?.warning;
  const flags = ['pool', shared ? 'shared' : 'dedicated'];
  if (state) flags.push(`state-${flag(state)}`);
  flags.push(`phase-${flag(phase)}`);
  if (stale) flags.push('stale');
  const description = [shared ? `SHARED · ${phase}` : 'DEDICATED', stale ? '⚠ may be stale' : undefined].filter(Boolean).join(' · ');
  return {
    label: pool.metadata.name,
    description,
    tooltip: poolTooltip(pool),
    icon: POOL_PHASE_ICONS[phase] ?? UNKNOWN,
    contextValue: flags.join('.'),
    collapsible: 'collapsed',
    decoration: stale ? { badge: '⚠', color: 'list.warningForeground', tooltip: pool.status!.warning! } : undefined,
  };
}

/** Total CPU and memory of a pool's clusters: from CMF's resourceSummary when it sent one, else from the spec. */
export function poolResources(pool: ComputePool): string[] {
  const lines: string[] = [];
  const sum = pool.status?.resourceSummary;
  if (sum && (sum.jobManager || sum.taskManager)) {
    const cpu = (sum.jobManager?.cpu ?? 0) + (sum.taskManager?.cpu ?? 0);
    const mem = (sum.jobManager?.memory ?? 0) + (sum.taskManager?.memory ?? 0);
    lines.push(
      `Allocated now: **${formatCpu(cpu)} CPU, ${formatBytes(mem)}** (JobManagers: ${sum.jobManager?.count ?? 0}, TaskManagers: ${sum.taskManager?.count ?? 0})`,
    );
  }
  const cs = pool.spec.clusterSpec ?? {};
  const jm = cs.jobManager;
  const tm = cs.taskManager;
  const jmCount = jm?.replicas ?? 1;
  const jmCpu = jm?.resource?.cpu;
  const jmMem = typeof jm?.resource?.memory === 'string' ? parseResourceMemory(jm.resource.memory) : undefined;
  const tmCpu = tm?.resource?.cpu;
  const tmMem = typeof tm?.resource?.memory === 'string' ? parseResourceMemory(tm.resource.memory) : undefined;
  const each = (cpu: number | undefined, mem: number | undefined) => `${cpu !== undefined ? formatCpu(cpu) : '?'} CPU, ${mem !== undefined ? formatBytes(mem) : '?'}`;
  const fixedTms = pool.spec.type === 'SHARED' && cs.mode === 'standalone' ? (tm?.replicas ?? 1) : undefined;
  if (pool.spec.type === 'SHARED') {
    if (fixedTms !== undefined && jmCpu !== undefined && tmCpu !== undefined && jmMem !== undefined && tmMem !== undefined) {
      lines.push(`Session cluster: **${formatCpu(jmCount * jmCpu + fixedTms * tmCpu)} CPU, ${formatBytes(jmCount * jmMem + fixedTms * tmMem)}** in total`);
    }
    lines.push(`JobManager: ${jmCount} × ${each(jmCpu, jmMem)}`);
    lines.push(
      fixedTms !== undefined
        ? `TaskManagers: ${fixedTms} × ${each(tmCpu, tmMem)} (standalone)`
        : `TaskManagers: as statements need them (native mode), each ${each(tmCpu, tmMem)}`,
    );
  } else {
    lines.push(`Per statement: JobManager ${jmCount} × ${each(jmCpu, jmMem)}; TaskManagers each ${each(tmCpu, tmMem)} (one cluster per statement)`);
  }
  return lines;
}

function poolTooltip(pool: ComputePool): string {
  const cs = pool.spec.clusterSpec ?? {};
  const phase = poolPhase(pool);
  const rows = [
    `**${md(pool.metadata.name)}** — ${pool.spec.type}${pool.spec.type === 'SHARED' ? `, ${phase} (state ${pool.spec.state ?? 'RUNNING'})` : ''}`,
    '',
    `Image: ${code(String(cs.image ?? "(the environment's default)"))}`,
    `Flink version: ${code(String(cs.flinkVersion ?? "(the environment's default)"))}`,
    ...(pool.spec.type === 'SHARED' ? [`Mode: ${md(String(cs.mode ?? 'native'))}`] : []),
    ...poolResources(pool),
  ];
  if (pool.status?.message) rows.push('', `Status: ${md(pool.status.message)}`);
  if (pool.status?.warning) rows.push('', `$(warning) **The data may be stale:** ${md(pool.status.warning)}`);
  return rows.join('  \n');
}

// ---------------------------------------------------------------------------------------------------------
// Statements

export function statementView(s: Statement): NodeView {
  const phase = s.status?.phase ?? 'PENDING';
  const stale = !!s.status?.warning;
  const flags = ['statement', `phase-${flag(phase)}`];
  if (stale) flags.push('stale');
  const tooltip = [
    `**${md(s.metadata.name)}** — ${phase}`,
    '',
    '```sql',
    s.spec.statement.length > 600 ? s.spec.statement.slice(0, 600) + '…' : s.spec.statement,
    '```',
    ...(s.spec.parallelism ? [`Parallelism: ${s.spec.parallelism}`] : []),
    ...(s.status?.detail ? ['', md(s.status.detail)] : []),
    ...(stale ? ['', `$(warning) **The data may be stale:** ${md(s.status!.warning!)}`] : []),
  ].join('\n');
  return {
    label: s.metadata.name,
    description: [phase, stale ? '⚠ may be stale' : undefined].filter(Boolean).join(' · '),
    tooltip,
    icon: STATEMENT_PHASE_ICONS[phase] ?? UNKNOWN,
    contextValue: flags.join('.'),
    collapsible: 'none',
    decoration: stale ? { badge: '⚠', color: 'list.warningForeground', tooltip: s.status!.warning! } : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The status-bar item

/** The status-bar item's text, tooltip and warning state: the selected connection and environment. */
export function statusText(registry: ConnectionRegistry): { text: string; tooltip: string; warning: boolean } {
  const sel = registry.selection();
  const c = sel ? registry.get(sel.connection) : undefined;
  if (!sel || !c) {
    return registry.list().length
      ? { text: '$(plug) CMF: select a connection', tooltip: 'No CMF connection is selected. Click to select one.', warning: false }
      : { text: '$(plug) CMF: no connection', tooltip: 'No CMF connection yet. Click to add one, or try the local CMF from the CMF explorer.', warning: false };
  }
  const env = sel.environment ?? 'no environment';
  return {
    text: `${c.insecureSkipVerify ? '$(warning)' : '$(plug)'} ${c.name} / ${env}`,
    tooltip: `CMF connection '${c.name}' (${describeConnection(c)}), environment ${sel.environment ? `'${sel.environment}'` : 'not selected'}.\nPool files are validated against this environment's defaults and deployed to it. Click to select another.`,
    warning: !!c.insecureSkipVerify,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Messages (placeholders and errors)

export function messageView(role: 'placeholder' | 'error', text: string, detail?: string, command?: NodeView['command']): NodeView {
  return {
    label: text,
    tooltip: detail ? md(detail) : undefined,
    icon: role === 'error' ? { id: 'error', color: 'problemsErrorIcon.foreground' } : { id: 'info' },
    contextValue: `message.${role}${command ? '.actionable' : ''}`,
    collapsible: 'none',
    command,
  };
}

// ---------------------------------------------------------------------------------------------------------

function formatCpu(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${Math.round((n / 2 ** 30) * 100) / 100} GiB`;
  if (n >= 2 ** 20) return `${Math.round((n / 2 ** 20) * 100) / 100} MiB`;
  if (n >= 2 ** 10) return `${Math.round((n / 2 ** 10) * 100) / 100} KiB`;
  return `${n} B`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A Markdown code span (its content is not escaped there, so backticks are dropped instead). */
function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}

/** Escapes Markdown so names and CMF's messages show as written. */
function md(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
