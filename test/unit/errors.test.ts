// The error table (src/shared/errors.ts) is the one source of exit codes, retry decisions and permanent refresh errors.
import { describe, expect, it } from 'vitest';
import { errnoCode, errnoOrMessage, messageOf } from '../../src/shared/error-info.js';
import {
  ApiError,
  AuthError,
  CodexError,
  ERROR_CODES,
  type ErrorCode,
  EXIT_CODES,
  exitCodeFor,
  isErrorCode,
  isPermanentRefreshError,
  LockError,
  PERMANENT_REFRESH_ERRORS,
  UsageError,
} from '../../src/shared/errors.js';
import { apiErrorFromResponse } from '../../src/transport/api-error.js';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('the error table', () => {
  it('gives EXIT_CODES, exitCodeFor and each error its exit code', () => {
    expect(Object.keys(EXIT_CODES)).toEqual(codes);
    for (const code of codes) {
      expect(EXIT_CODES[code]).toBe(ERROR_CODES[code].exit);
      expect(exitCodeFor(code)).toBe(ERROR_CODES[code].exit);
      expect(new CodexError(code, 'x').exitCode).toBe(ERROR_CODES[code].exit);
      expect(new CodexError(code, 'x').kind).toBe(ERROR_CODES[code].kind);
    }
    // The documented contract (README "Exit codes"): a few fixed points.
    expect([EXIT_CODES.internal, EXIT_CODES.usage, EXIT_CODES.not_logged_in, EXIT_CODES.usage_limit_reached, EXIT_CODES.network, EXIT_CODES.bad_request]).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect([EXIT_CODES.timeout, EXIT_CODES.cancelled, EXIT_CODES.terminated]).toEqual([124, 130, 143]);
  });

  it('names the permanent refresh errors, and narrows strings from outside', () => {
    expect(PERMANENT_REFRESH_ERRORS).toEqual(['refresh_token_reused', 'refresh_token_expired', 'refresh_token_invalidated']);
    expect(isPermanentRefreshError('refresh_token_expired')).toBe(true);
    expect(isPermanentRefreshError('refresh_failed')).toBe(false);
    expect(isPermanentRefreshError('invalid_grant')).toBe(false);
    expect(isPermanentRefreshError(undefined)).toBe(false);
    expect(isErrorCode('usage')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(2)).toBe(false);
  });

  it('marks what codex sends again, and one failure may say otherwise', () => {
    expect(codes.filter((code) => ERROR_CODES[code].retryable)).toEqual(['rate_limited', 'network', 'server_error', 'stream_closed']);
    expect(new ApiError('network', 'x').retryable).toBe(true);
    expect(new ApiError('network', 'x', { retryable: false }).retryable).toBe(false);
    expect(new ApiError('bad_request', 'x', { retryable: true }).retryable).toBe(true);
  });

  it('lets the HTTP status decide for a backend answer, except for a usage limit', () => {
    const retryable = (status: number, body = '') => apiErrorFromResponse({ status, bodyText: body }).retryable;
    expect([408, 409, 429, 500, 503].map((status) => retryable(status))).toEqual([true, true, true, true, true]);
    expect([400, 403, 404].map((status) => retryable(status))).toEqual([false, false, false]);
    expect(retryable(429, JSON.stringify({ error: { type: 'usage_limit_reached', plan_type: 'plus' } }))).toBe(false);
    expect(retryable(503, JSON.stringify({ error: { type: 'usage_not_included' } }))).toBe(false);
  });

  it('has subclasses by meaning, all CodexErrors', () => {
    expect(new UsageError('x').code).toBe('usage');
    for (const error of [new UsageError('x'), new AuthError('not_logged_in', 'x'), new LockError('refresh_failed', 'x')]) {
      expect(error).toBeInstanceOf(CodexError);
    }
    expect(new LockError('refresh_failed', 'x')).not.toBeInstanceOf(AuthError);
  });
});

describe('errnoCode, messageOf', () => {
  it('read what any thrown value carries', () => {
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    expect([errnoCode(enoent), messageOf(enoent), errnoOrMessage(enoent)]).toEqual(['ENOENT', 'no such file', 'ENOENT']);
    expect([errnoCode(new Error('plain')), errnoOrMessage(new Error('plain'))]).toEqual([undefined, 'plain']);
    expect([errnoCode('text'), messageOf('text'), messageOf(undefined), messageOf(null), errnoCode(null)]).toEqual([undefined, 'text', 'undefined', 'null', undefined]);
    expect([errnoCode({ code: 42 }), messageOf({ message: 'duck' })]).toEqual([undefined, 'duck']);
  });
});
