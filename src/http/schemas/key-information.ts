/** Key information in a complaint text (issue 13 §5) as the API answers it. */
import { z } from 'zod';
import type { KeyInformation as KeyInformationType } from '../../domain/complaint/key-information.js';
import type { Describes } from './common.js';
import { named } from './registry.js';

const Text3 = z.strictObject({ 'zh-CN': z.string(), 'zh-TW': z.string(), en: z.string() });

export const KeyMark = named(
  'KeyMark',
  z.strictObject({
    /** UTF-16 offsets into the text (`end` exclusive), as JavaScript's `slice` takes them. */
    start: z.number().int(),
    end: z.number().int(),
    kind: z.enum(['phone', 'order', 'plate', 'amount', 'datetime', 'product', 'signal']),
    text: z.string(),
    why: Text3,
  }),
  'One marked piece of key information and why it is marked',
);

export const KeyInformation = named(
  'KeyInformation',
  z.strictObject({
    marks: z.array(KeyMark),
    /** What the signal words suggest to the specialist (never applied by itself). */
    suggestion: z.strictObject({ grade: z.string().nullable(), vicious: z.boolean(), because: z.array(z.string()) }).nullable(),
  }),
  'The key information of a complaint text: marks in text order and the suggested grade / 恶性 flag',
);

const _k: Describes<typeof KeyInformation, KeyInformationType> = true;
void _k;
