import type { PrometheusMetrics } from '../metrics/prometheus-metrics.js';
import type { CliArguments } from './arguments.js';
import { WORKER_CHILD_ENV, type WorkerChildMessage, type WorkerParentMessage } from './worker-pool.js';

/** True in a process started by `start`'s {@link WorkerPool}, which talks to it over IPC. */
export function isPoolChild(): boolean {
  return process.env[WORKER_CHILD_ENV] === '1' && typeof process.send === 'function';
}

/** The `worker` command line a pool child runs: the parent's own options, carried over. */
export function poolChildArguments(args: CliArguments): string[] {
  return [
    'worker',
    ...(args.model !== undefined ? ['--model', args.model] : []),
    ...(args.maxIterations !== undefined ? ['--max-iterations', String(args.maxIterations)] : []),
    ...(args.stream ? [] : ['--no-stream']),
    ...(args.config !== undefined ? ['--config', args.config] : []),
  ];
}

/**
 * The child's side of the pool: says it is ready, answers the parent's metrics requests (so the
 * parent's `/metrics` counts the turns run here), and resolves when it must stop: SIGTERM, SIGINT
 * (Ctrl+C reaches the whole process group) or the parent gone (the IPC channel closed).
 */
export function servePoolParent(metrics: PrometheusMetrics): Promise<void> {
  const send = (message: WorkerChildMessage) => {
    if (process.connected) process.send?.(message);
  };
  const onMessage = (message: WorkerParentMessage) => {
    if (message?.type !== 'metrics') return;
    void metrics.registry.getMetricsAsJSON().then(
      (values) => send({ type: 'metrics', id: message.id, metrics: values }),
      () => send({ type: 'metrics', id: message.id, metrics: [] }),
    );
  };
  process.on('message', onMessage);
  send({ type: 'ready' });
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      process.off('disconnect', done);
      process.off('message', onMessage);
      resolve();
    };
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
    process.once('disconnect', done);
    // The parent may have gone while this process was still starting, before anyone listened.
    if (!process.connected) done();
  });
}
