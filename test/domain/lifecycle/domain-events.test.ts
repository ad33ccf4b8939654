/**
 * The domain events the effects record (issue 8 §3): each one the walks of walks.ts produce
 * matches its own zod schema (domain-events.ts), every declared event is produced by some walk,
 * and the notification table (notifications.ts) answers for each event — so an event nobody
 * records, or one recorded with fields its schema does not name, fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DOMAIN_EVENT_TYPES, parseDomainEvent, type DomainEvent } from '../../../src/domain/lifecycle/domain-events.js';
import { NOTIFICATIONS } from '../../../src/domain/lifecycle/notifications.js';
import { recordWalks } from './walks.js';

describe('domain events', () => {
  const seen: DomainEvent[] = [];
  recordWalks((d) => seen.push(...d.happened));

  it('every event a walk records matches its schema', () => {
    assert.ok(seen.length > 500, `only ${seen.length} events`);
    for (const e of seen) assert.deepEqual(parseDomainEvent(e), e, e.type);
  });

  it('every declared event is recorded by some walk, and has its entry in the notification table', () => {
    const types = new Set(seen.map((e) => e.type));
    assert.deepEqual(
      DOMAIN_EVENT_TYPES.filter((t) => !types.has(t)),
      [],
    );
    assert.deepEqual(Object.keys(NOTIFICATIONS).sort(), [...DOMAIN_EVENT_TYPES].sort());
  });

  it('a payload with a field its schema does not name is refused', () => {
    assert.throws(() => parseDomainEvent({ type: 'assigned', major: false, extra: 1 } as never));
    assert.throws(() => parseDomainEvent({ type: 'no_such_event' }), /unknown domain event/);
  });
});
