/**
 * `POST /api/v1/telephony/calls`: the PBX / CTI screen-pop webhook (issue 13 §1). No session:
 * the request is signed with KESU_TELEPHONY_SECRET over its raw body, like the outgoing
 * webhooks (services/screen-pop.ts). Its own plugin: it keeps the raw body to check the HMAC.
 */
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { App } from '../../services/app.js';
import { TelephonyCall, screenPop, verifyTelephonySignature } from '../../services/screen-pop.js';
import { BodyTooDeepError, MAX_BODY_DEPTH, jsonTooDeep } from '../security/depth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { named } from '../schemas/registry.js';

const rawBodies = new WeakMap<FastifyRequest, string>();

const SignatureHeaders = z.object({
  'x-kesu-timestamp': z.string().meta({ description: 'Unix seconds; refused when more than 5 minutes from now' }),
  'x-kesu-signature': z.string().meta({ description: '`sha256=<hex HMAC-SHA256(KESU_TELEPHONY_SECRET, "<timestamp>.<raw body>")>`' }),
});

const ScreenPopAccepted = named(
  'ScreenPopAccepted',
  z.strictObject({
    callId: z.string(),
    /** The agent's username. */
    agent: z.string(),
    /** How many of the agent's open console streams (on this instance) received the pop; 0: the agent is not connected. */
    delivered: z.number().int(),
  }),
  'The screen-pop was pushed to the agent',
);

export async function telephonyRoutes(fastify: FastifyInstance, opts: { app: App }): Promise<void> {
  const app = opts.app;
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  // The raw text is kept for the signature; the nesting limit still applies (security/depth.ts).
  const parse = server.getDefaultJsonParser('error', 'ignore');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    rawBodies.set(req, text);
    const hit = jsonTooDeep(text, MAX_BODY_DEPTH);
    if (hit) return done(new BodyTooDeepError(hit.path, MAX_BODY_DEPTH), undefined);
    return parse(req, text, done);
  });

  server.post(
    '/api/v1/telephony/calls',
    {
      schema: {
        tags: ['telephony'],
        summary: '来电弹屏 — a call rings at an agent: push the caller history to their console (signed webhook)',
        description:
          'For the PBX / CTI, not for people: no session, the body is signed like the outgoing webhooks — `X-Kesu-Timestamp` (unix seconds) and `X-Kesu-Signature: sha256=<hex HMAC-SHA256(KESU_TELEPHONY_SECRET, "<timestamp>.<raw body>")>`. ' +
          'A missing or wrong signature, a timestamp more than 5 minutes from now or a replayed signature gets 401 and nothing is pushed. ' +
          "On a valid call the agent's live stream (GET /api/v1/stream) gets a `screen_pop` event: the call id, the recording URL, the caller number as the agent may see it and the caller history as the agent may see it (GET /api/v1/callers/history).",
        security: [],
        headers: SignatureHeaders,
        body: TelephonyCall,
        response: { 202: ScreenPopAccepted, ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const h = req.headers;
      verifyTelephonySignature(
        app,
        { timestamp: typeof h['x-kesu-timestamp'] === 'string' ? h['x-kesu-timestamp'] : undefined, signature: typeof h['x-kesu-signature'] === 'string' ? h['x-kesu-signature'] : undefined },
        rawBodies.get(req) ?? '',
      );
      const r = await screenPop(app, req.body);
      return reply.status(202).send(r);
    },
  );
}
