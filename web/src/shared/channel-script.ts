/**
 * Which script (话术) the intake screen shows for a channel. A policy may write a script per
 * channel (`scripts.<channel>`, e.g. `walk_in` or `chat`); without one, a phone call gets the
 * phone script, a conversation face to face or in a chat gets the phone script without the
 * steps that only make sense on a call (answering within three rings, thanking for the call),
 * and a written channel (letter, e-mail, web form, a forwarded case) gets no call script.
 */
import type { Policy, ScriptStep } from '../api/client';

/** Channels where the agent talks with the customer while registering. */
export const LIVE_CHANNELS = ['phone', 'walk_in', 'chat'];
/** Steps of the phone script tied to the telephone itself. */
export const CALL_ONLY_STEPS = ['greeting', 'closing'];

export interface ChannelScript {
  /** phone: the phone script; policy: the policy's own script for the channel; live: phone script without the call-only steps; written: none. */
  kind: 'phone' | 'policy' | 'live' | 'written';
  steps: ScriptStep[];
  situations: ScriptStep[];
}

export function scriptFor(scripts: Policy['scripts'] | undefined, channel: string | undefined): ChannelScript {
  const ch = channel ?? 'phone';
  const phone = scripts?.phone ?? [];
  const situations = scripts?.situations ?? [];
  const own = (scripts as unknown as Record<string, unknown> | undefined)?.[ch];
  if (ch !== 'phone' && ch !== 'situations' && ch !== 'followUp' && Array.isArray(own)) return { kind: 'policy', steps: own as ScriptStep[], situations };
  if (ch === 'phone') return { kind: 'phone', steps: phone, situations };
  if (LIVE_CHANNELS.includes(ch)) return { kind: 'live', steps: phone.filter((s) => !CALL_ONLY_STEPS.includes(s.code)), situations };
  return { kind: 'written', steps: [], situations: [] };
}
