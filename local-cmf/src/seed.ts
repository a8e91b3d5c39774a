/**
 * Seeds for the local CMF. `demo` is what a new user sees on a first run without a cluster: two environments
 * on two Kubernetes clusters, shared and dedicated pools, and statements in the phases they will meet.
 * Everything goes in through the store's own create methods, so the demo data obeys the same rules as data
 * created over HTTP; the phases and timestamps are then set to look like a cluster that has been running.
 */
import type { ComputePoolClusterSpec } from '../../cmf-model/src/types';
import type { StatementPhase } from '../../cmf-model/src/facts';
import { DEMO_ENVIRONMENTS } from './demo';
import { LocalCmfStore } from './store';

export { DEMO_ENVIRONMENTS };

export type Seed = 'demo' | 'empty';
export const SEEDS: readonly Seed[] = ['demo', 'empty'];

const DEMO_PROD_CLUSTER = 'prod-k8s-cluster';

const IMAGE = 'confluentinc/cp-flink-sql:1.19-cp7';

function poolBody(name: string, type: 'SHARED' | 'DEDICATED', clusterSpec: ComputePoolClusterSpec, extra: { state?: 'RUNNING' | 'SUSPENDED'; labels?: Record<string, string> } = {}) {
  return {
    apiVersion: 'cmf.confluent.io/v1',
    kind: 'ComputePool',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { type, ...(extra.state ? { state: extra.state } : {}), clusterSpec },
  };
}

function statementBody(name: string, pool: string, sql: string, extra: { parallelism?: number; stopped?: boolean; labels?: Record<string, string>; properties?: Record<string, string> } = {}) {
  return {
    apiVersion: 'cmf.confluent.io/v1',
    kind: 'Statement',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: {
      statement: sql,
      computePoolName: pool,
      properties: extra.properties ?? { 'sql.current-catalog': 'kafka-cat', 'sql.current-database': 'orders-db' },
      ...(extra.parallelism ? { parallelism: extra.parallelism } : {}),
      ...(extra.stopped ? { stopped: true } : {}),
    },
  };
}

export function applySeed(store: LocalCmfStore, seed: Seed): void {
  store.clear();
  if (seed === 'empty') return;
  const delay = store.phaseDelayMs;
  store.phaseDelayMs = 0;
  try {
    seedDemo(store);
  } finally {
    store.phaseDelayMs = delay;
  }
}

function seedDemo(store: LocalCmfStore): void {
  const dev = DEMO_ENVIRONMENTS.development;
  const prod = DEMO_ENVIRONMENTS.production;
  store.registerCluster(DEMO_PROD_CLUSTER, { provider: 'eks', region: 'eu-west-1' });

  store.upsertEnvironment({
    name: dev,
    kubernetesNamespace: 'flink-dev',
    metadata: { name: dev, labels: { tier: 'development' } },
    computePoolDefaults: {
      clusterSpec: { flinkVersion: 'v1_19', image: IMAGE, flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2' } },
    },
    statementDefaults: {
      interactive: { flinkConfiguration: { 'state.backend.type': 'hashmap' } },
      detached: { flinkConfiguration: { 'state.backend.type': 'rocksdb' } },
    },
  });
  store.upsertEnvironment({
    name: prod,
    kubernetesNamespace: 'flink-prod',
    kubernetesClusterName: DEMO_PROD_CLUSTER,
    metadata: { name: prod, labels: { tier: 'production' } },
    statementDefaults: { detached: { flinkConfiguration: { 'state.backend.type': 'rocksdb', 'execution.checkpointing.interval': '30s' } } },
  });

  // development: a shared pool for interactive work, and a suspended sandbox.
  store.createPool(
    dev,
    poolBody(
      'interactive',
      'SHARED',
      {
        flinkVersion: 'v1_19',
        image: IMAGE,
        flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '4', 'execution.checkpointing.interval': '10s' },
        taskManager: { resource: { cpu: 1.0, memory: '2048m' } },
        jobManager: { resource: { cpu: 1.0, memory: '1024m' } },
      },
      { state: 'RUNNING', labels: { team: 'analytics' } },
    ),
  );
  store.createPool(
    dev,
    poolBody(
      'sandbox',
      'SHARED',
      {
        flinkVersion: 'v1_19',
        image: IMAGE,
        mode: 'standalone',
        flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2' },
        taskManager: { replicas: 1, resource: { cpu: 0.5, memory: '1024m' } },
        jobManager: { resource: { cpu: 0.5, memory: '1024m' } },
      },
      { state: 'SUSPENDED', labels: { team: 'platform' } },
    ),
  );

  // prod: a dedicated pool for long-running pipelines, and a highly available shared pool for dashboards.
  store.createPool(
    prod,
    poolBody(
      'orders-etl',
      'DEDICATED',
      {
        flinkVersion: 'v1_19',
        image: IMAGE,
        flinkConfiguration: {
          'taskmanager.numberOfTaskSlots': '2',
          'execution.checkpointing.interval': '30s',
          'state.backend.type': 'rocksdb',
          'state.checkpoints.dir': 's3://acme-flink/orders-etl/checkpoints',
        },
        taskManager: { resource: { cpu: 2.0, memory: '4096m' } },
        jobManager: { resource: { cpu: 1.0, memory: '2048m' } },
      },
      { labels: { team: 'orders' } },
    ),
  );
  store.createPool(
    prod,
    poolBody(
      'analytics',
      'SHARED',
      {
        flinkVersion: 'v1_19',
        image: IMAGE,
        mode: 'standalone',
        flinkConfiguration: {
          'taskmanager.numberOfTaskSlots': '4',
          'high-availability.type': 'kubernetes',
          'high-availability.storageDir': 's3://acme-flink/analytics/recovery',
          'state.checkpoints.dir': 's3://acme-flink/analytics/checkpoints',
        },
        taskManager: { replicas: 2, resource: { cpu: 2.0, memory: '4096m' } },
        jobManager: { resource: { cpu: 1.0, memory: '2048m' } },
      },
      { state: 'RUNNING', labels: { team: 'analytics' } },
    ),
  );
  store.settle();

  const statements: { env: string; body: ReturnType<typeof statementBody>; phase: StatementPhase; detail?: string }[] = [
    {
      env: dev,
      body: statementBody('clicks-per-minute', 'interactive', "INSERT INTO clicks_per_minute SELECT window_start, COUNT(*) AS clicks FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR($rowtime), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;", { parallelism: 2 }),
      phase: 'RUNNING',
    },
    {
      env: dev,
      body: statementBody('create-clicks-sink', 'interactive', 'CREATE TABLE clicks_per_minute (window_start TIMESTAMP(3), clicks BIGINT);'),
      phase: 'COMPLETED',
    },
    {
      env: dev,
      body: statementBody('customer-join', 'interactive', 'SELECT o.order_id, c.name FROM orders o JOIN customer c ON o.customer_id = c.id;'),
      phase: 'FAILED',
      detail: "org.apache.flink.table.api.ValidationException: SQL validation failed. Object 'customer' not found within 'kafka-cat.orders-db'.",
    },
    {
      env: prod,
      body: statementBody('orders-enrichment', 'orders-etl', 'INSERT INTO enriched_orders SELECT o.*, p.category FROM orders o JOIN products FOR SYSTEM_TIME AS OF o.$rowtime AS p ON o.product_id = p.id;', { parallelism: 4, labels: { owner: 'orders-team' } }),
      phase: 'RUNNING',
    },
    {
      env: prod,
      body: statementBody('payments-audit', 'orders-etl', 'INSERT INTO payments_audit SELECT * FROM payments WHERE amount > 10000;', { parallelism: 2 }),
      phase: 'STOPPED',
      detail: 'Stopped on request.',
    },
    {
      env: prod,
      body: statementBody('fraud-scoring', 'orders-etl', 'INSERT INTO fraud_scores SELECT order_id, score(order_id) FROM orders;'),
      phase: 'FAILING',
      detail: 'Restarting: org.apache.flink.runtime.jobmaster.JobMasterException: TaskManager with id fraud-scoring-taskmanager-1-1 is no longer reachable.',
    },
    {
      env: prod,
      body: statementBody('revenue-dashboard', 'analytics', 'SELECT DATE_FORMAT(window_start, \'HH:mm\') AS minute, SUM(amount) AS revenue FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR($rowtime), INTERVAL \'1\' MINUTE)) GROUP BY window_start, window_end;'),
      phase: 'RUNNING',
    },
  ];
  for (const s of statements) store.createStatement(s.env, s.body);
  store.settle();
  for (const s of statements) {
    if (s.phase === 'STOPPED') {
      store.updateStatement(s.env, s.body.metadata.name, { ...s.body, spec: { ...s.body.spec, stopped: true } });
    } else if (store.statement(s.env, s.body.metadata.name).phase !== s.phase) {
      store.setStatementPhase(s.env, s.body.metadata.name, s.phase, s.detail);
    }
  }

  // Make it look like a cluster that has been running for a while: backdate the creation times.
  const now = store.now();
  let minutesAgo = 3 * 24 * 60;
  const stamp = (m: { creationTimestamp: string; updateTimestamp: string }) => {
    minutesAgo -= 97;
    m.creationTimestamp = new Date(now - minutesAgo * 60_000).toISOString();
    m.updateTimestamp = m.creationTimestamp;
  };
  for (const env of store.environments.values()) {
    env.createdTime = new Date(now - (minutesAgo + 60) * 60_000).toISOString();
    env.updatedTime = env.createdTime;
  }
  for (const pools of store.pools.values()) for (const p of pools.values()) stamp(p.metadata);
  for (const stmts of store.statements.values()) {
    for (const s of stmts.values()) {
      stamp(s.metadata);
      for (const e of s.exceptions) e.timestamp = s.metadata.creationTimestamp;
    }
  }
}
