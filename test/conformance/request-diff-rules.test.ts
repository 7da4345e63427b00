// The request diff itself (request-diff.ts), on requests written out by hand: it must see each kind of difference
// and say both values, or the conformance suite could pass while our requests drift.
import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fake/server.js';
import { formatDifferences, refreshDifferences, responsesDifferences } from './request-diff.js';

function request(headers: Record<string, string>, body: Record<string, unknown>): RecordedRequest {
  return { method: 'POST', path: '/backend-api/codex/responses', query: new URLSearchParams(), headers, bodyText: '', body, receivedAt: 0 };
}

const user = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }], ...extra });
const tools = { type: 'additional_tools', role: 'developer', tools: [{ type: 'namespace', name: 'functions', description: '', tools: [] }] };
const base = { model: 'gpt-6.2-sol', stream: true, store: false, parallel_tool_calls: false, reasoning: { effort: 'low', context: 'all_turns' } };
const headers = { accept: 'text/event-stream', version: '0.171.0', 'session-id': 's', authorization: 'Bearer a', host: 'x', 'content-length': '1' };

describe('the request diff', () => {
  it('finds nothing between two requests that differ only in ids, texts and transport headers', () => {
    const a = request({ ...headers, host: '127.0.0.1:1' }, { ...base, prompt_cache_key: 'one', input: [tools, user('hi', { id: 'msg_1' })] });
    const b = request({ ...headers, 'content-length': '999' }, { ...base, prompt_cache_key: 'two', input: [tools, user('hello', { id: 'msg_2' })] });
    expect(responsesDifferences(a, b)).toEqual([]);
  });

  it('names each difference with both values: headers, body keys and values, items and their order, the image part', () => {
    const official = request(
      { ...headers, 'thread-id': 't' },
      {
        ...base,
        input: [
          tools,
          { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'be brief' }] },
          user('x', {
            content: [
              { type: 'input_text', text: '<image name=[Image #1]>' },
              { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
              { type: 'input_text', text: '</image>' },
              { type: 'input_text', text: 'what?' },
            ],
          }),
        ],
      },
    );
    const ours = request(
      { ...headers, 'accept-language': '*', accept: 'application/json' },
      {
        ...base,
        store: true,
        instructions: 'be brief',
        input: [
          user('x', {
            content: [
              { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'high' },
              { type: 'input_text', text: 'what?' },
            ],
          }),
          tools,
        ],
      },
    );
    const found = Object.fromEntries(responsesDifferences(official, ours).map((difference) => [difference.aspect, [difference.official, difference.ours]]));
    expect(found).toEqual({
      'header accept value': ['"text/event-stream"', '"application/json"'],
      'header accept-language': ['absent', 'sent'],
      'header thread-id': ['sent', 'absent'],
      'body instructions': ['absent', 'sent'],
      'body store value': ['false', 'true'],
      'input additional_tools item': ['"first"', '"later"'],
      'input developer message': ['"before the prompt"', '"absent"'],
      'prompt message parts': ['["input_text(<image …>)","input_image","input_text(</image>)","input_text"]', '["input_image","input_text"]'],
      'input_image image_url': ['"data:image/png;base64,…"', '"https://example.com/a.png"'],
      'input_image detail': ['absent', '"high"'],
    });
  });

  it('sees a reordered conversation, a dropped commentary and a configuration_update item', () => {
    const call = { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' };
    const output = { type: 'function_call_output', call_id: 'c', output: 'ok' };
    const commentary = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'working' }] };
    const official = request(headers, { ...base, input: [user('q'), commentary, call, output] });
    const ours = request(headers, { ...base, input: [call, output, user('q'), { type: 'configuration_update', reasoning: { effort: 'low' } }] });
    expect(responsesDifferences(official, ours).map((difference) => difference.aspect)).toEqual([
      'input conversation',
      'input configuration_update item',
      'input commentary before a tool call',
    ]);
  });

  it('compares refresh bodies by keys and by their settings', () => {
    const official = request(
      { 'content-type': 'application/json' },
      { client_id: 'app', grant_type: 'refresh_token', refresh_token: 'a', refresh_reason: 'proactive_expiry' },
    );
    const ours = request({ 'content-type': 'application/x-www-form-urlencoded' }, { client_id: 'app', grant_type: 'refresh_token', refresh_token: 'b' });
    expect(refreshDifferences(official, ours)).toEqual([
      { aspect: 'header content-type value', official: '"application/json"', ours: '"application/x-www-form-urlencoded"' },
      { aspect: 'refresh body keys', official: '["client_id","grant_type","refresh_reason","refresh_token"]', ours: '["client_id","grant_type","refresh_token"]' },
      { aspect: 'refresh body refresh_reason', official: '"proactive_expiry"', ours: 'absent' },
    ]);
  });

  it('prints each difference once with the scenarios it showed in and both values', () => {
    const difference = { aspect: 'header thread-id', official: 'sent', ours: 'absent' };
    expect(
      formatDifferences('title:', [
        { scenario: 'plain', difference },
        { scenario: 'image', difference },
      ]),
    ).toBe('title:\n  header thread-id   [plain, image]\n      official: sent\n      ours:     absent');
  });
});
