// The one queue between a stream being read and its reader (`stream()`, and serve's turns): bounded, in order,
// with the end's value or failure after the items pushed before it.
import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../src/shared/bounded-queue.js';

describe('BoundedQueue', () => {
  it('hands items over in order, then the end value', async () => {
    const queue = new BoundedQueue<number, string>(10);
    queue.push(1);
    queue.push(2);
    queue.end('done');
    expect(queue.closed).toBe(true);
    expect(await queue.next()).toEqual({ done: false, value: 1 });
    expect(queue.poll()).toEqual({ done: false, value: 2 });
    expect(await queue.next()).toEqual({ done: true, value: 'done' });
  });

  it('a full queue makes the producer wait until the reader brings it down to the low mark', async () => {
    const queue = new BoundedQueue<number>(3, 1);
    expect(queue.push(1)).toBeUndefined();
    expect(queue.push(2)).toBeUndefined();
    const wait = queue.push(3);
    expect(wait).toBeInstanceOf(Promise);
    let resumed = false;
    void wait!.then(() => (resumed = true));
    await queue.next();
    await Promise.resolve();
    expect(resumed).toBe(false);
    await queue.next();
    await wait;
    expect(resumed).toBe(true);
    expect(queue.size).toBe(1);
  });

  it('a reader waiting for an item is woken by the push', async () => {
    const queue = new BoundedQueue<string>(4);
    expect(queue.poll()).toBeUndefined();
    const next = queue.next();
    queue.push('late');
    expect(await next).toEqual({ done: false, value: 'late' });
  });

  it('a failure comes after the items pushed before it', async () => {
    const queue = new BoundedQueue<number>(4);
    queue.push(1);
    queue.fail(new Error('broken'));
    expect(await queue.next()).toEqual({ done: false, value: 1 });
    await expect(queue.next()).rejects.toThrow('broken');
  });

  it('once abandoned, a waiting producer goes on and never waits again', async () => {
    const queue = new BoundedQueue<number>(1);
    const wait = queue.push(1);
    expect(wait).toBeInstanceOf(Promise);
    queue.abandon();
    await wait;
    expect(queue.push(2)).toBeUndefined();
  });
});
