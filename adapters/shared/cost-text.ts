/**
 * A cost as every renderer shows it: `$0.0123`, or "cost unknown" when no call had a known price,
 * or `$0.0123 + unknown` when some had. An unpriced open or local model never shows as $0.
 */
export function costText(costUsd: number, costUnknown: boolean | undefined): string {
  if (costUnknown !== true) return `$${costUsd.toFixed(4)}`;
  return costUsd > 0 ? `$${costUsd.toFixed(4)} + unknown` : 'cost unknown';
}
