import type { FakeResetCredit } from '../fake/server.js';

/** A reset credit as the backend lists it (wham/rate-limit-reset-credits). */
export const resetCredit = (id: string, expires_at: string | null, status: FakeResetCredit['status'] = 'available'): FakeResetCredit => ({
  id,
  reset_type: 'codex_rate_limits',
  status,
  granted_at: '2026-11-20T10:00:00Z',
  expires_at,
  title: `Full reset ${id}`,
});
