import { describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../src/metrics/prometheus-metrics.js';

describe('PrometheusMetrics', () => {
  it('exposes every Metrics call under its documented name and labels, in a registry of its own', async () => {
    const metrics = new PrometheusMetrics();
    const other = new PrometheusMetrics(); // a second instance must not collide (no global registry)
    metrics.operationFinished('user_input', 'ok', 2.5);
    metrics.llmCall(
      'anthropic/claude-sonnet-5-5',
      'ok',
      {
        inputTokens: 100,
        outputTokens: 20,
        cacheReadTokens: 5,
        cacheWriteTokens: 3,
      },
      0.0123,
    );
    metrics.llmCall('anthropic/claude-sonnet-5-5', 'error');
    metrics.toolRun('plan_update', true);
    metrics.toolRun('bash', false);
    metrics.apiCall('discord', 'POST /channels/:id/messages', 'ok');
    metrics.apiCall('slack', 'chat.update', 'rate_limited');
    metrics.apiRetry('slack');
    metrics.observeQueue(() => Promise.resolve({ waiting: 3, active: 1 }));
    const { contentType, body } = await metrics.scrape();
    expect(contentType).toContain('text/plain');
    for (const line of [
      'mlib_operation_duration_seconds_count{op_type="user_input",outcome="ok"} 1',
      'mlib_operation_duration_seconds_sum{op_type="user_input",outcome="ok"} 2.5',
      'mlib_llm_calls_total{model="anthropic/claude-sonnet-5-5",outcome="ok"} 1',
      'mlib_llm_calls_total{model="anthropic/claude-sonnet-5-5",outcome="error"} 1',
      'mlib_llm_tokens_total{model="anthropic/claude-sonnet-5-5",kind="input"} 100',
      'mlib_llm_tokens_total{model="anthropic/claude-sonnet-5-5",kind="output"} 20',
      'mlib_llm_tokens_total{model="anthropic/claude-sonnet-5-5",kind="cache_read"} 5',
      'mlib_llm_tokens_total{model="anthropic/claude-sonnet-5-5",kind="cache_write"} 3',
      'mlib_llm_cost_usd_total{model="anthropic/claude-sonnet-5-5"} 0.0123',
      'mlib_tool_runs_total{tool="plan_update"} 1',
      'mlib_tool_runs_total{tool="bash"} 1',
      'mlib_tool_failures_total{tool="bash"} 1',
      'mlib_api_calls_total{service="discord",method="POST /channels/:id/messages",outcome="ok"} 1',
      'mlib_api_calls_total{service="slack",method="chat.update",outcome="rate_limited"} 1',
      'mlib_api_rate_limited_total{service="slack"} 1',
      'mlib_api_retries_total{service="slack"} 1',
      'mlib_queue_jobs{state="waiting"} 3',
      'mlib_queue_jobs{state="active"} 1',
    ]) {
      expect(body.split('\n')).toContain(line);
    }
    expect(body).not.toContain('mlib_tool_failures_total{tool="plan_update"}');
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect((await other.scrape()).body).not.toContain('mlib_tool_runs_total{');
  });

  it('a queue read that fails leaves the gauge empty and the scrape answering', async () => {
    const metrics = new PrometheusMetrics();
    metrics.observeQueue(() => Promise.reject(new Error('redis away')));
    const { body } = await metrics.scrape();
    expect(body).toContain('# TYPE mlib_queue_jobs gauge');
    expect(body).not.toMatch(/^mlib_queue_jobs\{/m);
  });
});
