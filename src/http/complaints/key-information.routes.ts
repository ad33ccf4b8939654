/** Key-information marks for a complaint text (issue 13 §5): the intake screen and the case page draw them. */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { findKeyInformation } from '../../domain/complaint/key-information.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { KeyInformation } from '../schemas/key-information.js';

/** The same bound as a complaint's description. */
const TextBody = z.strictObject({ text: z.string().max(20_000) });

export function keyInformationRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  server.post(
    '/api/v1/text/key-information',
    {
      preHandler: requireUser(app),
      schema: {
        tags: ['complaints'],
        summary: '关键信息 — key information marked in a complaint text',
        description:
          "Phone, order / waybill and plate numbers, amounts, dates and times, the policy's products (`highlights.products`) and signal words (`highlights.signals`), each with why it is marked, and the grade / 恶性 flag the signals suggest. Reads only: a POST because the text may hold personal data that must not sit in a URL.",
        body: TextBody,
        response: { 200: KeyInformation, ...errors(400, 401) },
      },
    },
    async (req) => {
      const { text } = parseInput(TextBody, req.body);
      return findKeyInformation(text, await app.activePolicy());
    },
  );
}
