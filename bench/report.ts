export type Figures = Record<string, Record<string, number>>;

interface Row {
  label: string;
  value: number | undefined;
  unit: string;
  /** `≤ 2`, `< 400`; none for figures that are context only. */
  target?: { op: '≤' | '<'; limit: number };
}

/** The human table: each figure with its target and whether it is met. */
export function formatTable(figures: Figures): string {
  const { a, b, c, d, e, f, g, h, i, j, k } = figures;
  const rows: Row[] = [
    { label: '(a) bare BullMQ add → completed p50', value: a?.p50Ms, unit: 'ms' },
    { label: '(a) bare BullMQ add → completed p99', value: a?.p99Ms, unit: 'ms' },
    { label: '(b) submit → first event p50', value: b?.p50Ms, unit: 'ms' },
    { label: '(b) submit → first event p99', value: b?.p99Ms, unit: 'ms' },
    { label: '(c) ratio b/a p50', value: c?.p50Ratio, unit: '', target: { op: '≤', limit: 2 } },
    { label: '(c) ratio b/a p99', value: c?.p99Ratio, unit: '' },
    { label: '(d) rounds (medians below)', value: d?.rounds, unit: '' },
    { label: `(d) ${d?.sessions ?? '?'} sessions wall`, value: d?.wallS, unit: 's' },
    { label: '(d) ideal', value: d?.idealS, unit: 's' },
    { label: '(d) ratio wall/ideal', value: d?.ratio, unit: '' },
    { label: '(d) worker peak RSS', value: d?.peakRssMb, unit: 'MB', target: { op: '<', limit: 400 } },
    { label: '(d) worker RSS when idle', value: d?.readyRssMb, unit: 'MB' },
    { label: '(d) all submits done after', value: d?.submitAllS, unit: 's' },
    { label: '(d) first turn complete after', value: d?.firstCompleteS, unit: 's' },
    { label: '(d) bare BullMQ, same load: wall', value: d?.bareBullmqWallS, unit: 's' },
    { label: '(d) bare BullMQ, same load: ratio', value: d?.bareBullmqRatio, unit: '' },
    {
      label: '(d) wall against bare BullMQ, same run',
      value: d?.wallToBareRatio,
      unit: '',
      target: { op: '≤', limit: 1.15 },
    },
    { label: '(d) worker CPU per turn (all threads)', value: d?.workerCpuMsPerTurn, unit: 'ms' },
    { label: '(d) bare BullMQ worker CPU per job', value: d?.bareCpuMsPerJob, unit: 'ms' },
    { label: '(d) CPU against bare BullMQ', value: d?.cpuToBareRatio, unit: '' },
    { label: '(d) Redis CPU per turn', value: d?.redisCpuMsPerTurn, unit: 'ms' },
    { label: '(d) bare BullMQ: Redis CPU per job', value: d?.bareRedisCpuMsPerJob, unit: 'ms' },
    { label: '(d) Redis scripts per turn', value: d?.redisScriptsPerTurn, unit: '' },
    { label: '(d) bare BullMQ: Redis scripts per job', value: d?.bareRedisScriptsPerJob, unit: '' },
    { label: '(e) bytes written, 10-message history', value: e?.bytes10, unit: 'B' },
    { label: '(e) bytes written, 1000-message history', value: e?.bytes1000, unit: 'B' },
    { label: '(e) ratio 1000/10', value: e?.ratio, unit: '', target: { op: '≤', limit: 1.2 } },
    { label: '(e) idle window (noise floor)', value: e?.idleBytes, unit: 'B' },
    {
      label: `(f) SIGKILL → resumed turn_complete, median of ${f?.runs ?? '?'}`,
      value: f?.killToTurnCompleteS,
      unit: 's',
      target: { op: '≤', limit: 5 },
    },
    {
      label: '(f) SIGKILL → resumed turn_complete, worst',
      value: f?.worstKillToTurnCompleteS,
      unit: 's',
      target: { op: '≤', limit: 5 },
    },
    { label: '(f) SIGKILL → resumed turn_complete, best', value: f?.bestKillToTurnCompleteS, unit: 's' },
    { label: '(f) default worker.lockMs', value: f?.lockMs, unit: 'ms' },
    { label: '(f) default worker.stalledIntervalMs', value: f?.stalledIntervalMs, unit: 'ms' },
    {
      label: '(g) slack signed mention → first visible p50',
      value: g?.p50Ms,
      unit: 'ms',
      target: { op: '≤', limit: 250 },
    },
    { label: '(g) slack signed mention → first visible p99', value: g?.p99Ms, unit: 'ms' },
    { label: '(g) ratio to bare BullMQ round trip (a) p50', value: g?.ratioToBullmqP50, unit: '' },
    { label: `(h) slack answer of ${h?.chars ?? '?'} chars over`, value: h?.seconds, unit: 's' },
    { label: '(h) API calls for that answer', value: h?.answerApiCalls, unit: '' },
    {
      label: '(h) edits per second',
      value: h?.answerEditsPerSecond,
      unit: '/s',
      target: { op: '≤', limit: 1 },
    },
    { label: '(h) chat.* calls in all (status, answer)', value: h?.chatApiCallsTotal, unit: '' },
    {
      label: `(i) ${i?.mentions ?? '?'} mentions at once to start: slowest ack`,
      value: i?.slowestAckMs,
      unit: 'ms',
      target: { op: '≤', limit: 300 },
    },
    { label: '(i) bursts (acks over all; wall: the median burst)', value: i?.rounds, unit: '' },
    { label: '(i) p99 ack', value: i?.p99AckMs, unit: 'ms' },
    { label: '(i) p50 ack', value: i?.p50AckMs, unit: 'ms' },
    { label: '(i) acks after 3 s (Slack retries those)', value: i?.acksOver3s, unit: '' },
    { label: '(i) first POST → last answer', value: i?.wallS, unit: 's' },
    { label: '(i) ratio to the 1 s ideal', value: i?.wallRatio, unit: '', target: { op: '≤', limit: 2 } },
    { label: '(i) ratio, first burst after start', value: i?.firstBurstRatio, unit: '' },
    { label: '(i) Slack calls per thread', value: i?.slackCallsPerThread, unit: '' },
    { label: '(i) peak RSS, command + workers', value: i?.peakRssMb, unit: 'MB' },
    { label: '(i) worker processes', value: i?.workerProcesses, unit: '' },
    { label: '(i) turn slots (processes × worker.concurrency)', value: i?.turnSlots, unit: '' },
    { label: '(j) turn CPU, 10-message history, median', value: j?.cpuMs10, unit: 'ms' },
    { label: '(j) turn CPU, 10,000-message history, median', value: j?.cpuMs10000, unit: 'ms' },
    { label: '(j) CPU ratio 10,000/10', value: j?.cpuRatio, unit: '', target: { op: '≤', limit: 1.5 } },
    { label: '(j) Redis bytes read, 10-message history', value: j?.readBytes10, unit: 'B' },
    { label: '(j) Redis bytes read, 10,000-message history', value: j?.readBytes10000, unit: 'B' },
    {
      label: '(j) bytes read ratio 10,000/10',
      value: j?.readBytesRatio,
      unit: '',
      target: { op: '≤', limit: 1.5 },
    },
    { label: `(k) ${k?.jobs ?? '?'} running jobs watched, window`, value: k?.windowS, unit: 's' },
    { label: '(k) Redis commands per second', value: k?.redisCommandsPerS, unit: '/s' },
    { label: '(k) Redis commands per second, workers idle', value: k?.idleRedisCommandsPerS, unit: '/s' },
    { label: '(k) redis-server CPU', value: k?.redisCpuPct, unit: '% of a core' },
    { label: '(k) worker CPU for the watching', value: k?.workerCpuMsPerS, unit: 'ms/s' },
    { label: '(k) worker CPU for the watching', value: k?.workerCpuPctCore, unit: '% of a core' },
    { label: '(k) worker CPU, workers idle', value: k?.idleWorkerCpuMsPerS, unit: 'ms/s' },
    {
      label: '(k) card edits (job_update) per job per minute',
      value: k?.cardEditsPerJobPerMin,
      unit: '',
      target: { op: '≤', limit: 6 },
    },
    {
      label: '(k) card edits per job per minute, busiest job',
      value: k?.maxCardEditsPerJobPerMin,
      unit: '',
      target: { op: '≤', limit: 6 },
    },
    {
      label: '(k) card edits per job per minute, quietest job',
      value: k?.minCardEditsPerJobPerMin,
      unit: '',
    },
    { label: '(k) Hub requests per second', value: k?.hubRequestsPerS, unit: '/s' },
    { label: '(k) Hub job reads (GET) per second', value: k?.hubJobReadsPerS, unit: '/s' },
    { label: '(k) Hub log tails per second', value: k?.hubLogReadsPerS, unit: '/s' },
    { label: '(k) poll interval per job, achieved', value: k?.pollIntervalS, unit: 's' },
    { label: '(k) worker peak RSS', value: k?.peakRssMb, unit: 'MB' },
    { label: '(k) worker RSS when idle', value: k?.readyRssMb, unit: 'MB' },
  ];
  const shown = rows.filter((r) => r.value !== undefined);
  const width = Math.max(...shown.map((r) => r.label.length));
  return shown
    .map((r) => {
      const value = `${r.value}${r.unit ? ` ${r.unit}` : ''}`;
      if (!r.target) return `${r.label.padEnd(width)}  ${value}`;
      const met = r.target.op === '≤' ? r.value! <= r.target.limit : r.value! < r.target.limit;
      return `${r.label.padEnd(width)}  ${value.padEnd(10)} (target ${r.target.op} ${r.target.limit}) ${met ? 'ok' : 'MISSED'}`;
    })
    .join('\n');
}
